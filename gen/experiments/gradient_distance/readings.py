"""Readings of the gradient-distance data and the self-checks judged from them (NumPy only, no torch).

measure.py fits each seed's curve (slope of ln(norm) per step, reach) from every distance and stores
the fits; what is read off those stored fits here (medians over seeds, decay per step) is what both
the checks judge and the page shows, so the two can never disagree.

Every check is EXACT: float64 gradients of seeded initialisations, no clock involved.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gen.checks import EXACT, Check, close, greater, within
from gen.experiments.gradient_distance import Config

# The recurrent models measure.py measures (its RECURRENT): they must decay, attention must not.
RECURRENT = ("rnn", "lstm", "lstm_forget_bias_1", "gru")
# Bound on max/min over k >= 1 of attention's seed-median curve: 3 to 7 seen, from the random spread between
# positions; exponential decay even at the slowest recurrent rate here (0.8 per step) gives 1e10 in 100 steps.
ATTENTION_FLAT_BOUND = 20.0


def median_slope(model: dict[str, Any]) -> float:
    """Median over seeds of the fitted slope of ln(gradient norm) per step back."""
    return float(np.median(model["slopes"]))


def decay_per_step(model: dict[str, Any]) -> float:
    """The fraction of the gradient that survives one step back: e to the median slope."""
    return math.exp(median_slope(model))


def decay_per_step_by_seed(model: dict[str, Any]) -> list[float]:
    """Each seed's fraction of the gradient surviving one step back, in seed order."""
    return [math.exp(slope) for slope in model["slopes"]]


def median_reach(reaches: list[int | None]) -> int | None:
    """Median distance over seeds; None when half or more of the seeds never fell below the threshold."""
    ordered = sorted(math.inf if r is None else r for r in reaches)
    middle = ordered[(len(ordered) - 1) // 2]  # lower median: a whole distance, never a half step
    return None if math.isinf(middle) else int(middle)


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    models = data["models"]
    attention = models["attention"]
    result = [
        # Every seed of every recurrent net must decay: one positive slope is enough to fail.
        within(f"{name}_gradient_decays", max(models[name]["slopes"]), -math.inf, -1e-3,
               f"largest per-seed slope of ln(gradient norm) per step, {name}", kind=EXACT)
        for name in RECURRENT
    ]
    result += [
        greater("forget_bias_1_decays_slower", median_slope(models["lstm_forget_bias_1"])
                - median_slope(models["lstm"]), 0.0,
                "median slope with forget-gate bias 1 minus median slope with the default bias", kind=EXACT),
        # No exponential decay: over the whole window the fitted trend changes the norm by under 2x...
        within("attention_has_no_trend", math.exp(median_slope(attention) * data["max_distance"]), 0.5, 2.0,
               f"change of attention's gradient norm from k = 1 to k = {data['max_distance']} implied by its "
               "fitted slope", kind=EXACT),
        # ...and the curve stays within a bounded band (positions differ at random, they do not decay).
        within("attention_is_flat", attention["median_max_over_min"] or math.inf, 1.0, ATTENTION_FLAT_BOUND,
               "max / min over k >= 1 of attention's median-over-seeds gradient norm", kind=EXACT),
        close("linear_recurrence_is_exactly_a_to_the_k", data["linear_max_relative_error"], 1e-12,
              f"gradient of the linear recurrence against {data['decay']}^k, every k and seed", kind=EXACT),
    ]
    return result
