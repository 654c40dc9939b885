"""Evaluate the picker's rules (rules.yaml) for one sequence problem.

    from gen.picker.engine import pick
    answer = pick({"seq_len": 100_000, "streaming": True})
    print(answer.family_name, answer.constraint)

Pure Python (PyYAML only): no torch, no MkDocs. site_src/assets/picker.js is the same procedure in
JavaScript, reading the same rules as JSON; tests/browser/test_picker.py checks that they agree.
The procedure, in order:

1. check the problem against `inputs` and fill in defaults;
2. take the layer shape nearest to `params` (by ratio) and evaluate `derived` in file order;
3. the first rule whose conditions hold picks the family and writes the deciding constraint;
4. the family binds state_bytes, flops_per_token, family_name and memory_kind; `results` and
   `verdicts` follow;
5. strategy lines, the first matching failure mode and every matching caveat are written out.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from gen.errors import GenError
from gen.paths import shown
from gen.picker.formula import UNITS, FormulaError, evaluate, names, parse, sci, write

RULES_PATH = Path(__file__).with_name("rules.yaml")
OPERATORS = {"lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b,
             "ge": lambda a, b: a >= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}
FAMILY_BINDINGS = {"family_name": "text", "memory_kind": "text", "state_bytes": "bytes", "flops_per_token": "flops"}
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


class RulesError(GenError):
    """A problem in rules.yaml, reported as file:line."""


class ProblemError(ValueError):
    """A problem (the picker's input) that breaks the rules' input spec; the message names the flag."""


@dataclass(frozen=True)
class FailureMode:
    text: str
    cite: str


@dataclass(frozen=True)
class Caveat:
    key: str
    text: str


@dataclass(frozen=True)
class Recommendation:
    problem: dict[str, float | bool]
    shape: str
    family: str
    family_name: str
    rule: str
    constraint: str
    strategy: list[str]
    quantities: dict[str, float | bool]  # every number the answer used, unformatted
    verdicts: dict[str, bool]
    training: str
    memory: str
    latency: str
    failure_mode: FailureMode
    caveats: list[Caveat]
    fallback: str | None  # a family key, for new architectures in production

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- the API ---------------------------------------------------------------------------------------

def pick(problem: Mapping[str, Any], rules: Mapping[str, Any] | None = None) -> Recommendation:
    rules = rules if rules is not None else load_rules()
    values = check_problem(problem, rules)
    env: dict[str, float | bool | str] = dict(values)
    units = unit_table(rules)
    env.update({name: float(c["value"]) for name, c in rules["constants"].items()})
    shape = nearest_shape(float(values["params"]), rules["shapes"])
    env.update({key: float(value) for key, value in shape.items() if key not in ("name", "params")})
    for name, spec in rules["derived"].items():
        env[name] = _evaluate(name, spec["formula"], env)
    rule = next(r for r in rules["rules"] if holds(r["when"], env))
    key = rule["family"]
    family = rules["families"][key]
    env.update(family_name=family["name"], memory_kind=family["memory_kind"],
               state_bytes=env[family["memory"]], flops_per_token=env[family["flops"]])
    for name, spec in rules["results"].items():
        env[name] = _evaluate(name, spec["formula"], env)
    verdicts = {name: holds([v], env) for name, v in rules["verdicts"].items()}
    env.update(verdicts)

    def fill(template: str) -> str:
        return fill_template(template, env, units, rules["verdicts"])

    failure = next(f for f in family["failure_modes"] if holds(f.get("when", []), env))
    caveats = [Caveat(c["key"], fill(c["text"])) for c in rules["caveats"]
               if key in c["families"] and holds(c["when"], env)]
    production_fallback = family.get("fallback") if env["production"] and family["maturity"] == "new" else None
    return Recommendation(
        problem=dict(values), shape=shape["name"], family=key, family_name=family["name"], rule=rule["key"],
        constraint=fill(rule["constraint"]),
        strategy=[fill(s["text"]) for s in family["strategy"] if holds(s.get("when", []), env)],
        quantities={k: v for k, v in env.items() if not isinstance(v, str)},
        verdicts=verdicts,
        training=fill(rules["report"]["training"]), memory=fill(rules["report"]["memory"]),
        latency=fill(rules["report"]["latency"]),
        failure_mode=FailureMode(fill(failure["text"]), failure["cite"]),
        caveats=caveats, fallback=production_fallback,
    )


def check_problem(problem: Mapping[str, Any], rules: Mapping[str, Any]) -> dict[str, float | bool]:
    """The problem with defaults filled in, every number a float; ProblemError names the bad flag."""
    specs = {spec["name"]: spec for spec in rules["inputs"]}
    unknown = sorted(set(problem) - set(specs))
    if unknown:
        raise ProblemError(f"unknown input '{unknown[0]}' (inputs: {', '.join(specs)})")
    values: dict[str, float | bool] = {}
    for name, spec in specs.items():
        value = problem.get(name, spec["default"])
        values[name] = check_value(spec, value)
    return values


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


def nearest_shape(params: float, shapes: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The shape whose parameter count is nearest by ratio; the first of a tie."""
    def distance(shape: Mapping[str, Any]) -> float:
        ratio = params / float(shape["params"])
        return ratio if ratio >= 1 else 1 / ratio

    best = shapes[0]
    for shape in shapes[1:]:
        if distance(shape) < distance(best):
            best = shape
    return best


def holds(conditions: list[Mapping[str, Any]], env: Mapping[str, Any]) -> bool:
    for c in conditions:
        value = c["value"]
        right = float(env[value]) if isinstance(value, str) else float(value)
        if not OPERATORS[c["op"]](float(env[c["field"]]), right):
            return False
    return True


def fill_template(template: str, env: Mapping[str, Any], units: Mapping[str, str],
                  verdicts: Mapping[str, Mapping[str, Any]]) -> str:
    def one(match: re.Match) -> str:
        name = match[1]
        if name in verdicts:
            return verdicts[name]["if_true" if env[name] else "if_false"]
        return write(env[name], units[name])

    return _PLACEHOLDER.sub(one, template)


def unit_table(rules: Mapping[str, Any]) -> dict[str, str]:
    units = {spec["name"]: spec["unit"] for spec in rules["inputs"]}
    units.update({name: c["unit"] for name, c in rules["constants"].items()})
    units.update({key: "count" for key in rules["shapes"][0] if key not in ("name", "params")})
    units.update({name: d["unit"] for section in ("derived", "results") for name, d in rules[section].items()})
    units.update(FAMILY_BINDINGS)
    units.update({name: "bool" for name in rules["verdicts"]})
    return units


@cache  # a few dozen formulas, each parsed once
def _parsed(formula: str) -> ast.expr:
    return parse(formula)


def _evaluate(name: str, formula: str, env: Mapping[str, Any]) -> float:
    try:
        return evaluate(_parsed(formula), env)
    except FormulaError as err:  # only a rules file whose divisors can reach zero gets here
        raise ProblemError(f"cannot compute {name} for this problem ({err})") from None


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


def load_rules(path: Path = RULES_PATH) -> dict[str, Any]:
    """rules.yaml, checked: RulesError (path:line: problem. what to do) on the first problem."""
    try:
        stamp = path.stat().st_mtime_ns  # an edited file is read again (mkdocs serve)
    except OSError:
        stamp = 0
    return _load(str(path), stamp)


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
             "families", "rules", "caveats")


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
        for template in d["report"].values():
            self.template(d["report"], template)
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
        for name in _PLACEHOLDER.findall(template):
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
