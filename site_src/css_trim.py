"""A stylesheet cut down to the rules that can match a set of pages.

JupyterLab's stylesheet, which mkdocs-jupyter gives every notebook page, styles the whole JupyterLab
application: about 600 KB, of which a static notebook page uses a small part. A rule whose selector
needs a class that no page has can never match, so it goes; a selector list keeps the selectors that
can match. Rules without classes (element selectors, :root variables, @font-face, @keyframes) stay,
and so do the rules inside @media and @supports blocks, judged the same way. Then a custom property
that nothing reads with var() goes (JupyterLab declares hundreds, icons as data URIs among them), and
a rule written twice keeps its last copy, the one that wins the cascade.

Material's stylesheet is cut the other way round (`without_classes`): only the rules of a feature the
site leaves off go, named by its classes, since Material's scripts add many classes no page is built with.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
_NESTED = ("@media", "@supports", "@layer", "@container", "@document")  # blocks of rules, judged inside


def classes_in(html: str) -> set[str]:
    """Every class name a page's markup uses."""
    return {name for value in _CLASS_ATTRIBUTE.findall(html) for name in value.split()}


def class_names(css: str) -> set[str]:
    """Every class name a stylesheet's selectors (and its comments) name."""
    return set(_CLASS.findall(css))


def trim(css: str, used: set[str]) -> str:
    """`css` without the rules that need a class not in `used`, the custom properties nothing reads
    and the earlier copies of repeated rules."""
    rules = list(_trim_block(_COMMENT.sub("", css), lambda classes: classes <= used))
    while True:  # dropping a property can leave another one unread
        read = set(_VAR.findall("".join(rules)))
        slimmer = [_without_unread_properties(rule, read) for rule in rules]
        if slimmer == rules:
            break
        rules = slimmer
    last = {rule: index for index, rule in enumerate(rules)}
    return "".join(rule for index, rule in enumerate(rules) if rule and last[rule] == index)


_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_PROPERTY = re.compile(r"\s*(--[\w-]+)\s*:")


def _without_unread_properties(rule: str, read: set[str]) -> str:
    """A rule without its `--name: value` declarations that no var(--name) reads; '' when it is left
    empty. Blocks such as @media are cleaned inside."""
    head, brace, body = rule.partition("{")
    if not brace or head.startswith(("@font-face", "@keyframes", "@page")):
        return rule
    body = body[:-1]
    if head.startswith(_NESTED):
        inner = "".join(_without_unread_properties(f"{prelude.strip()}{{{block}}}", read)
                        for prelude, block in _blocks(body) if block is not None)
        return f"{head}{{{inner}}}" if inner else ""
    declarations = [d for d in _split(body, ";") if d.strip()]
    kept = [d for d in declarations if not ((name := _PROPERTY.match(d)) and name[1] not in read)]
    if not kept:
        return ""
    return rule if len(kept) == len(declarations) else f"{head}{{{';'.join(kept)}}}"


def without_classes(css: str, absent: set[str]) -> str:
    """`css` without the selectors that need one of the `absent` classes, and without the rules that
    are left with none; everything else stays as it was written."""
    return "".join(_trim_block(_COMMENT.sub("", css), lambda classes: not classes & absent))


def _trim_block(css: str, can_match: Callable[[set[str]], bool]):
    """The statements of `css` that keep a selector whose classes `can_match` accepts."""
    for prelude, body in _blocks(css):
        head = prelude.strip()
        if body is None:  # @charset, @import: a statement, no block
            yield head + ";"
        elif head.startswith(_NESTED):
            inner = "".join(_trim_block(body, can_match))
            if inner:
                yield f"{head}{{{inner}}}"
        elif head.startswith("@"):  # @font-face, @keyframes, @page: kept whole
            yield f"{head}{{{body}}}"
        else:
            selectors = [s.strip() for s in _split_selectors(head) if can_match(set(_CLASS.findall(_unquoted(s))))]
            if selectors:
                yield f"{','.join(selectors)}{{{body.strip()}}}"


def _blocks(css: str):
    """(prelude, body) for each top-level statement; body is None for one ending in ';'."""
    start, i, depth, quote, prelude_end = 0, 0, 0, "", 0
    while i < len(css):
        char = css[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "{":
            if depth == 0:
                prelude_end = i
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                yield css[start:prelude_end], css[prelude_end + 1:i]
                start = i + 1
        elif char == ";" and depth == 0:
            if css[start:i].strip():
                yield css[start:i], None
            start = i + 1
        i += 1


def _split_selectors(selector_list: str) -> list[str]:
    """Split at top-level commas only (not inside :is(a, b) or [attr="a,b"])."""
    return _split(selector_list, ",")


def _split(text: str, separator: str) -> list[str]:
    """Split at `separator` outside quotes, parentheses and brackets (a data: URL holds ';' and ',')."""
    parts, depth, current, quote = [], 0, [], ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _unquoted(selector: str) -> str:
    """A selector without its quoted strings and its :not(), :is() and :where() parts, whose classes
    need not all be present for it to match."""
    selector = re.sub(r"\"[^\"]*\"|'[^']*'", "", selector)
    return re.sub(r":(?:not|is|where)\([^)]*\)", "", selector)
