"""Readings of the serial-depth data (slopes, ratios, crossover) and the self-checks judged on them.

Torch-free and not part of the measuring hash: the page's numbers and the checks' verdicts are both
computed here, once, from the stored data, so a changed tolerance re-judges without re-measuring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gen.analysis import loglog_slope, upper_part
from gen.checks import EXACT, TIMING, Check, close, greater, within
from gen.experiments.serial_depth import Config

Point = dict[str, Any]


def slope(points: list[Point], time_of: Callable[[Point], float]) -> float:
    """Log-log slope of time against length over the upper half of the sweep, where the work, not
    fixed per-call overhead, sets the time: 1 for a linear loop, 2 for a quadratic one."""
    n, t = upper_part([p["n"] for p in points], [time_of(p) for p in points])
    return loglog_slope(n, t)


def python_loop_slope(data: dict[str, Any]) -> float:
    return slope(data["python"], lambda p: p["loop"]["median_s"])


def torch_loop_slope(data: dict[str, Any]) -> float:
    return slope(data["torch_loop"], lambda p: p["median_s"])


def torch_loop_over_scan(data: dict[str, Any]) -> tuple[list[int], list[float]]:
    """Torch loop time / cumsum time at every length where both were timed (side by side)."""
    scan = {p["n"]: p["median_s"] for p in data["torch_scan"]}
    both = [p for p in data["torch_loop"] if p["n"] in scan]
    return [p["n"] for p in both], [p["median_s"] / scan[p["n"]] for p in both]


def loop_over_scan_at_largest_loop(data: dict[str, Any]) -> tuple[int, float]:
    """The longest torch-loop length and loop time / cumsum time there: how far the scan wins."""
    largest = data["torch_loop"][-1]
    scan = {p["n"]: p["median_s"] for p in data["torch_scan"]}
    return largest["n"], largest["median_s"] / scan[largest["n"]]


def python_ratio(point: Point, fast: str) -> float:
    """Python loop time / the time of a vectorised form ("sum" or "closed_form") at one length."""
    return point["loop"]["median_s"] / point[fast]["median_s"]


def sum_wins_from(python: list[Point]) -> int:
    """The shortest measured n from which sum() is faster than the loop at every longer n."""
    first = python[-1]["n"]
    for p in reversed(python):
        if p["sum"]["median_s"] >= p["loop"]["median_s"]:
            break
        first = p["n"]
    return first


# checks -------------------------------------------------------------------------------------------


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    largest_n, loop_over_scan = loop_over_scan_at_largest_loop(data)
    return [
        # Linear (slope 1) against quadratic (slope 2): the band is wide because a busy machine bends
        # a short sweep, and still far from 2.
        within("python_loop_is_linear", python_loop_slope(data), 0.75, 1.35,
               "log-log slope of the Python loop's time, upper half of the sweep", kind=TIMING),
        within("torch_loop_is_linear", torch_loop_slope(data), 0.75, 1.35,
               "log-log slope of the torch loop's time, upper half of the sweep", kind=TIMING),
        close("closed_form_matches_loop", data["agreement"]["closed_form_vs_loop"], 1e-9,
              "NumPy closed form against the Python loop, n = 1000", kind=EXACT),
        close("cumsum_matches_loop", data["agreement"]["cumsum_vs_loop"], 1e-12,
              "torch.cumsum against the torch loop with a = 1, n = 1000, float64", kind=EXACT),
        greater("scan_beats_loop_at_largest_n", loop_over_scan, 1.0,
                f"torch loop time / cumsum time at n = {largest_n}", kind=TIMING),
    ]
