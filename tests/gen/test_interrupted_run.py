"""Stopping `python -m gen` mid-run: every result file is the old one or a complete new one, and the
next run measures only what is not current.

Three private copies of tests/fixtures/experiments/fixture_steady run in order: 'first', 'hanging' and
'after'. 'hanging' waits in measure() once RVA_FIXTURE_HANG names a file, after creating that file;
the test waits for the file, so the signal always arrives when first's new result is stored, hanging
is being measured and 'after' has not started.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gen.errors import GenError
from gen.store import read_result
from tests.gen.running import FIXTURE_EXPERIMENTS, SMOKE_ON_CPU, gen, gen_env

HANG = '''

import os as _os
import time as _time

_measure_quickly = measure


def measure(config, device, advance):
    marker = _os.environ.get("RVA_FIXTURE_HANG")
    if marker:
        open(marker, "w").close()  # tells the test that measuring has started
        _time.sleep(600)  # until the test stops the run
    return _measure_quickly(config, device, advance)
'''
EXPERIMENTS = ("first", "hanging", "after")
WAIT_S = 120  # for the run to reach the hanging experiment: a guard against a stuck test, not a timing


def make_packages(root: Path) -> Path:
    packages = root / "packages"
    for name in EXPERIMENTS:
        shutil.copytree(FIXTURE_EXPERIMENTS / "fixture_steady", packages / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    measure = packages / "hanging" / "measure.py"
    measure.write_text(measure.read_text() + HANG)
    return packages


def change_every_config(packages: Path) -> None:
    """Make every stored smoke result stale, as an edit to the experiments would."""
    for name in EXPERIMENTS:
        init = packages / name / "__init__.py"
        text = init.read_text()
        assert "lengths=(1, 2, 3))" in text, init
        init.write_text(text.replace("lengths=(1, 2, 3))", "lengths=(1, 2, 3, 7))"))


def result_files(results: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((results / "smoke").iterdir())}


def interrupted_run(env: dict, marker: Path, how: signal.Signals) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "gen", "measure", *SMOKE_ON_CPU]
    # A shell's background job starts with SIGINT ignored, and an ignored signal stays ignored in every
    # child: the run would never see the interrupt. It gets the default action, as a terminal's run has.
    with subprocess.Popen(command, env={**env, "RVA_FIXTURE_HANG": str(marker)}, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)) as process:
        deadline = time.monotonic() + WAIT_S
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the run never reached the hanging experiment"
        process.send_signal(how)
        stdout, stderr = process.communicate(timeout=WAIT_S)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.fixture(scope="module", params=[signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def stopped(request, tmp_path_factory):
    """Results of a full run, made stale; then a run stopped while measuring 'hanging'; then a run again."""
    tmp = tmp_path_factory.mktemp(request.param.name)
    packages = make_packages(tmp)
    env = gen_env(tmp, ",".join(EXPERIMENTS), python_path=(packages,))
    results = tmp / "results"
    first = gen("measure", *SMOKE_ON_CPU, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    old = result_files(results)
    change_every_config(packages)
    stopped = interrupted_run(env, tmp / "hanging-started", request.param)
    after_stop = result_files(results)
    resumed = gen("measure", *SMOKE_ON_CPU, env=env)
    return {"signal": request.param, "old": old, "after_stop": after_stop, "stopped": stopped,
            "resumed": resumed, "results": results, "after_resume": result_files(results)}


def test_the_first_run_stored_a_result_for_every_experiment(stopped):
    assert sorted(stopped["old"]) == sorted(f"{name}.json" for name in EXPERIMENTS)


def test_a_stopped_run_exits_with_a_failure(stopped):
    assert stopped["stopped"].returncode != 0


def test_the_experiment_measured_before_the_stop_has_its_new_complete_result(stopped):
    new = stopped["after_stop"]["first.json"]
    assert json.loads(new)["data"]["points"][-1]["n"] == 7  # measured with the changed config


def test_the_experiments_not_finished_keep_their_old_result_byte_for_byte(stopped):
    for name in ("hanging.json", "after.json"):
        assert stopped["after_stop"][name] == stopped["old"][name], name


def test_every_file_left_by_the_stop_is_a_readable_result_and_none_is_temporary(stopped):
    assert sorted(stopped["after_stop"]) == sorted(stopped["old"])
    for name in stopped["after_stop"]:
        read_result(stopped["results"] / "smoke" / name)  # a GenError on a partial file


def test_the_next_run_measures_only_what_is_not_current(stopped):
    resumed = stopped["resumed"]
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    lines = resumed.stdout.splitlines()
    assert any(line.startswith("first [smoke]: current, reused") for line in lines)
    assert not any(line.startswith("first [smoke]: measuring") for line in lines)
    for name in ("hanging", "after"):
        assert any(line.startswith(f"{name} [smoke]: measuring on cpu") and "is stale" in line for line in lines)
    assert stopped["after_resume"]["first.json"] == stopped["after_stop"]["first.json"]
    for name in ("hanging.json", "after.json"):
        assert json.loads(stopped["after_resume"][name])["data"]["points"][-1]["n"] == 7


def test_an_interrupt_says_so_in_one_line_without_a_traceback_and_a_kill_ends_the_run_at_once(stopped):
    done = stopped["stopped"]
    if stopped["signal"] is signal.SIGKILL:  # cannot be handled: the process just ends, mid-measurement
        assert done.returncode == -signal.SIGKILL
        return
    assert done.returncode == 130
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [
        "interrupted: results already written are complete; run again to finish the rest."
    ]


def test_a_partial_result_file_would_be_caught(tmp_path):
    partial = tmp_path / "smoke" / "x.json"
    partial.parent.mkdir()
    partial.write_text('{"experiment": "x", "profile": "smoke", "provenance": {"code_')
    with pytest.raises(GenError, match="not valid JSON"):
        read_result(partial)
