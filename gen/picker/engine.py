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
from functools import cache
from typing import Any

from gen.picker.formula import FormulaError, evaluate, parse, write
from gen.picker.rules_file import (  # noqa: F401  (RULES_PATH and load_rules: the API's callers use them)
    FAMILY_BINDINGS,
    OPERATORS,
    PLACEHOLDER,
    RULES_PATH,
    ProblemError,
    check_value,
    load_rules,
)


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
    prefill: str  # the time to the first token: reading the whole prompt
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

    def fill(template: str | list) -> str:
        """A text, or the parts of a list (plain texts, and {when, text} where the conditions hold)."""
        if isinstance(template, list):
            return "".join(fill(part["text"] if isinstance(part, dict) else part) for part in template
                           if not isinstance(part, dict) or holds(part["when"], env))
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
        prefill=fill(rules["report"]["prefill"]), latency=fill(rules["report"]["latency"]),
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

    return PLACEHOLDER.sub(one, template)


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
