"""Checks judged from the stored data by today's code, and the runner that measures again when only
timing-sensitive checks fail (gen/judging.py, gen/runner.py)."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import shutil

import pytest

from gen.experiment import SHARED_MEASURING_SOURCES, Experiment
from gen.experiments import names
from gen.judging import CHECKS_RAN
from gen.paths import REPO_ROOT
from gen.runner import MAX_ATTEMPTS, measure_one, measure_until_judged
from gen.selection import state_of
from gen.status import status_lines
from tests.gen.conftest import FIXTURE_EXPERIMENTS, forget
from tests.gen.smoke import smoke_data


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new))


# a real experiment, copied, whose tolerance a test edits ---------------------------------------------


@pytest.fixture
def copied_latency(tmp_path, monkeypatch, results_dir):
    """A private copy of latency_vs_length holding a stored result of this session's smoke data."""
    name = "copied_latency"
    packages = tmp_path / "packages"
    shutil.copytree(REPO_ROOT / "gen" / "experiments" / "latency_vs_length", packages / name,
                    ignore=shutil.ignore_patterns("__pycache__"))
    for source in (packages / name).glob("*.py"):
        source.write_text(source.read_text().replace("gen.experiments.latency_vs_length", name))
    monkeypatch.syspath_prepend(str(packages))
    forget(name)
    experiment = Experiment(name)
    data = smoke_data("latency_vs_length")
    monkeypatch.setattr(experiment.measuring_module(), "measure", lambda config, device, advance: data)
    measure_one(experiment, "smoke", "cpu")
    yield experiment
    forget(name)


def test_a_tightened_tolerance_rejudges_a_stored_result_that_stays_current(copied_latency):
    before = state_of(copied_latency, "smoke")
    assert before.current and before.failed_checks == []
    replace_in(copied_latency.folder / "readings.py", "CORE_SLOPE = (1.5, 2.3)", "CORE_SLOPE = (2.9, 3.0)")
    forget(copied_latency.package + ".readings")
    after = state_of(copied_latency, "smoke")
    assert after.current and after.stale_reasons == ()
    assert [c["name"] for c in after.failed_checks] == ["attention_core_is_near_quadratic"]
    assert "expected between 2.9 and 3" in after.failed_checks[0]["detail"]


def test_a_loosened_tolerance_passes_a_result_that_failed(copied_latency):
    path = copied_latency.folder / "readings.py"
    replace_in(path, "CORE_SLOPE = (1.5, 2.3)", "CORE_SLOPE = (2.9, 3.0)")
    forget(copied_latency.package + ".readings")
    assert state_of(copied_latency, "smoke").failed_checks
    replace_in(path, "CORE_SLOPE = (2.9, 3.0)", "CORE_SLOPE = (0.5, 3.0)")
    forget(copied_latency.package + ".readings")
    assert state_of(copied_latency, "smoke").failed_checks == []


# a crash in the checks is one failed check, and the data stay ---------------------------------------


def test_a_crash_in_the_checks_is_one_failed_check_naming_its_line_and_the_data_stay(editable, results_dir):
    measure_one(editable, "smoke", "cpu")
    stored = (results_dir / "smoke" / f"{editable.name}.json").read_bytes()
    replace_in(editable.folder / "readings.py", "    count = len(data[\"points\"])",
               "    count = len(data[\"no_such_key\"])")
    (check,) = state_of(editable, "smoke").failed_checks
    line = next(i for i, text in enumerate((editable.folder / "readings.py").read_text().splitlines(), 1)
                if "no_such_key" in text)
    assert check["name"] == CHECKS_RAN and check["kind"] == "exact"
    assert re.search(rf"readings\.py:{line}: checks could not run: KeyError: 'no_such_key'", check["detail"])
    assert (results_dir / "smoke" / f"{editable.name}.json").read_bytes() == stored
    assert state_of(editable, "smoke").current


def test_status_shows_the_verdict_of_todays_checks(editable, results_dir):
    measure_one(editable, "smoke", "cpu")
    assert not any("FAILED" in line for line in status_lines([editable]))
    replace_in(editable.folder / "readings.py", "count == len(config.lengths)", "count == 0")
    forget(editable.package + ".readings")  # as the next `python -m gen status` would read it afresh
    lines = status_lines([editable])
    assert any(line.strip().startswith("smoke  current;") and "checks 0/1" in line for line in lines)
    assert any(line.strip() == "FAILED one_point_per_length (exact): 3 points" for line in lines)


def test_the_stored_result_holds_no_verdict_that_could_go_stale(steady, results_dir):
    result = measure_one(steady, "smoke", "cpu")
    assert "checks" not in result and "checks" not in json.loads(
        (results_dir / "smoke" / "fixture_steady.json").read_text())


# a measurement is never lost to a bug after it -----------------------------------------------------------


def test_a_crash_recording_the_environment_keeps_the_measured_data(steady, results_dir, monkeypatch, capsys):
    def broken(device):
        raise OSError("no /proc here")

    monkeypatch.setattr("gen.runner.describe_environment", broken)
    measure_one(steady, "smoke", "cpu")
    stored = json.loads((results_dir / "smoke" / "fixture_steady.json").read_text())
    assert [p["n"] for p in stored["data"]["points"]] == [1, 2, 3]
    assert state_of(steady, "smoke").current
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.endswith("the device and versions could not be recorded (OSError: no /proc here); "
                         "the measured data are kept.")


# measuring again when only timing checks fail ---------------------------------------------------------------


@pytest.fixture
def flaky(monkeypatch, results_dir):
    monkeypatch.syspath_prepend(str(FIXTURE_EXPERIMENTS))
    forget("fixture_flaky")
    experiment = Experiment("fixture_flaky")
    experiment.measuring_module().ATTEMPTS[0] = 0
    yield experiment
    forget("fixture_flaky")


def configure(monkeypatch, experiment: Experiment, **changes) -> None:
    presets = experiment.spec.PRESETS
    monkeypatch.setitem(presets, "smoke", dataclasses.replace(presets["smoke"], **changes))


def attempts(experiment: Experiment) -> int:
    return experiment.measuring_module().ATTEMPTS[0]


def test_a_timing_check_that_fails_once_is_measured_again_and_says_so_in_one_line(flaky, monkeypatch, capsys):
    configure(monkeypatch, flaky, settles_on=2)
    checks = measure_until_judged(flaky, "smoke", "cpu")
    assert attempts(flaky) == 2 and all(c.passed for c in checks)
    out = capsys.readouterr().out
    assert out.count("measuring again") == 1
    assert "fixture_flaky [smoke]: timing-sensitive checks failed (settled); measuring again, attempt 2 of 3" in out
    assert state_of(flaky, "smoke").result["data"]["attempt"] == 2


def test_remeasuring_is_bounded_and_the_last_line_says_what_to_do(flaky, monkeypatch, capsys):
    configure(monkeypatch, flaky, settles_on=99)
    checks = measure_until_judged(flaky, "smoke", "cpu")
    assert attempts(flaky) == MAX_ATTEMPTS == 3
    assert [c.name for c in checks if not c.passed] == ["settled"]
    err = capsys.readouterr().err
    assert "FAILED settled (timing): attempt 3" in err
    assert ("experiment 'fixture_flaky' failed 1 self-check(s) after 3 measurements. Re-measure on a quieter "
            "machine: `python -m gen --only fixture_flaky --force`.") in err


def test_an_exact_check_that_fails_is_never_measured_again(flaky, monkeypatch, capsys):
    configure(monkeypatch, flaky, settles_on=99, exact_passes=False)
    measure_until_judged(flaky, "smoke", "cpu")
    assert attempts(flaky) == 1
    captured = capsys.readouterr()
    assert "measuring again" not in captured.out
    assert "Fix the experiment or its checks, then run `python -m gen --only fixture_flaky --force`." in captured.err


def test_passing_checks_are_measured_once(flaky):
    measure_until_judged(flaky, "smoke", "cpu")
    assert attempts(flaky) == 1


# what is hashed and what is not -----------------------------------------------------------------------------


UNHASHED = {"gen.analysis", "gen.checks", "gen.judging", "gen.render"}


def imported_modules(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.ImportFrom):  # from . import x
            found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize("name", names())
def test_measuring_code_imports_nothing_outside_the_measuring_hash(name):
    experiment = Experiment(f"gen.experiments.{name}")
    sources = [*experiment.measuring_sources(), *(REPO_ROOT / s for s in SHARED_MEASURING_SOURCES)]
    for source in sources:
        for module in imported_modules(source):
            unhashed = module in UNHASHED or any(module.startswith(u + ".") for u in UNHASHED)
            assert not unhashed and not module.endswith(("readings", "render")), (source, module)


@pytest.mark.parametrize("name", names())
def test_every_experiment_judges_its_checks_in_a_readings_module_without_torch(name):
    experiment = Experiment(f"gen.experiments.{name}")
    readings = experiment.folder / "readings.py"
    assert readings not in experiment.measuring_sources()
    modules = imported_modules(readings)
    assert not any(m == "torch" or m.startswith("torch.") or m.endswith("measure") for m in modules), modules
    assert "def checks(" in readings.read_text()
    assert "def checks(" not in (experiment.folder / "measure.py").read_text()
