"""The picker's two implementations agree: gen/picker (the command line and the worked examples) and
site_src/assets/picker.js (the form), on a few hundred generated problems and on numbers written as a
reader types them, evaluated by picker.js itself in Node."""

from __future__ import annotations

import json
import random
import subprocess

from gen.paths import REPO_ROOT
from gen.picker.engine import load_rules, pick
from site_src.hooks.picker import typed_number

PICKER_JS = REPO_ROOT / "site_src" / "assets" / "picker.js"
RULES = load_rules()
TEXT_FIELDS = ("family", "rule", "shape", "constraint", "strategy", "training", "memory", "prefill", "latency",
               "fallback")


def in_node(expression: str, data: object) -> object:
    """expression (JavaScript, over `data` and picker.js's functions), evaluated in Node."""
    script = (
        "const vm = require('vm'); const fs = require('fs');"
        "const ctx = {document$: {subscribe() {}}}; vm.createContext(ctx);"
        f"vm.runInContext(fs.readFileSync({json.dumps(str(PICKER_JS))}, 'utf8'), ctx);"
        "ctx.data = JSON.parse(fs.readFileSync(0, 'utf8'));"
        f"console.log(JSON.stringify(vm.runInContext({json.dumps(expression)}, ctx)));"
    )
    done = subprocess.run(["node", "-e", script], input=json.dumps(data), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def problems(count: int, seed: int = 2026) -> list[dict]:
    """Problems across every input's range, log-uniform for the wide ones, with edge values mixed in."""
    rng = random.Random(seed)
    specs = {spec["name"]: spec for spec in RULES["inputs"]}
    made = []
    for _ in range(count):
        problem = {}
        for name, spec in specs.items():
            if rng.random() < 0.3:
                continue  # left to its default
            if spec["kind"] == "boolean":
                problem[name] = rng.random() < 0.5
                continue
            low, high = max(float(spec["min"]), 1e-6), float(spec["max"])
            value = low if rng.random() < 0.05 else 10 ** rng.uniform(__import__("math").log10(low),
                                                                     __import__("math").log10(high))
            problem[name] = round(value) if spec["kind"] == "integer" else value
        made.append(problem)
    return made


def test_both_implementations_write_the_same_answer_to_every_generated_problem():
    cases = problems(300)
    python = [pick(problem, RULES).to_dict() for problem in cases]
    javascript = in_node("data.cases.map((p) => pick(p, data.rules))", {"cases": cases, "rules": RULES})
    for problem, ours, theirs in zip(cases, python, javascript, strict=True):
        for field in TEXT_FIELDS:
            assert ours[field] == theirs[field], (problem, field)
        assert ours["failure_mode"]["text"] == theirs["failure_mode"]["text"], problem
        assert [c["text"] for c in ours["caveats"]] == [c["text"] for c in theirs["caveats"]], problem


def test_numbers_are_written_as_typed_identically_including_seventeen_digit_ones():
    rng = random.Random(7)
    values = [0, 1, 0.5, 4096, 1e-7, 1e-6, 2.5e-5, 0.000123, 999999, 1e6, 1.4e9, 1e21, 123456789.123,
              0.1 + 0.2, 1 / 3, 2 / 3 * 1e12, 9.999999999999999e20, 12345678901234567.0]
    values += [rng.uniform(0, 1) * 10 ** rng.randint(-9, 22) for _ in range(300)]  # 17-digit doubles
    assert in_node("data.map(pickerTyped)", values) == [typed_number(v) for v in values]
