"""What every experiment's smoke tests share: one smoke measurement per experiment and test session,
and the outcome of today's self-checks (the experiment's readings.py) on it."""

from __future__ import annotations

import copy
import importlib
from functools import cache

from gen.checks import Check
from gen.judging import only_timing_failed
from gen.runner import MAX_ATTEMPTS


@cache
def _measured(name: str) -> dict:
    """Measured as the runner measures (gen/runner.py): again, up to MAX_ATTEMPTS times, while only
    timing checks fail. Tests that doctor the data to fail one check need a baseline that passes the
    rest, and a busy machine can bend a timing curve of a tiny smoke run."""
    measure = importlib.import_module(f"gen.experiments.{name}.measure")
    config = importlib.import_module(f"gen.experiments.{name}").PRESETS["smoke"]
    for _ in range(MAX_ATTEMPTS):
        data = measure.measure(config, "cpu", lambda n: None)
        if not only_timing_failed(judged(name, data)):
            break
    return data


def smoke_data(name: str) -> dict:
    """The experiment's smoke data, measured once per session; a copy, so a test may change it."""
    return copy.deepcopy(_measured(name))


def judged(name: str, data: dict) -> list[Check]:
    """Today's checks of the experiment (its readings.py) on this data, with the smoke config."""
    readings = importlib.import_module(f"gen.experiments.{name}.readings")
    config = importlib.import_module(f"gen.experiments.{name}").PRESETS["smoke"]
    return readings.checks(data, config)


def check_outcomes(name: str, data: dict) -> dict[str, bool]:
    """Each self-check's name and whether it passed on this data."""
    return {check.name: check.passed for check in judged(name, data)}


def failed_checks(name: str, data: dict) -> list[str]:
    return [f"{c.name}: {c.detail}" for c in judged(name, data) if not c.passed]
