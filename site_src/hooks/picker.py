"""MkDocs hook: the architecture picker in lesson 6.

    <!-- picker -->               the form; site_src/assets/picker.js answers it in the browser
    <!-- pick: chat_assistant --> a worked example (gen/picker/examples.yaml), answered at build time
    <!-- picker rules -->         the decision rules as a table, with the formulas they test

The form carries the rules (gen/picker/rules.yaml, already checked by the engine) and the examples as
JSON inside the page, so it needs no server and makes no request. An unknown example id or a broken
rules file stops the build with the page and line, or with the rules file's line.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from gen.errors import GenError
from gen.paths import REPO_ROOT
from gen.picker.engine import Recommendation, load_rules, pick
from gen.picker.examples import load_examples
from gen.picker.translations import localized_examples
from site_src.language import DEFAULT, build_language, message
from site_src.pages import front_matter_lines, source_path

FORM_MARKER = re.compile(r"^<!--\s*picker\s*-->\s*$", re.M)
EXAMPLE_MARKER = re.compile(r"^<!--\s*pick:\s*([^\s>]*)\s*-->\s*$", re.M)
RULES_MARKER = re.compile(r"^<!--\s*picker rules\s*-->\s*$", re.M)
SYMBOLS = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥", "eq": "=", "ne": "≠"}

# ---- hooks -----------------------------------------------------------------------------------------


def on_serve(server, config: MkDocsConfig, builder) -> None:
    server.watch(str(REPO_ROOT / "gen" / "picker"))  # an edited rule or example reloads the lesson


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "<!--" not in markdown or not any(m.search(markdown) for m in (FORM_MARKER, EXAMPLE_MARKER, RULES_MARKER)):
        return markdown
    where = source_path(page, config)
    offset = front_matter_lines(page, markdown)
    try:
        language = build_language(config)
        rules = load_rules(language=language)  # the Chinese pages get the rules' Chinese texts
        examples = localized_examples(load_examples(), language)
    except GenError as err:
        raise PluginError(err.line()) from None

    def example(match: re.Match) -> str:
        key = match[1]
        if key not in examples:
            line = markdown.count("\n", 0, match.start()) + 1 + offset
            raise PluginError(f"{where}:{line}: unknown picker example '{key}'. "
                              f"Use one of gen/picker/examples.yaml: {', '.join(examples)}.")
        return example_html(examples[key], pick(examples[key]["problem"], rules), rules, language)

    markdown = EXAMPLE_MARKER.sub(example, markdown)
    markdown = RULES_MARKER.sub(lambda _: rules_html(rules), markdown)
    script = f'\n\n<script src="{get_relative_url("assets/site/picker.js", page.url)}"></script>\n'
    # The form's script, on this page only (mkdocs.yml loads no picker.js elsewhere), in the content.
    return FORM_MARKER.sub(lambda _: form_html(rules, examples) + script, markdown)


# ---- helpers ---------------------------------------------------------------------------------------


def form_html(rules: dict[str, Any], examples: dict[str, dict[str, Any]]) -> str:
    """The form, one fieldset per group of inputs, and the answer region; one HTML block, no blank line."""
    words = rules["words"]
    parts = ['<div class="rva-pick" data-rva-picker="">',
             '<form class="rva-pick__form" novalidate="">',
             f'<p class="rva-pick__examples"><label for="picker-example">{_t(words["example_label"])}</label> '
             f'<select id="picker-example" name="example"><option value="">{_t(words["example_choose"])}</option>']
    parts += [f'<option value="{_a(key)}">{_t(e["title"])}</option>' for key, e in examples.items()]
    parts.append("</select></p>")
    for group in rules["groups"]:
        parts.append(f'<fieldset><legend>{_t(group["legend"])}</legend>')
        parts += [field_html(spec) for spec in rules["inputs"] if spec["group"] == group["key"]]
        parts.append("</fieldset>")
    parts.append(f'<p><button type="submit" class="md-button md-button--primary">{_t(words["submit"])}</button></p>')
    parts.append("</form>")
    parts.append('<div class="rva-pick__output" id="picker-answer" aria-live="polite">'
                 f'<p>{_t(words["placeholder"])}</p></div>')
    # The rules travel in a <template>, not in a <script type="application/json">: Material's instant
    # navigation re-runs the content's scripts by copying them without their type, so JSON in a script
    # would be run as JavaScript (a syntax error) and its element would come back without the type.
    data = json.dumps({"rules": rules, "examples": examples}, separators=(",", ":"), ensure_ascii=True)
    parts.append(f'<template class="rva-pick__data">{html.escape(data, quote=False)}</template>')
    parts.append("</div>")
    return "".join(parts)


def field_html(spec: dict[str, Any]) -> str:
    ident = f"picker-{spec['name']}"
    help_html = f'<span class="rva-pick__help" id="{ident}-help">{_t(spec["help"])}</span>'
    if spec["kind"] == "boolean":
        checked = ' checked=""' if spec["default"] else ""
        return (f'<div class="rva-pick__field rva-pick__field--check">'
                f'<input type="checkbox" id="{ident}" name="{spec["name"]}" aria-describedby="{ident}-help"{checked}>'
                f'<label for="{ident}">{_t(spec["label"])}</label>{help_html}</div>')
    bounds = "".join(f' {k}="{typed_number(spec[k])}"' for k in ("min", "max") if k in spec)
    step = "1" if spec["kind"] == "integer" else "any"
    return (f'<div class="rva-pick__field"><label for="{ident}">{_t(spec["label"])}</label>'
            f'<input type="number" id="{ident}" name="{spec["name"]}" value="{typed_number(spec["default"])}" '
            f'step="{step}"{bounds} required="" aria-describedby="{ident}-help">{help_html}</div>')


def example_html(example: dict[str, Any], answer: Recommendation, rules: dict[str, Any],
                 language: str = DEFAULT) -> str:
    """A worked example: its story, the command that reproduces it, and the answer as the form shows it."""
    title = _t(example["title"]) + message("full_stop", language)
    return (f'<div class="rva-pick__example" id="pick-{_a(example["id"])}">'
            f'<p class="rva-pick__story"><strong>{title}</strong>{message("gap", language)}{_t(example["story"])}</p>'
            f'<p class="rva-pick__command"><code>{_t(command_line(example["problem"], rules))}</code></p>'
            f"{answer_html(answer, rules['words'])}</div>")


def answer_html(answer: Recommendation, words: dict[str, str]) -> str:
    """The same <dl> as pickerAnswerElement in picker.js; each term is words[field]."""
    q = answer.quantities
    rows = [
        ("family_name", _t(answer.family_name), {}),
        ("constraint", _t(answer.constraint), {}),
        ("strategy", "<ul>" + "".join(f"<li>{_t(s)}</li>" for s in answer.strategy) + "</ul>", {}),
        ("training", _t(answer.training), {"flops_per_token": q["flops_per_token"], "train_flops": q["train_flops"]}),
        ("memory", _t(answer.memory), {"state_bytes": q["state_bytes"], "memory_b1": q["memory_b1"]}),
        ("prefill", _t(answer.prefill), {"prefill_ms": q["prefill_ms"]}),
        ("latency", _t(answer.latency), {"decode_ms": q["decode_ms"]}),
        ("failure_mode", _t(words["cited"].format(text=answer.failure_mode.text, cite=answer.failure_mode.cite)),
         {}),
    ]
    if answer.caveats:
        rows.append(("caveats", "<ul>" + "".join(f"<li>{_t(c.text)}</li>" for c in answer.caveats) + "</ul>", {}))
    rows.append(("shape", _t(answer.shape), {}))
    body = "".join(
        f'<dt>{_t(words[field])}</dt><dd data-field="{field}"'
        + "".join(f' data-{name.replace("_", "-")}="{float(value)!r}"' for name, value in numbers.items())
        + f">{content}</dd>"
        for field, content, numbers in rows
    )
    return f'<dl class="rva-pick__answer">{body}</dl>'


def rules_html(rules: dict[str, Any]) -> str:
    """The rules in their order, then the formula of every derived quantity or constant they test."""
    words = rules["words"]
    rows, tested = [], []
    for number, rule in enumerate(rules["rules"], start=1):
        conditions = []
        for c in rule["when"]:
            for name in (c["field"], c["value"]):
                if isinstance(name, str) and name not in tested and name not in {i["name"] for i in rules["inputs"]}:
                    tested.append(name)
            value = str(c["value"]).lower() if isinstance(c["value"], (bool, str)) else typed_number(c["value"])
            conditions.append(f"<code>{_t(c['field'])} {_t(SYMBOLS[c['op']])} {_t(value)}</code>")
        family = rules["families"][rule["family"]]["name"]
        when = _t(words["rules_and"]).join(conditions) or _t(words["rules_always"])
        rows.append(f"<tr><td>{number}</td><td>{when}</td><td>{_t(family)}</td></tr>")
    table = (f'<div class="rva-pick__rules"><table><thead><tr><th scope="col">{_t(words["rules_order"])}</th>'
             f'<th scope="col">{_t(words["rules_when"])}</th><th scope="col">{_t(words["rules_family"])}</th></tr>'
             f"</thead><tbody>{''.join(rows)}</tbody></table></div>")
    defined = []
    for name in tested:
        if name in rules["derived"]:
            formula = " ".join(str(rules["derived"][name]["formula"]).split())
            defined.append(f"<li><code>{_t(name)} = {_t(formula)}</code></li>")
        elif name in rules["constants"]:
            defined.append(f"<li><code>{_t(name)} = {_t(typed_number(rules['constants'][name]['value']))}</code></li>")
    return table + f'<ul class="rva-pick__tested">{"".join(defined)}</ul>'


def command_line(problem: dict[str, Any], rules: dict[str, Any]) -> str:
    """`python -m gen pick ...` with every input the problem sets, in the rules' order."""
    args = ["python -m gen pick"]
    for spec in rules["inputs"]:
        if spec["name"] not in problem:
            continue
        value = problem[spec["name"]]
        if spec["kind"] == "boolean":
            args += [spec["flag"]] if value else []
        else:
            args += [spec["flag"], typed_number(value)]
    return " ".join(args)


def typed_number(value: float) -> str:
    """A number as a reader would type it, exactly as pickerTyped in picker.js writes it: 4096, 0.5,
    1e21, 1.4e9. JavaScript prints the shortest digits that read back as the same double, and so does
    Python's repr; only the layout differs, so the digits come from repr and the layout follows
    JavaScript's Number.prototype.toString (and toExponential from 1e6 on, as pickerTyped asks)."""
    x = float(value)
    if x == 0:
        return "0"
    sign, digit_tuple, exponent = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = exponent + len(digits)  # |x| = 0.digits x 10**point
    minus = "-" if x < 0 else ""
    if abs(x) >= 1e6 or point <= -6:  # exponential: 1.4e9, 1e21, 1e-7
        mantissa = digits[0] + (f".{digits[1:]}" if len(digits) > 1 else "")
        return f"{minus}{mantissa}e{point - 1}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{minus}{digits}{'0' * (point - len(digits))}"
    return f"{minus}{digits[:point]}.{digits[point:]}"


def _t(text: str) -> str:
    return html.escape(str(text), quote=False)


def _a(text: str) -> str:
    return html.escape(str(text), quote=True)
