"""Self-checks: small assertions an experiment makes about its own data, stored with that data."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def within(name: str, value: float, low: float, high: float, what: str) -> Check:
    """Passes when low <= value <= high; the detail says what was measured against what range."""
    passed = low <= value <= high
    return Check(name, passed, f"{what} = {value:.3g}, expected between {low:g} and {high:g}")


def close(name: str, relative_error: float, tolerance: float, what: str) -> Check:
    passed = relative_error <= tolerance
    return Check(name, passed, f"{what}: relative error {relative_error:.2e} (tolerance {tolerance:.0e})")


def greater(name: str, value: float, bound: float, what: str) -> Check:
    return Check(name, value > bound, f"{what} = {value:.3g}, expected above {bound:g}")
