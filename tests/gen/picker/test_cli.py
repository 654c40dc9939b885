"""`python -m gen pick` as a reader runs it: the answer, --json, --help, and one-line errors."""

from __future__ import annotations

import json
import sys

import pytest

from gen.picker.engine import RULES_PATH, load_rules, pick
from gen.picker.examples import load_examples
from tests.conftest import REPO, isolated_env, run


def gen_pick(*args: str, tmp_path):
    return run([sys.executable, "-m", "gen", "pick", *args], isolated_env(tmp_path))


def test_the_command_line_answers_with_the_family_and_the_deciding_constraint(tmp_path):
    done = gen_pick("--seq-len", "100000", "--streaming", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    answer = pick({"seq_len": 100000, "streaming": True})
    assert f"Family:     {answer.family_name}" in done.stdout
    assert f"Decided by: {answer.constraint}" in done.stdout
    assert answer.memory in done.stdout and answer.training in done.stdout and answer.failure_mode.cite in done.stdout


@pytest.mark.parametrize("example", sorted(load_examples()))
def test_json_output_is_the_engines_answer_for_each_worked_example(example, tmp_path):
    done = gen_pick("--example", example, "--json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    expected = json.loads(json.dumps(pick(load_examples()[example]["problem"]).to_dict()))
    assert json.loads(done.stdout) == expected


def test_a_flag_given_with_an_example_overrides_the_example(tmp_path):
    done = gen_pick("--example", "chat_assistant", "--batch", "64", "--json", tmp_path=tmp_path)
    assert json.loads(done.stdout)["problem"]["batch"] == 64


def test_help_documents_every_input_of_the_rules(tmp_path):
    done = gen_pick("--help", tmp_path=tmp_path)
    assert done.returncode == 0
    for spec in load_rules()["inputs"]:
        assert spec["flag"] in done.stdout
        assert " ".join(spec["help"].split()[:4]) in " ".join(done.stdout.split())


@pytest.mark.parametrize("args, message", [
    (["--seq-len", "abc"], "--seq-len: must be a number (got 'abc')"),
    (["--seq-len", "0"], "--seq-len: must be at least 1 (got 0)"),
    (["--batch", "2.5"], "--batch: must be a whole number"),
    (["--params", "1e14"], "--params: must be at most 1.00 × 10¹³ (got 1.00 × 10¹⁴)"),
    (["--colour", "blue"], "unrecognized arguments: --colour blue"),
    (["--example", "no_such_example"], "--example: unknown example 'no_such_example'"),
    (["--seq-len"], "argument --seq-len: expected one argument"),
])
def test_bad_input_is_one_line_and_exit_status_2(args, message, tmp_path):
    done = gen_pick(*args, tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_rules_file_is_one_line_with_its_line_number_and_exit_status_1(tmp_path):
    rules = tmp_path / "rules.yaml"
    source = RULES_PATH.read_text()
    rules.write_text(source.replace("formula: 6 * params, unit: flops}", "formula: 6 * parms, unit: flops}"))
    done = gen_pick("--rules", str(rules), "--seq-len", "100", tmp_path=tmp_path)
    assert done.returncode == 1
    line = next(n for n, text in enumerate(rules.read_text().splitlines(), start=1) if "6 * parms" in text)
    assert done.stderr.startswith(f"{rules}:{line}: derived quantity 'recurrent_flops' reads 'parms'")
    assert done.stderr.count("\n") == 1


def test_gen_help_lists_the_picker_among_the_commands(tmp_path):
    done = run([sys.executable, "-m", "gen", "--help"], isolated_env(tmp_path), cwd=REPO)
    assert done.returncode == 0 and "pick: the architecture picker" in " ".join(done.stdout.split())
