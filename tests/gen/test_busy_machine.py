"""Every timing experiment's smoke run passes its checks while another process keeps one core busy.

A reader's laptop, a contributor's machine and a shared CI runner are all busy: the verdicts must
be the same as on a quiet machine. This runs each experiment as `python -m gen` would (the runner,
with its bounded re-measuring) beside a busy loop that the test starts and stops.
"""

from __future__ import annotations

import functools
import subprocess
import sys

import pytest

from gen.checks import TIMING
from gen.experiment import Experiment
from gen.experiments import names
from gen.runner import measure_until_judged
from tests.gen.smoke import judged, smoke_data

BUSY_LOOP = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"
LONGEST_BUSY_SECONDS = 900  # the loop ends by itself even if the test process dies


@functools.cache
def timing_experiments() -> list[str]:
    """The experiments with at least one timing-sensitive check on their smoke data."""
    return [name for name in names() if any(c.kind == TIMING for c in judged(name, smoke_data(name)))]


@pytest.fixture(scope="module")
def one_core_busy():
    loop = subprocess.Popen([sys.executable, "-c", BUSY_LOOP.format(seconds=LONGEST_BUSY_SECONDS)])
    yield loop
    loop.kill()
    loop.wait()


def test_the_timing_experiments_are_the_ones_that_time_things():
    assert {"serial_depth", "latency_vs_length", "attention_vs_mlp", "kv_cache", "parallel_scan"} <= set(
        timing_experiments())


@pytest.mark.parametrize("name", names())
def test_every_check_passes_with_one_core_kept_busy(name, results_dir, request):
    if name not in timing_experiments():
        pytest.skip(f"{name} has no timing-sensitive check")
    one_core_busy = request.getfixturevalue("one_core_busy")
    checks = measure_until_judged(Experiment(f"gen.experiments.{name}"), "smoke", "cpu")
    assert one_core_busy.poll() is None, "the busy loop ended before the measurement did"
    assert [f"{c.name}: {c.detail}" for c in checks if not c.passed] == []
