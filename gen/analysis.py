"""Small numerical helpers shared by checks and renderers (NumPy only, no torch)."""

from __future__ import annotations

from collections.abc import Sequence

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
