"""Numbers derived from the measured data (slopes, ratios, FLOP/s): shared by checks and render, no torch.

A point's timing under "forward" or "train" is a timing dict, or a string marker ("oom",
"unsupported") where it could not be measured; every helper here skips the markers.
"""

from __future__ import annotations

from typing import Any

from gen.analysis import loglog_slope, upper_part

MODES = ("forward", "train")


def series(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((s for s in data["series"] if s["name"] == name), None)


def median(point: dict[str, Any], mode: str) -> float | None:
    timing = point[mode]
    return timing["median_s"] if isinstance(timing, dict) else None


def measured(one: dict[str, Any], mode: str) -> tuple[list[int], list[float]]:
    """Lengths and median times of the points that were measured."""
    pairs = [(p["length"], median(p, mode)) for p in one["points"] if median(p, mode) is not None]
    return [n for n, _ in pairs], [t for _, t in pairs]


def slope(one: dict[str, Any] | None, mode: str) -> float | None:
    """Log-log slope of time against length over the upper half of the sweep's decades."""
    if one is None:
        return None
    lengths, times = measured(one, mode)
    if len(lengths) < 2:
        return None
    upper_lengths, upper_times = upper_part(lengths, times)
    return loglog_slope(upper_lengths, upper_times) if len(upper_lengths) >= 2 else None


def time_at(one: dict[str, Any] | None, mode: str, length: int) -> float | None:
    if one is None:
        return None
    return next((median(p, mode) for p in one["points"] if p["length"] == length), None)


def ratio_at(data: dict[str, Any], slow: str, fast: str, mode: str, length: int) -> float | None:
    """time(slow) / time(fast) at one length: above 1 means `fast` is faster."""
    numerator = time_at(series(data, slow), mode, length)
    denominator = time_at(series(data, fast), mode, length)
    return numerator / denominator if numerator and denominator else None


def flops_per_s(point: dict[str, Any], mode: str) -> float | None:
    seconds = median(point, mode)
    if seconds is None:
        return None
    return point["flops"][mode] / seconds


def fraction_of_peak(data: dict[str, Any], point: dict[str, Any], mode: str) -> float | None:
    achieved = flops_per_s(point, mode)
    return achieved / data["peak"]["flops_per_s"] if achieved is not None else None


def largest_measured(one: dict[str, Any] | None, mode: str) -> dict[str, Any] | None:
    """The longest point of a series that was measured in this mode."""
    if one is None:
        return None
    return next((p for p in reversed(one["points"]) if median(p, mode) is not None), None)


def highest_fraction_of_peak(data: dict[str, Any]) -> tuple[float, str]:
    """The largest fraction of the peak any layer reached, and which layer, length and mode it was."""
    best, where = 0.0, "none measured"
    for one in data["series"]:
        for point in one["points"]:
            for mode in MODES:
                fraction = fraction_of_peak(data, point, mode)
                if fraction is not None and fraction > best:
                    best, where = fraction, f"{one['name']} {mode} at T = {point['length']}"
    return best, where
