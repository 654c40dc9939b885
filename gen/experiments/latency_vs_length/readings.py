"""Readings of the measured data (slopes, ratios, FLOP/s) and the self-checks judged from them.

Torch-free and outside the measuring hash: render.py shows these readings and checks() judges them,
so the slope on a page is the slope a check passed, and a changed tolerance re-judges stored data.

A point's timing under "forward" or "train" is a timing dict, or a string marker ("oom",
"unsupported") where it could not be measured; every helper here skips the markers.
"""

from __future__ import annotations

from typing import Any

from gen.analysis import loglog_slope, upper_part
from gen.checks import EXACT, TIMING, Check, close, greater, within
from gen.experiments.latency_vs_length import Config

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


def rate_ratio_at_largest(data: dict[str, Any], one: str, other: str, mode: str) -> float | None:
    """FLOP/s of `one` over FLOP/s of `other`, at the longest length both were measured at: how well
    each layer's kernels use the machine, whatever their FLOP counts."""
    first, second = series(data, one), series(data, other)
    if first is None or second is None:
        return None
    lengths = {p["length"] for p in first["points"] if median(p, mode)} & {
        p["length"] for p in second["points"] if median(p, mode)}
    if not lengths:
        return None
    length = max(lengths)
    rates = [flops_per_s(next(p for p in s["points"] if p["length"] == length), mode) for s in (first, second)]
    return rates[0] / rates[1] if rates[0] and rates[1] else None


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


# checks -------------------------------------------------------------------------------------------

# Linear in T, against quadratic (2). Readings below 1 come from the fixed cost of each call, which a
# short smoke sweep on a CPU does not amortise (0.65 seen on a quiet machine); above 1, from load.
RECURRENT_SLOPE = (0.5, 1.45)
# The attention core's FLOPs grow as T², but per-row work (softmax, loads of Q and the output) adds
# a linear part that still shows at T of a few thousand on a CPU: 1.5 keeps it clearly super-linear.
CORE_SLOPE = (1.5, 2.3)
SLOPE_GAP = 0.3  # the attention layer's slope must beat the LSTM's by at least this much
# A FLOP/s figure well above the device's measured matmul peak means a wrong formula (a factor of 2 or
# more); the margin allows for a peak measured low on a small or busy run.
PEAK_MARGIN = 1.25


# The fused-RNN operators PyTorch dispatches to, by backend. A recurrent layer that calls none of them
# runs its time loop as separate small matrix products per step (aten::addmm, aten::linear).
FUSED_RNN_OPS = {
    "aten::mkldnn_rnn_layer": "oneDNN's fused RNN kernel: the whole time loop in one call",
    "aten::_cudnn_rnn": "cuDNN's fused RNN kernel: the whole time loop in one call",
    "aten::_thnn_fused_lstm_cell": "a fused cell kernel per step (PyTorch's own CUDA path)",
    "aten::_thnn_fused_gru_cell": "a fused cell kernel per step (PyTorch's own CUDA path)",
}
PER_STEP = "no fused kernel: separate matrix products and gate operations at every step"


def kernel(one: dict[str, Any]) -> str | None:
    """Which kind of kernel ran a recurrent layer's time loop, from the operators it called; None for
    an attention layer or data measured before the operators were recorded."""
    ops = one.get("ops")
    if not ops or one["family"] != "recurrent":
        return None
    if ops == "unsupported":
        return "not run on this device"
    return next((text for op, text in FUSED_RNN_OPS.items() if op in ops), PER_STEP)


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    recurrent = [s for s in data["series"] if s["family"] == "recurrent"]
    slopes = {f"{s['name']} {mode}": slope(s, mode) for s in recurrent for mode in MODES}
    linear = all(v is not None and RECURRENT_SLOPE[0] <= v <= RECURRENT_SLOPE[1] for v in slopes.values())
    shown = ", ".join(f"{k} {_number(v)}" for k, v in slopes.items())
    attention_gap = _difference(slope(series(data, "attention"), "train"),
                                slope(series(data, "lstm"), "train"))
    highest, where = highest_fraction_of_peak(data)
    formula_error = max(abs(f["formula"] - f["counted"]) / f["counted"] for f in data["flop_formulas"].values())
    return [
        Check("recurrent_time_is_linear", linear,
              f"log-log slopes over the upper half of the sweep: {shown}; expected each between "
              f"{RECURRENT_SLOPE[0]:g} and {RECURRENT_SLOPE[1]:g}", TIMING),
        within("attention_core_is_near_quadratic",
               _nan_if_none(slope(series(data, "attention_core"), "forward")), *CORE_SLOPE,
               "log-log slope of the attention core's forward time, upper half of the sweep", kind=TIMING),
        greater("attention_outgrows_lstm", _nan_if_none(attention_gap), SLOPE_GAP,
                "slope of self-attention's training step minus the LSTM's, upper half of the sweep", kind=TIMING),
        within("flops_below_measured_peak", highest, 0.0, PEAK_MARGIN,
               f"highest achieved FLOP/s as a fraction of the measured matmul peak ({where})", kind=TIMING),
        close("flop_formulas_match_counter", formula_error, 1e-12,
              "analytic FLOPs against torch.utils.flop_counter, worst layer, B=2 T=16 d=32", kind=EXACT),
    ]


def _difference(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


def _nan_if_none(value: float | None) -> float:
    return float("nan") if value is None else value


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
