"""The picker's formula language: arithmetic over named quantities, and how quantities are written.

    evaluate(parse("2 * layers * kv_heads * head_dim * seq_len * bytes_per_element"), env)

The grammar is deliberately tiny (numbers, names, + - * /, unary minus, parentheses, min, max, ceil)
so that site_src/assets/picker.js can parse it in a few lines and compute the same doubles: every
value is a float here, a number there, and both follow IEEE 754. The formatters avoid the two
languages' own number formatting, which differs (Python's '%.3g' writes 1.23e+05, JavaScript's
toPrecision 1.23e+5, and they round exact ties differently), so the page and the command line print
the same text.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping

FUNCTIONS = {"min": min, "max": max, "ceil": math.ceil}
_OPERATORS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
              ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}


class FormulaError(ValueError):
    """A formula outside the grammar, or one that names an unknown quantity."""


def parse(text: str) -> ast.expr:
    """The formula's syntax tree, checked against the grammar; FormulaError otherwise."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise FormulaError(f"'{text}' is not a formula; use numbers, names, + - * /, ( ) and min, max, ceil") from None
    _check(tree, text)
    return tree


def names(tree: ast.expr) -> set[str]:
    """The quantities a formula reads (function names excluded)."""
    calls = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in calls}


def evaluate(tree: ast.expr, env: Mapping[str, float | bool | str]) -> float:
    if isinstance(tree, ast.Constant):
        return float(tree.value)
    if isinstance(tree, ast.Name):
        value = env[tree.id]
        if isinstance(value, str):
            raise FormulaError(f"'{tree.id}' is text, not a number")
        return float(value)  # True and False count as 1 and 0
    if isinstance(tree, ast.UnaryOp):
        operand = evaluate(tree.operand, env)
        return -operand if isinstance(tree.op, ast.USub) else operand
    if isinstance(tree, ast.BinOp):
        left, right = evaluate(tree.left, env), evaluate(tree.right, env)
        if isinstance(tree.op, ast.Div) and right == 0:
            raise FormulaError("division by zero")
        return _OPERATORS[type(tree.op)](left, right)
    assert isinstance(tree, ast.Call)  # _check admits nothing else
    return float(FUNCTIONS[tree.func.id](*(evaluate(arg, env) for arg in tree.args)))


def _check(node: ast.AST, text: str) -> None:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return
    if isinstance(node, ast.Name):
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _check(node.operand, text)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check(node.left, text)
        return _check(node.right, text)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS \
            and not node.keywords and node.args:
        if node.func.id == "ceil" and len(node.args) != 1:
            raise FormulaError(f"'{text}': ceil takes one argument")
        for arg in node.args:
            _check(arg, text)
        return
    raise FormulaError(f"'{text}' uses something outside the formula grammar "
                       "(numbers, names, + - * /, ( ) and min, max, ceil)")


# ---- writing quantities ---------------------------------------------------------------------------

def fixed(x: float, digits: int) -> str:
    """x rounded half up to `digits` decimals, with thousands separators: the same text as picker.js."""
    sign = "-" if x < 0 else ""
    scale = 10.0 ** digits
    n = math.floor(abs(x) * scale + 0.5)
    whole, frac = divmod(n, int(scale))
    text = f"{whole:,}"
    return sign + (f"{text}.{frac:0{digits}d}" if digits else text)


def sci(x: float) -> str:
    """Three significant digits as 1.23 × 10²¹ or 1.00 × 10⁻⁶; plain from 0.01 to 1,000."""
    if x == 0 or 0.01 <= abs(x) < 1000:
        return fixed(x, 0) if x == math.floor(x) else fixed(x, 2)
    exponent, mantissa = 0, abs(x)
    while mantissa >= 10:
        mantissa /= 10
        exponent += 1
    while mantissa < 1:
        mantissa *= 10
        exponent -= 1
    n = math.floor(mantissa * 100 + 0.5)
    if n >= 1000:  # 9.995 rounds up to 10.0
        n, exponent = 100, exponent + 1
    return f"{'-' if x < 0 else ''}{n // 100}.{n % 100:02d} × 10{str(exponent).translate(_SUPERSCRIPT)}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")  # 10²¹ reads better than e21 in a sentence


def _three_digits(x: float) -> str:
    return fixed(x, 0 if x >= 100 else 1 if x >= 10 else 2)


def bytes_text(x: float) -> str:
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")
    index = 0
    while x >= 1024 and index < len(units) - 1:
        x /= 1024
        index += 1
    return f"{fixed(x, 0)} B" if index == 0 else f"{_three_digits(x)} {units[index]}"


def write(value: float | bool | str, unit: str) -> str:
    """A quantity as the picker writes it in sentences, by its unit."""
    if unit == "text" or isinstance(value, str):
        return str(value)
    if unit == "bool":
        return "yes" if value else "no"
    x = float(value)
    if unit == "count":
        return fixed(x, 0) if x == math.floor(x) else fixed(x, 2)
    if unit == "bytes":
        return bytes_text(x)
    if unit == "flops":
        return f"{sci(x)} FLOPs"
    if unit == "sci":
        return sci(x)
    if unit == "ms":  # milliseconds, written in seconds from 1,000 ms and in microseconds below 0.01 ms
        if x >= 1000:
            return f"{_three_digits(x / 1000)} s"
        return f"{_three_digits(x)} ms" if x >= 0.01 or x == 0 else f"{_three_digits(x * 1000)} µs"
    if unit == "percent":
        return f"{fixed(100 * x, 1)}%"
    if unit == "factor":
        return f"{fixed(x, 2) if 0.01 <= x < 1000 else sci(x)}×"
    if unit == "bandwidth":
        return f"{fixed(x / 1e9, 0)} GB/s"
    raise FormulaError(f"unknown unit '{unit}'")


UNITS = ("count", "bytes", "flops", "sci", "ms", "percent", "factor", "bandwidth", "bool", "text")
