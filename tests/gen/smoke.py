"""What every experiment's smoke tests share: one smoke measurement per experiment and test session,
and the outcome of its self-checks."""

from __future__ import annotations

import copy
import importlib
from functools import cache


@cache
def _measured(name: str) -> dict:
    measure = importlib.import_module(f"gen.experiments.{name}.measure")
    config = importlib.import_module(f"gen.experiments.{name}").PRESETS["smoke"]
    return measure.measure(config, "cpu", lambda n: None)


def smoke_data(name: str) -> dict:
    """The experiment's smoke data, measured once per session; a copy, so a test may change it."""
    return copy.deepcopy(_measured(name))


def check_outcomes(name: str, data: dict) -> dict[str, bool]:
    """Each self-check's name and whether it passed on this data."""
    measure = importlib.import_module(f"gen.experiments.{name}.measure")
    config = importlib.import_module(f"gen.experiments.{name}").PRESETS["smoke"]
    return {check.name: check.passed for check in measure.checks(data, config)}


def failed_checks(name: str, data: dict) -> list[str]:
    measure = importlib.import_module(f"gen.experiments.{name}.measure")
    config = importlib.import_module(f"gen.experiments.{name}").PRESETS["smoke"]
    return [f"{c.name}: {c.detail}" for c in measure.checks(data, config) if not c.passed]
