"""Self-checks: small assertions an experiment makes about its own data.

They are judged from the stored data by today's code (gen/judging.py), never stored with it, so a
changed tolerance re-judges every result, frozen GPU results included, without re-measuring.

Each check says what kind it is, because the runner treats the two kinds differently:
- EXACT: a formula, a count, a reproduced value. Measuring again gives the same answer, so a failure
  is a bug to fix and is never retried.
- TIMING: a slope, a ratio or a fraction of peak read off wall-clock times. A neighbour's load can
  bend those, so when only timing checks fail the runner measures that experiment again (twice at most).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

EXACT = "exact"
TIMING = "timing"
Kind = Literal["exact", "timing"]


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str
    kind: Kind

    def __post_init__(self) -> None:
        if self.kind not in (EXACT, TIMING):
            raise ValueError(f"check '{self.name}': kind must be 'exact' or 'timing', not {self.kind!r}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def within(name: str, value: float, low: float, high: float, what: str, *, kind: Kind) -> Check:
    """Passes when low <= value <= high; the detail says what was measured against what range."""
    passed = low <= value <= high
    return Check(name, passed, f"{what} = {value:.3g}, expected between {low:g} and {high:g}", kind)


def close(name: str, relative_error: float, tolerance: float, what: str, *, kind: Kind = EXACT) -> Check:
    passed = relative_error <= tolerance
    return Check(name, passed, f"{what}: relative error {relative_error:.2e} (tolerance {tolerance:.0e})", kind)


def greater(name: str, value: float, bound: float, what: str, *, kind: Kind) -> Check:
    return Check(name, value > bound, f"{what} = {value:.3g}, expected above {bound:g}", kind)
