"""The experiments that measure no time give the same data in a second, separate run.

gradient_distance, size_arithmetic and long_range_task compute numbers from seeded weights and
data, so their smoke results must not depend on the process, on what ran before them in it, or on
the order of the run. The session's built site measured every experiment in one process; here a
fresh `python -m gen` measures just these three, in another order, into another results folder, and
the stored data and the verdicts of the checks on them are compared. Left out: the provenance
(dates, wall time, versions), and long_range_task's per-run "timing", which is a stopwatch reading.

The in-process checks live with each experiment: tests/gen/test_gradient_distance_smoke.py and
test_long_range_task_smoke.py measure twice in the same process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run
from tests.gen.smoke import judged

DETERMINISTIC = ("size_arithmetic", "long_range_task", "gradient_distance")
TIMING_KEYS = {"timing"}  # measured durations; everything else in "data" is computed from seeds


def untimed(value: Any) -> Any:
    """value without any field that holds a measured duration, at any depth."""
    if isinstance(value, dict):
        return {k: untimed(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


def comparable(results: Path, name: str) -> dict[str, Any]:
    stored = json.loads((results / "smoke" / f"{name}.json").read_text())
    verdicts = [check.as_dict() for check in judged(name, stored["data"])]  # today's checks on that data
    return {"data": untimed(stored["data"]), "checks": verdicts}


@pytest.fixture(scope="module")
def second_run(built_site, tmp_path_factory) -> Path:
    results = tmp_path_factory.mktemp("measured_again") / "results"
    only = [arg for name in DETERMINISTIC for arg in ("--only", name)]
    env = {**built_site.env, "RVA_RESULTS": str(results), "RVA_RENDERED": str(results.parent / "rendered")}
    done = run([sys.executable, "-m", "gen", "measure", "--profile", "smoke", "--device", "cpu", *only], env)
    assert done.returncode == 0, done.stdout + done.stderr
    return results


@pytest.mark.parametrize("name", DETERMINISTIC)
def test_a_second_run_in_a_fresh_process_stores_the_same_data_and_checks(built_site, second_run, name):
    assert comparable(second_run, name) == comparable(built_site.results, name)


def test_only_timing_fields_are_left_out_of_the_comparison():
    data = {"runs": [{"accuracy": 0.5, "timing": {"seconds": 1.0}}], "timing": 2, "n": [1, {"timing": 3}]}
    assert untimed(data) == {"runs": [{"accuracy": 0.5}], "n": [1, {}]}
    changed = {**data, "runs": [{"accuracy": 0.75, "timing": {"seconds": 1.0}}]}
    assert untimed(changed) != untimed(data)
