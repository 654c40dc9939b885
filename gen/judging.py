"""Judging a stored result with today's checks: the verdict is never frozen with the data.

A result file holds what was measured; whether that passes is decided here, each time it is read,
by the experiment's readings.py as it is now. So a changed tolerance or message re-judges every
stored result (cpu and frozen gpu) without making it stale, and a bug in a check is reported as one
failed check, never as a crash that would lose the measurement.
"""

from __future__ import annotations

from typing import Any

from gen.checks import EXACT, Check
from gen.experiment import Experiment
from gen.paths import shown

CHECKS_RAN = "checks_ran"  # the check that stands for all of them when readings.py itself fails


def judge(experiment: Experiment, profile: str, data: dict[str, Any]) -> list[Check]:
    """Today's checks of this experiment on this data, or one failed check saying why none ran."""
    try:
        readings = experiment.readings_module()
        config = experiment.config(profile)
        checks = list(readings.checks(data, config))
        if not all(isinstance(check, Check) for check in checks):
            raise TypeError("checks() must return gen.checks.Check objects")
        return checks
    except Exception as err:  # a bug in the checks, or data they do not understand
        where = experiment.innermost_frame(err) or shown(experiment.folder / "readings.py")
        return [Check(CHECKS_RAN, False, f"{where}: checks could not run: "
                      f"{type(err).__name__}: {err}", EXACT)]


def failed(checks: list[Check]) -> list[Check]:
    return [check for check in checks if not check.passed]


def only_timing_failed(checks: list[Check]) -> bool:
    """True when some checks failed and every one of them is timing-sensitive (worth re-measuring)."""
    failures = failed(checks)
    return bool(failures) and all(check.kind != EXACT for check in failures)
