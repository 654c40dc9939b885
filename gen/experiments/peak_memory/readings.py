"""Readings of the peak-memory data and the self-checks judged from them (NumPy only, no torch).

A point's peak under "forward", "streaming" or "training" is a byte count, or a string marker where
it produced none ("oom", "unsupported", "skipped"); every reading here skips the markers.

Every check is EXACT: a peak is a count of bytes the allocator handed out, which measuring again
gives to the byte. The bands only allow for the O(T) terms (inputs-sized outputs, fixed kernel
buffers) that bend a short sweep.
"""

from __future__ import annotations

from typing import Any

from gen.analysis import loglog_slope, upper_part
from gen.checks import EXACT, Check, greater, within
from gen.experiments.peak_memory import Config

FUSED = ("flash", "efficient", "cudnn")  # the backends that work on tiles, in preference order
NAIVE_SLOPE = (1.8, 2.2)  # a forward peak that grows as T², bent a little by the O(T) terms
FUSED_SLOPE = (0.7, 1.3)  # one that grows about as T


def measured(points: list[dict[str, Any]], phase: str) -> tuple[list[int], list[int]]:
    """The (T, bytes) pairs of one phase that produced a number, not a marker."""
    pairs = [(p["t"], p[phase]) for p in points if isinstance(p[phase], int)]
    return [t for t, _ in pairs], [b for _, b in pairs]


def upper_slope(points: list[dict[str, Any]], phase: str) -> float | None:
    """Log-log slope over the upper half of the sweep (fixed buffers flatten the lower end)."""
    t, peak = measured(points, phase)
    if len(t) >= 2:
        t, peak = upper_part(t, peak)
    return loglog_slope(t, peak) if len(t) >= 2 else None


def fused_slopes(data: dict[str, Any]) -> dict[str, float]:
    """Forward slope of each fused backend that ran at two lengths or more on this device."""
    slopes = {name: upper_slope(data["attention"][name], "forward") for name in FUSED}
    return {name: s for name, s in slopes.items() if s is not None}


def score_matrix_bytes(data: dict[str, Any], t: int) -> int:
    """batch·heads·T²·bytes: the score matrix alone, a lower bound on naive attention's peak."""
    return data["batch"] * data["heads"] * t * t * data["bytes_per_element"]


def forward_peaks(data: dict[str, Any], name: str) -> dict[int, int]:
    """T -> forward peak bytes of one attention method, at the lengths where it produced a number."""
    return dict(zip(*measured(data["attention"][name], "forward"), strict=True))


def reference_fused(data: dict[str, Any]) -> str | None:
    """The fused backend compared with naive attention: flash if it ran, else the next that did."""
    return next((n for n in FUSED if forward_peaks(data, n)), None)


def largest_common_length(data: dict[str, Any], fused: str) -> int | None:
    """The longest T at which both naive attention and this fused backend ran forward."""
    common = forward_peaks(data, "naive").keys() & forward_peaks(data, fused).keys()
    return max(common) if common else None


def naive_over_fused(data: dict[str, Any], fused: str, t: int) -> float:
    """How many times naive attention's forward peak is the fused backend's, at one length both ran."""
    return forward_peaks(data, "naive")[t] / forward_peaks(data, fused)[t]


def naive_over_score_matrix(data: dict[str, Any]) -> float:
    """The smallest naive forward peak over its score matrices' bytes: at least 1 if it stores them."""
    return min(peak / score_matrix_bytes(data, t) for t, peak in forward_peaks(data, "naive").items())


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    naive = data["attention"]["naive"]
    fused = fused_slopes(data)
    bound_ratio = naive_over_score_matrix(data)
    first = reference_fused(data)
    common = largest_common_length(data, first) if first else None
    return [
        within("naive_attention_is_quadratic", upper_slope(naive, "forward"), *NAIVE_SLOPE,
               "log-log slope of naive attention's forward peak, upper half of the sweep", kind=EXACT),
        Check("fused_attention_is_linear",
              bool(fused) and all(FUSED_SLOPE[0] <= s <= FUSED_SLOPE[1] for s in fused.values()),
              "log-log slope of each fused backend's forward peak, upper half of the sweep: "
              + (", ".join(f"{n} {s:.3g}" for n, s in fused.items()) or "no fused backend ran")
              + f", expected between {FUSED_SLOPE[0]:g} and {FUSED_SLOPE[1]:g}", EXACT),
        Check("naive_holds_the_score_matrix", bound_ratio >= 1.0,
              f"smallest naive forward peak / (batch·heads·T²·bytes per element) over the sweep = "
              f"{bound_ratio:.3g}, expected at least 1", EXACT),
        greater("fused_beats_naive_at_largest_common_length",
                naive_over_fused(data, first, common) if common else 0.0, 1.0,
                f"naive / {first} forward peak at T = {common}", kind=EXACT),
        within("lstm_training_is_linear", upper_slope(data["lstm"], "training"), 0.8, 1.2,
               "log-log slope of LSTM training's peak (forward + backward), upper half of the sweep", kind=EXACT),
    ]
