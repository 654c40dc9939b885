"""Small numerical helpers shared by checks and renderers (NumPy only, no torch)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np


def loglog_slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares slope of log(y) against log(x): 1 for linear growth, 2 for quadratic."""
    x = np.log(np.asarray(xs, dtype=float))
    y = np.log(np.asarray(ys, dtype=float))
    slope, _ = np.polyfit(x, y, 1)
    return float(slope)


def upper_part(xs: Sequence[float], ys: Sequence[float], fraction: float = 0.5) -> tuple[list, list]:
    """The points whose x lies in the top `fraction` of the sweep's decades.

    Fixed per-call overhead flattens the small-x end of every timing curve, so growth rates are read
    off the large-x end, where the work itself dominates.
    """
    logs = np.log10(np.asarray(xs, dtype=float))
    cut = logs.max() - fraction * (logs.max() - logs.min())
    keep = [i for i, value in enumerate(logs) if value >= cut - 1e-9]
    return [xs[i] for i in keep], [ys[i] for i in keep]


# Spreads: how far a reading moves between repeated passes, for the digits a page may show
# (gen/render/numbers.py).
#
# The timing helper measures the variants it compares in turn, several passes round, and keeps each
# variant's fastest pass (gen/measuring/timing.py), storing every pass's median. Any reading (a time,
# a ratio, a slope, a crossover) can then be recomputed from one pass alone, where everything it uses
# was timed side by side. Half the range of those recomputations, over the reading from the kept
# values, is its relative spread: one mechanism for every kind of reading, so none is special-cased.


def pass_count(data: Any) -> int | None:
    """The number of passes every timing in `data` has, if they all have the same number (two or more)."""
    counts = {len(timing["pass_medians_s"]) for timing in _timings(data)}
    if len(counts) != 1:
        return None
    count = counts.pop()
    return count if count >= 2 else None


def pass_view(data: Any, k: int) -> Any:
    """A copy of `data` in which every timing's median is that of its pass k."""
    if isinstance(data, dict):
        if "pass_medians_s" in data:
            return {**data, "median_s": data["pass_medians_s"][k]}
        return {key: pass_view(value, k) for key, value in data.items()}
    if isinstance(data, list):
        return [pass_view(item, k) for item in data]
    return data


def spread_over_passes(data: Any, reading: Callable[[Any], float | None]) -> float | None:
    """Relative spread of reading(data): half the range of the reading on each pass alone, over
    |reading(data)|. None when the data have no common passes or a pass gives no reading."""
    passes = pass_count(data)
    value = reading(data)
    if passes is None or not value:
        return None
    per_pass = [reading(pass_view(data, k)) for k in range(passes)]
    if any(v is None or not math.isfinite(v) for v in per_pass):
        return None
    return (max(per_pass) - min(per_pass)) / 2 / abs(value)


def _timings(data: Any) -> Iterator[dict]:
    if isinstance(data, dict):
        if "pass_medians_s" in data:
            yield data
            return
        for value in data.values():
            yield from _timings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _timings(item)
