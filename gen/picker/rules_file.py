"""The picker's rules file (rules.yaml): read it, check it whole, and check a problem's values against
the input spec it defines. Every problem is reported as `rules.yaml:LINE: what. what to do`.

gen/picker/engine.py evaluates the rules; site_src/assets/picker.js evaluates the same data as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gen.errors import GenError
from gen.paths import shown
from gen.picker.formula import UNITS, FormulaError, names, parse, sci
from gen.picker.translations import localized

RULES_PATH = Path(__file__).with_name("rules.yaml")
OPERATORS = {"lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b,
             "ge": lambda a, b: a >= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}
FAMILY_BINDINGS = {"family_name": "text", "memory_kind": "text", "state_bytes": "bytes", "flops_per_token": "flops"}
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


class RulesError(GenError):
    """A problem in rules.yaml, reported as file:line."""


class ProblemError(ValueError):
    """A problem (the picker's input) that breaks the rules' input spec; the message names the flag."""


def check_value(spec: Mapping[str, Any], value: Any) -> float | bool:
    flag = spec["flag"]
    if spec["kind"] == "boolean":
        if not isinstance(value, bool):
            raise ProblemError(f"{flag}: must be true or false (got {value!r})")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (
            float("inf"), float("-inf")):
        raise ProblemError(f"{flag}: must be a number (got {value!r})")
    x = float(value)
    if spec["kind"] == "integer" and x != int(x):
        raise ProblemError(f"{flag}: must be a whole number (got {value!r})")
    if "min" in spec and x < spec["min"]:
        raise ProblemError(f"{flag}: must be at least {sci(spec['min'])} (got {sci(x)})")
    if "max" in spec and x > spec["max"]:
        raise ProblemError(f"{flag}: must be at most {sci(spec['max'])} (got {sci(x)})")
    return x


# ---- loading and checking rules.yaml ---------------------------------------------------------------

class _Located(dict):
    line = 1


class _Loader(yaml.SafeLoader):
    """Mappings remember the line they start on, so every check can point at rules.yaml:LINE."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Located:
        mapping = _Located(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)


def load_rules(path: Path = RULES_PATH, language: str = "en") -> dict[str, Any]:
    """rules.yaml, checked, with its texts in `language` (gen/picker/translations.py): RulesError
    (path:line: problem. what to do) on the first problem."""
    try:
        stamp = path.stat().st_mtime_ns  # an edited file is read again (mkdocs serve)
    except OSError:
        stamp = 0
    return localized(_load(str(path), stamp), language, shown(path))


@lru_cache(maxsize=8)
def _load(path_text: str, stamp: int) -> dict[str, Any]:
    path = Path(path_text)
    where = shown(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as err:
        raise RulesError(where, f"cannot be read ({err.strerror}).") from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise RulesError(f"{where}:{mark.line + 1 if mark else 1}", f"not valid YAML: {err.problem}.",
                         "Fix the syntax (a quote or an indent is often the cause).") from None
    _Checker(where, data).check()
    return data


_SECTIONS = ("inputs", "groups", "constants", "shapes", "derived", "results", "verdicts", "report",
             "families", "rules", "caveats", "words")


class _Checker:
    def __init__(self, where: str, data: Any) -> None:
        self.where, self.data = where, data

    def fail(self, node: Any, problem: str, fix: str = "") -> None:
        raise RulesError(f"{self.where}:{getattr(node, 'line', 1)}", problem, fix)

    def need(self, node: Any, keys: tuple[str, ...], what: str) -> None:
        if not isinstance(node, dict):
            self.fail(node, f"{what} must be a mapping.")
        missing = [k for k in keys if k not in node]
        if missing:
            self.fail(node, f"{what} lacks '{missing[0]}'.", f"Add it (needed: {', '.join(keys)}).")

    def check(self) -> None:
        d = self.data
        self.need(d, _SECTIONS, "the rules file")
        self.known: dict[str, str] = {}  # name -> unit, growing as sections define names
        groups = {g["key"] for g in d["groups"]}
        for spec in d["inputs"]:
            self.need(spec, ("name", "label", "unit", "kind", "default", "group", "flag", "help"), "an input")
            if spec["kind"] not in ("integer", "number", "boolean"):
                self.fail(spec, f"input kind '{spec['kind']}' is unknown.", "Use integer, number or boolean.")
            if spec["group"] not in groups:
                self.fail(spec, f"input group '{spec['group']}' is not among groups ({', '.join(groups)}).")
            try:
                check_value(spec, spec["default"])
            except ProblemError as err:
                self.fail(spec, f"the default of '{spec['name']}' breaks its own spec ({err}).")
            self.define(spec, spec["name"], spec["unit"])
        for name, c in d["constants"].items():
            self.need(c, ("value", "unit"), f"constant '{name}'")
            self.define(c, name, c["unit"])
        shape_keys = ("name", "params", "layers", "d_model", "heads", "kv_heads", "head_dim")
        for shape in d["shapes"]:
            self.need(shape, shape_keys, "a shape")
        for key in shape_keys[2:]:
            self.define(d["shapes"][0], key, "count")
        self.formulas(d["derived"], "derived quantity")
        before_family = set(self.known)
        for name, unit in FAMILY_BINDINGS.items():
            self.define(d["families"], name, unit)
        self.formulas(d["results"], "result")
        for name, v in d["verdicts"].items():
            self.need(v, ("field", "op", "value", "if_true", "if_false"), f"verdict '{name}'")
            self.conditions(v, [v])
            self.define(v, name, "bool")
        for report in d["report"].values():  # a text, or a list of parts: texts and {when, text}
            for part in report if isinstance(report, list) else [report]:
                if isinstance(part, dict):
                    self.need(part, ("when", "text"), "a part of the report")
                    self.conditions(part, part["when"])
                    self.template(part, part["text"])
                else:
                    self.template(d["report"], part)
        for key, family in d["families"].items():
            self.family(key, family)
        rules = d["rules"]
        for rule in rules:
            self.need(rule, ("key", "family", "when", "constraint"), "a rule")
            self.family_key(rule, rule["family"])
            self.conditions(rule, rule["when"], allowed=before_family)
            self.template(rule, rule["constraint"])
        if not rules or rules[-1]["when"]:
            self.fail(rules[-1] if rules else d, "the last rule must have no conditions (when: []).",
                      "End the list with a default rule, so every problem gets an answer.")
        if not isinstance(d["words"], dict) or not all(isinstance(w, str) for w in d["words"].values()):
            self.fail(d["words"], "words must map each name to a text.")
        for caveat in d["caveats"]:
            self.need(caveat, ("key", "families", "when", "text"), "a caveat")
            for key in caveat["families"]:
                self.family_key(caveat, key)
            self.conditions(caveat, caveat["when"])
            self.template(caveat, caveat["text"])

    def define(self, node: Any, name: str, unit: str) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(name)):
            self.fail(node, f"'{name}' is not a quantity name.", "Use lower case letters, digits and _.")
        if name in self.known:
            self.fail(node, f"'{name}' is defined twice.", "Rename one of them.")
        if unit not in UNITS:
            self.fail(node, f"unit '{unit}' of '{name}' is unknown.", f"Use one of: {', '.join(UNITS)}.")
        self.known[name] = unit

    def formulas(self, section: dict, what: str) -> None:
        for name, spec in section.items():
            self.need(spec, ("formula", "unit"), f"{what} '{name}'")
            try:
                tree = parse(str(spec["formula"]))
            except FormulaError as err:
                self.fail(spec, f"{what} '{name}': {err}.")
            unknown = sorted(names(tree) - set(self.known))
            if unknown:
                self.fail(spec, f"{what} '{name}' reads '{unknown[0]}', which is not defined above it.",
                          "Define it earlier in the file, or fix the name.")
            self.define(spec, name, spec["unit"])

    def conditions(self, node: Any, conditions: Any, allowed: set[str] | None = None) -> None:
        allowed = allowed if allowed is not None else set(self.known)
        if not isinstance(conditions, list):
            self.fail(node, "conditions ('when') must be a list of {field, op, value}.")
        for c in conditions:
            self.need(c, ("field", "op", "value"), "a condition")
            if c["op"] not in OPERATORS:
                self.fail(c, f"operator '{c['op']}' is unknown.", f"Use one of: {', '.join(OPERATORS)}.")
            for name in (c["field"], c["value"]):
                if isinstance(name, str) and name not in allowed:
                    self.fail(c, f"condition on '{name}', which is unknown here.",
                              "Rules may test inputs, constants, shape and derived quantities only.")
                if not isinstance(name, (str, int, float)):
                    self.fail(c, f"condition value {name!r} must be a number, a boolean or a quantity name.")

    def template(self, node: Any, template: Any) -> None:
        if not isinstance(template, str):
            self.fail(node, "text must be a string.")
        for name in PLACEHOLDER.findall(template):
            if name not in self.known:
                self.fail(node, f"'{{{name}}}' in the text names no quantity.", "Fix the name or define it.")

    def family_key(self, node: Any, key: str) -> None:
        if key not in self.data["families"]:
            self.fail(node, f"family '{key}' is unknown.", f"Use one of: {', '.join(self.data['families'])}.")

    def family(self, key: str, family: Any) -> None:
        self.need(family, ("name", "maturity", "memory", "memory_kind", "flops", "strategy", "failure_modes"),
                  f"family '{key}'")
        for field in ("memory", "flops"):
            if family[field] not in self.data["derived"]:
                self.fail(family, f"family '{key}': {field} '{family[field]}' is not a derived quantity.")
        if family["maturity"] not in ("established", "new"):
            self.fail(family, f"family '{key}': maturity must be 'established' or 'new'.")
        if family["maturity"] == "new":
            if "fallback" not in family:
                self.fail(family, f"family '{key}' is new but names no fallback.",
                          "Add 'fallback: <an established family>'.")
            self.family_key(family, family["fallback"])
            if self.data["families"][family["fallback"]]["maturity"] != "established":
                self.fail(family, f"family '{key}': its fallback must be an established family.")
        for line in family["strategy"]:
            self.need(line, ("text",), "a strategy line")
            self.conditions(line, line.get("when", []))
            self.template(line, line["text"])
        modes = family["failure_modes"]
        for mode in modes:
            self.need(mode, ("text", "cite"), "a failure mode")
            self.conditions(mode, mode.get("when", []))
            self.template(mode, mode["text"])
        if not modes or modes[-1].get("when"):
            self.fail(family, f"family '{key}': its last failure mode must have no conditions.",
                      "End the list with a failure mode that always applies.")
