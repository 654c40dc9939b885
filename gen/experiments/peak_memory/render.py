"""Figure, tables and values of the peak-memory experiment (matplotlib only, no torch)."""

from __future__ import annotations

import math
from typing import Any

from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from gen.experiments.peak_memory import readings
from gen.render.axes import log_axis
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value
from gen.render.numbers import measured_text
from gen.render.style import Theme, new_figure
from gen.render.units import binary_bytes_tick, binary_length_tick

MIB = 2**20
METHODS = ("naive", "math", "flash", "efficient", "cudnn")  # the order of legends and columns
LABELS = {
    "naive": "naive: softmax(QKᵀ/√d)V",
    "math": "SDPA math backend",
    "flash": "SDPA flash",
    "efficient": "SDPA memory-efficient",
    "cudnn": "SDPA cuDNN",
}
# (colour role, marker, line style): materialising methods in one hue, fused kernels in another.
STYLES = {
    "naive": ("extra", "o", "-"),
    "math": ("extra", "s", "--"),
    "flash": ("parallel", "o", "-"),
    "efficient": ("parallel", "^", "--"),
    "cudnn": ("parallel", "D", ":"),
}


def figures(data: dict[str, Any]) -> list[Figure]:
    skipped = ", ".join(LABELS[n] for n in unsupported(data)) or "none"
    naive = readings.upper_slope(data["attention"]["naive"], "forward")
    fused = readings.fused_slopes(data)
    first = readings.reference_fused(data)
    common = readings.largest_common_length(data, first) if first else None
    ratio = readings.naive_over_fused(data, first, common) if common else None
    (low, high), (fused_low, fused_high) = readings.NAIVE_SLOPE, readings.FUSED_SLOPE
    holds = (naive is not None and low <= naive <= high and bool(fused)
             and all(fused_low <= v <= fused_high for v in fused.values()) and ratio is not None and ratio > 1)
    return [
        Figure(
            "peak_vs_length",
            lambda theme: _peak_vs_length(data, theme),
            alt="Two log-log plots of peak allocated memory against sequence length, forward pass "
            f"on the left and forward plus backward on the right. {_slopes_text(data)} Naive attention's "
            f"forward peak lies {'above' if readings.naive_over_score_matrix(data) >= 1 else 'not always above'} "
            f"the dotted line for the score matrices (batch·heads·T² elements). {_oom_text(data)}",
            caption=f"Peak bytes allocated during one call, above what was allocated before it, in "
            f"{data['dtype']} with batch {data['batch']}, {data['heads']} heads of size "
            f"{data['head_dim']}; the LSTM has {data['lstm_hidden']} units. Slope 2 on these axes is "
            f"memory growing as T², slope 1 as T. The dotted line is batch·heads·T² elements, the "
            f"score matrices alone; crosses on the top edge mark lengths that ran out of memory. "
            f"Backends this device does not support: {skipped}.",
            lead=lead(f"Naive attention's peak memory grows as T² and the fused {LABELS.get(first, 'attention')} "
                      f"kernel's about as T, so that at T = {common or 0:,} naive attention holds "
                      f"{_times(ratio)} as much." if ratio else "Naive attention's peak memory grows as T².",
                      holds, f"forward log-log slopes: naive {naive or math.nan:.3g}, "
                      + ", ".join(f"{n} {v:.3g}" for n, v in fused.items())
                      + f" (needed {readings.NAIVE_SLOPE} and {readings.FUSED_SLOPE}); naive ÷ {first} at "
                      f"T = {common}: {ratio or math.nan:.3g}"),
        )
    ]


def _slopes_text(data: dict[str, Any]) -> str:
    """Each method's forward log-log slope, upper half of the sweep, in words."""
    parts = []
    for name in METHODS:
        slope = readings.upper_slope(data["attention"][name], "forward")
        if slope is not None:
            parts.append(f"{LABELS[name]} {_tidy(slope):.2f}")
    for phase, label in (("forward", "LSTM over the whole sequence"), ("streaming", "LSTM token by token"),
                         ("training", "LSTM training")):
        slope = readings.upper_slope(data["lstm"], phase)
        if slope is not None:
            parts.append(f"{label} {_tidy(slope):.2f}")
    return "Log-log slopes of the peak against T (forward unless named): " + ", ".join(parts) + "."


def _oom_text(data: dict[str, Any]) -> str:
    oom = [LABELS[name] for name in METHODS
           if any(p[phase] == "oom" for p in data["attention"][name] for phase in ("forward", "training"))]
    return (f"Crosses along the top edge mark runs that ran out of memory: {', '.join(oom)}." if oom
            else "No run ran out of memory.")


def _times(ratio: float | None) -> str:
    return "—" if ratio is None else measured_text(ratio, ",.2g", "×")


def tables(data: dict[str, Any]) -> list[Table]:
    return [_table(data, "forward"), _table(data, "training")]


def values(data: dict[str, Any]) -> list[Value]:
    attention = data["attention"]
    result = [
        Value("batch", data["batch"], "d", "", "batch size of the attention runs"),
        Value("heads", data["heads"], "d", "", "attention heads"),
        Value("head_dim", data["head_dim"], "d", "", "size of each head"),
        Value("bytes_per_element", data["bytes_per_element"], "d", " B", f"bytes per {data['dtype']} element"),
        Value("lstm_hidden", data["lstm_hidden"], "d", "", "LSTM hidden units (and input width)"),
    ]
    for name in METHODS:
        for phase, suffix in (("forward", ""), ("training", "_training")):
            slope = readings.upper_slope(attention[name], phase)
            if slope is not None:
                result.append(Value(f"{name}{suffix}_slope", _tidy(slope), ".2f", "",
                                    f"log-log slope of {LABELS[name]}'s {_PHASE[phase]} peak against T"))
    lstm = data["lstm"]
    for phase in ("forward", "streaming", "training"):
        slope = readings.upper_slope(lstm, phase)
        result.append(Value(f"lstm_{phase}_slope", None if slope is None else _tidy(slope), ".2f", "",
                            f"log-log slope of the LSTM's {_LSTM_PHASE[phase]} peak against T",
                            "(not measured: too few lengths for a slope)"))
    result += _lstm_values(lstm)
    result += _comparison_values(data)
    oom = [p["t"] for p in attention["naive"] if p["forward"] == "oom"]
    if oom:
        result.append(Value("naive_first_oom_t", min(oom), ",d", "",
                            "shortest T at which naive attention's forward pass ran out of memory"))
    fused = readings.reference_fused(data)
    if fused:
        largest = max(readings.forward_peaks(data, fused))
        result.append(Value("fused_largest_t", largest, ",d", "",
                            f"longest T the {LABELS[fused]} kernel ran (forward)"))
    return result


# phase labels, and the methods this device could not run -----------------------------------------

_PHASE = {"forward": "forward", "training": "forward + backward"}
_LSTM_PHASE = {"forward": "full-sequence inference", "streaming": "token-by-token inference",
               "training": "training (forward + backward)"}


def unsupported(data: dict[str, Any]) -> list[str]:
    return [name for name in METHODS if all(p["forward"] == "unsupported" for p in data["attention"][name])]


# helpers ------------------------------------------------------------------------------------------


def _comparison_values(data: dict[str, Any]) -> list[Value]:
    """Naive attention against the fused backend the checks compare it with, at the same length."""
    fused = readings.reference_fused(data)
    t = readings.largest_common_length(data, fused) if fused else None
    if t is None:
        return []
    naive, other = readings.forward_peaks(data, "naive")[t], readings.forward_peaks(data, fused)[t]
    return [
        Value("largest_common_t", t, ",d", "", f"longest T at which both naive attention and {LABELS[fused]} ran"),
        Value("naive_mib_at_largest_common_t", naive / MIB, ",.0f", " MiB",
              f"naive attention's forward peak at T = {t:,}"),
        Value("fused_mib_at_largest_common_t", other / MIB, ",.1f", " MiB",
              f"{LABELS[fused]}'s forward peak at T = {t:,}"),
        Value("naive_over_fused_at_largest_common_t", readings.naive_over_fused(data, fused, t), ",.0f", "×",
              f"naive / {LABELS[fused]} forward peak at T = {t:,}"),
        Value("naive_over_score_matrix_at_largest_common_t", naive / readings.score_matrix_bytes(data, t), ".2f",
              "×", f"naive forward peak / batch·heads·T² elements at T = {t:,}"),
        Value("score_matrix_mib_at_largest_common_t", readings.score_matrix_bytes(data, t) / MIB, ",.0f", " MiB",
              f"batch·heads·T² {data['dtype']} elements at T = {t:,}"),
    ]


def _lstm_values(lstm: list[dict[str, Any]]) -> list[Value]:
    result = []
    t, peak = readings.measured(lstm, "training")
    if len(t) >= 2:
        result.append(Value("lstm_training_kib_per_token", (peak[-1] - peak[0]) / (t[-1] - t[0]) / 1024,
                            ".1f", " KiB", f"extra LSTM training memory per token, T = {t[0]:,} to {t[-1]:,}"))
        result.append(Value("lstm_training_mib_at_largest_t", peak[-1] / MIB, ",.0f", " MiB",
                            f"LSTM training peak at T = {t[-1]:,}"))
        result.append(Value("lstm_largest_t", t[-1], ",d", "", "longest T the LSTM was trained on"))
    t, peak = readings.measured(lstm, "streaming")
    if t:
        result.append(Value("lstm_streaming_mib", max(peak) / MIB, ".2f", " MiB",
                            f"largest token-by-token LSTM inference peak, T = {t[0]:,} to {t[-1]:,}"))
        result.append(Value("lstm_streaming_largest_t", t[-1], ",d", "",
                            "longest T run token by token"))
    return result


def _table(data: dict[str, Any], phase: str) -> Table:
    names = [n for n in METHODS if n not in unsupported(data)]
    by_t = {n: {p["t"]: p[phase] for p in data["attention"][n]} for n in names}  # name -> T -> peak
    lstm = {p["t"]: p for p in data["lstm"]}
    lstm_phases = ("forward", "streaming") if phase == "forward" else ("training",)
    rows = []
    for t in by_t["naive"]:
        cells = [_mib(by_t[n][t]) for n in names]
        if all(cell == "—" for cell in cells):
            continue  # a length this phase was not run at
        cells += [_mib(lstm[t][k]) if t in lstm else "—" for k in lstm_phases]
        rows.append([f"{t:,}", _mib(readings.score_matrix_bytes(data, t)), *cells])
    lstm_columns = ["LSTM, whole sequence", "LSTM, token by token"] if phase == "forward" else ["LSTM"]
    what = "forward pass (no gradients)" if phase == "forward" else "forward and backward pass"
    return Table(
        f"peak_{phase}_mib",
        ["T", "score matrix", *(LABELS[n] for n in names), *lstm_columns],
        rows,
        caption=f"Peak MiB allocated during one {what} at each sequence length T; \"score matrix\" is "
        f"batch·heads·T² {data['dtype']} elements, the least a method that writes it out must hold. "
        f"OOM: out of memory; a dash: not run at that length.",
    )


def _mib(value: int | str) -> str:
    """Bytes as MiB to three significant figures (2.00, 5.29, 264, 1,040); OOM; a dash if not run."""
    if not isinstance(value, int):
        return {"oom": "OOM"}.get(value, "—")
    mib = value / MIB
    digits = max(0, 2 - math.floor(math.log10(mib))) if mib > 0 else 0
    return f"{mib:,.{digits}f}"


def _tidy(slope: float) -> float:
    """A slope rounded so that a flat line reads 0.00, not -0.00."""
    return round(slope, 6) + 0.0


def _peak_vs_length(data: dict[str, Any], theme: Theme):
    fig, axes = new_figure(theme, ncols=2)
    axes[1].sharey(axes[0])  # one scale, so that training's extra memory shows as height
    any_oom = False
    for ax, phase in zip(axes, ("forward", "training"), strict=True):
        rows = 0  # methods with an out-of-memory point so far on this panel
        for name in METHODS:
            role, marker, style = STYLES[name]
            rows += _series(ax, data["attention"][name], phase, LABELS[name], theme.color(role), marker,
                            style, oom_row=rows)
        any_oom = any_oom or rows > 0
        color = theme.color("recurrent")
        if phase == "forward":
            _series(ax, data["lstm"], "forward", "LSTM, whole sequence", color, "v", "-")
            _series(ax, data["lstm"], "streaming", "LSTM, token by token", color, "v", ":")
        else:
            _series(ax, data["lstm"], "training", "LSTM", color, "v", "-")
        lengths = [p["t"] for p in data["attention"]["naive"]]
        ax.plot(lengths, [readings.score_matrix_bytes(data, t) for t in lengths], color=theme.color("reference"),
                linestyle=":", linewidth=1.2, label="score matrices: batch·heads·T² elements")
        _log_axes(ax)
        ax.set_xlabel("sequence length T")
        ax.set_title("Forward pass" if phase == "forward" else "Forward + backward")
    axes[0].set_ylabel("peak memory allocated")
    axes[1].tick_params(labelleft=False)
    handles, labels = axes[0].get_legend_handles_labels()
    if any_oom:
        handles.append(Line2D([], [], color=theme.color("reference"), marker="x", linestyle="none"))
        labels.append("out of memory (top edge, at its length)")
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8)
    fig.set_figheight(5.0)
    return fig


def _series(ax, points: list[dict[str, Any]], phase: str, label: str, color: str, marker: str,
            style: str, oom_row: int = 0) -> bool:
    """One method's measured peaks; its out-of-memory lengths as crosses. True if there were any."""
    t, peak = readings.measured(points, phase)
    if t:
        ax.plot(t, peak, color=color, marker=marker, linestyle=style, label=label)
    oom = [p["t"] for p in points if p[phase] == "oom"]
    if oom:
        # Out of memory has no height: crosses along the top edge, one row per method.
        top = blended_transform_factory(ax.transData, ax.transAxes)
        ax.plot(oom, [0.97 - 0.05 * oom_row] * len(oom), transform=top, color=color, marker=marker,
                linestyle="none", markersize=7, markerfacecolor="none", clip_on=False)
        ax.plot(oom, [0.97 - 0.05 * oom_row] * len(oom), transform=top, color=color, marker="x",
                linestyle="none", markersize=5, clip_on=False)
    return bool(oom)


def _log_axes(ax) -> None:
    """Lengths in powers of two along x, bytes in powers of four along y."""
    log_axis(ax, "x", binary_length_tick, base=2, locator=None)
    log_axis(ax, "y", binary_bytes_tick, base=2, locator=4)

