"""Which result of an experiment is current, which is stale and why, and which one the site shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gen.checks import Check
from gen.experiment import PROFILES, Experiment
from gen.judging import judge
from gen.paths import result_path, shown
from gen.store import read_result

# The site prefers the strongest evidence that is current: frozen GPU results, then the CPU results
# that the build measures itself, then smoke data (which only tests use).
PREFERENCE = ("gpu", "cpu", "smoke")


@dataclass(frozen=True)
class ResultState:
    experiment: str
    profile: str
    path: str
    result: dict[str, Any] | None
    stale_reasons: tuple[str, ...]
    checks: tuple[Check, ...] = ()  # today's checks, judged from the stored data

    @property
    def exists(self) -> bool:
        return self.result is not None

    @property
    def current(self) -> bool:
        return self.exists and not self.stale_reasons

    @property
    def failed_checks(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self.checks if not c.passed]

    def describe(self) -> str:
        if not self.exists:
            return f"{self.path} is missing"
        if self.stale_reasons:
            return f"{self.path} is stale ({'; '.join(self.stale_reasons)})"
        return f"{self.path} is current"


def state_of(experiment: Experiment, profile: str) -> ResultState:
    path = result_path(profile, experiment.name)
    result = read_result(path)
    reasons: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    if result is not None:
        reasons = tuple(stale_reasons(experiment, profile, result))
        checks = tuple(judge(experiment, profile, result["data"]))
    return ResultState(experiment.name, profile, shown(path), result, reasons, checks)


def stale_reasons(experiment: Experiment, profile: str, result: dict[str, Any]) -> list[str]:
    """Why a stored result no longer describes the current code: each input whose digest changed."""
    recorded = result["provenance"].get("hash_parts", {})
    if profile not in experiment.spec.PRESETS:
        return [f"the experiment has no '{profile}' preset any more"]
    current = experiment.hash_parts(profile)
    reasons = []
    for name in sorted(set(recorded) | set(current)):
        if recorded.get(name) != current.get(name):
            what = "the config of this profile" if name == "config" else name
            reasons.append(f"{what} changed since it was measured")
    return reasons


def all_states(experiment: Experiment) -> dict[str, ResultState]:
    return {profile: state_of(experiment, profile) for profile in PROFILES}


def shown_profile(states: dict[str, ResultState]) -> str | None:
    """The profile whose result the site shows: the most preferred one that is current.

    A GPU result whose checks fail is passed over, for the CPU result the build measures itself:
    scarce device time must not be able to break the site, and a reader is told why (notes_for_site).
    A failing CPU result is chosen all the same, so that the build stops and says what to re-measure.
    """
    for profile in PREFERENCE:
        state = states[profile]
        if state.current and not (profile == "gpu" and state.failed_checks):
            return profile
    return None


def notes_for_site(states: dict[str, ResultState]) -> list[str]:
    """What a reader and the build log should be told: preferred results that exist but are not shown."""
    chosen = shown_profile(states)
    notes = []
    for profile in PREFERENCE:
        if profile == chosen:
            break
        state = states[profile]
        fallback = f"showing the {chosen} result instead" if chosen else "no current result to show"
        if state.exists and not state.current:
            notes.append(f"{state.describe()}; {fallback}.")
        elif state.current and state.failed_checks:
            failed = "; ".join(f"{c['name']}: {c['detail']}" for c in state.failed_checks)
            notes.append(f"{state.path} is current but its self-checks failed ({failed}); {fallback}.")
    return notes
