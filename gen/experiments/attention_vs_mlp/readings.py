"""Readings of the attention-vs-MLP data (slopes, crossovers) and the self-checks judged on them.

Torch-free and not part of the measuring hash: the page's numbers and the checks' verdicts are both
computed here, once, from the stored data, so a changed tolerance re-judges without re-measuring.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gen.analysis import loglog_slope, upper_part
from gen.checks import EXACT, TIMING, Check, close, greater
from gen.experiments.attention_vs_mlp import Config

# What the attention core is set against: the MLP alone, or every dense layer of the block.
COMPARISONS = {"mlp": ("mlp",), "dense": ("projections", "mlp")}


def part_times(entry: dict[str, Any], parts: tuple[str, ...]) -> tuple[list[int], list[float]]:
    """Lengths and summed median times of the given parts, over the points where all were measured."""
    lengths, times = [], []
    for point in entry["points"]:
        if all(isinstance(point[part], dict) for part in parts):
            lengths.append(point["length"])
            times.append(sum(point[part]["median_s"] for part in parts))
    return lengths, times


def slope(entry: dict[str, Any], part: str) -> float | None:
    """Log-log slope of one part's time against T over the upper half of the sweep, where the
    work, not fixed per-call overhead, sets the time."""
    lengths, times = upper_part(*part_times(entry, (part,)))
    return loglog_slope(lengths, times) if len(lengths) >= 2 else None


def core_over(entry: dict[str, Any], comparison: str) -> tuple[list[int], list[float]]:
    """core time / dense time at each T: below 1 the dense layers cost more, above 1 the core does."""
    core = dict(zip(*part_times(entry, ("core",)), strict=True))
    lengths, dense = part_times(entry, COMPARISONS[comparison])
    pairs = [(n, core[n] / t) for n, t in zip(lengths, dense, strict=True) if n in core]
    return [n for n, _ in pairs], [r for _, r in pairs]


def crossover(entry: dict[str, Any], comparison: str) -> float | None:
    """The T where the core's time equals the dense layers', from a least-squares line through
    log(core / dense) against log T; None if the ratio does not grow with T, or if the line crosses 1
    more than a factor of 2 outside the sweep, where the extrapolation would mean nothing.

    A fit through every point rather than the two around the crossing: on a busy machine one noisy
    point would otherwise move the answer by the whole spacing of the sweep.
    """
    lengths, ratios = core_over(entry, comparison)
    if len(lengths) < 2:
        return None
    slope, intercept = np.polyfit(np.log(lengths), np.log(ratios), 1)
    if slope <= 0:
        return None
    length = float(math.exp(-intercept / slope))
    return length if lengths[0] / 2 <= length <= 2 * lengths[-1] else None


def crossover_ratio(entry: dict[str, Any], comparison: str) -> float | None:
    """Measured crossover ÷ the FLOP count's prediction: 1 means the kernels are equally efficient."""
    measured = crossover(entry, comparison)
    return measured / entry["analytic"][comparison]["length"] if measured is not None else None


def slope_gap(entry: dict[str, Any]) -> float | None:
    """How much faster the core's time grows with T than the MLP's: the difference of their slopes."""
    core, mlp = slope(entry, "core"), slope(entry, "mlp")
    return core - mlp if core is not None and mlp is not None else None


# checks -------------------------------------------------------------------------------------------

SLOPE_GAP = 0.5  # core ~T² against MLP ~T: 1 in theory; 0.5 leaves room for a busy 2-core machine
CROSSOVER_FACTOR = 4.0  # measured crossover within 1/4 to 4 times the FLOP prediction


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    gaps = {e["width"]: slope_gap(e) for e in data["widths"]}
    ratios = {f"d={e['width']} {c}": crossover_ratio(e, c) for e in data["widths"] for c in COMPARISONS}
    near = all(r is not None and 1 / CROSSOVER_FACTOR <= r <= CROSSOVER_FACTOR for r in ratios.values())
    shown = ", ".join(f"{k}: {'none' if r is None else f'{r:.2f}'}" for k, r in ratios.items())
    formula_error = max(abs(f["formula"] - f["counted"]) / f["counted"] for f in data["flop_formulas"].values())
    smallest_gap = min((g for g in gaps.values() if g is not None), default=float("nan"))
    return [
        greater("core_outgrows_mlp", smallest_gap if None not in gaps.values() else float("nan"), SLOPE_GAP,
                "smallest difference of log-log slopes, attention core minus MLP, over the widths", kind=TIMING),
        close("flop_formulas_match_counter", formula_error, 1e-12,
              "analytic FLOPs against torch.utils.flop_counter, worst part, B=2 T=16 d=32", kind=EXACT),
        Check("crossovers_near_analytic", near,
              f"measured crossover ÷ FLOP prediction: {shown}; expected each between "
              f"{1 / CROSSOVER_FACTOR:g} and {CROSSOVER_FACTOR:g}", TIMING),
    ]
