"""Figures, tables and values of the latency-vs-length experiment (matplotlib and NumPy only)."""

from __future__ import annotations

from typing import Any

from gen.analysis import spread_over_passes
from gen.experiments.latency_vs_length import readings
from gen.render.axes import log_axis
from gen.render.model import Figure, Table, Value
from gen.render.style import Theme, new_figure
from gen.render.units import binary_length_tick, format_seconds, seconds_tick

CLAIMED_SPEEDUP = (5.0, 10.0)  # source B: Transformers "train 5-10x faster per epoch" at N = 512
MODE_TITLES = {"forward": "Forward pass", "train": "Training step (forward + backward)"}
# Colour role and marker per layer; the cuDNN-off variants reuse their layer's look, dotted.
LOOK = {  # (colour: the model's own, gen/render/style.py; marker; line style)
    "lstm": ("lstm", "o", "-"), "gru": ("gru", "s", "-"),
    "attention_core": ("attention_core", "^", "--"), "attention": ("attention", "v", "-"),
    "transformer": ("transformer", "D", "-"),
}


def figures(data: dict[str, Any]) -> list[Figure]:
    setting = _setting(data)
    return [
        Figure(
            "time_vs_length", lambda theme: _time_vs_length(data, theme),
            alt="Two log-log plots of time per call against sequence length, forward pass on the left "
            "and training step on the right, for an LSTM, a GRU, self-attention, the attention core "
            "alone and a Transformer layer. The recurrent curves rise with slope about 1; the attention "
            "curves bend upwards towards slope 2 at the long end.",
            caption=f"Time per call against sequence length T, {setting}; median of repeated runs. "
            "On log-log axes the slope is the growth exponent: the grey guides show slopes 1 and 2.",
        ),
        Figure(
            "fraction_of_peak", lambda theme: _fraction_of_peak(data, theme),
            alt="Two log-log plots of achieved FLOP/s as a fraction of the device's measured matmul "
            "peak against sequence length, forward pass and training step. The attention layers climb "
            "towards a large fraction of the peak as T grows; the recurrent layers stay far below it.",
            caption="How much of the machine each layer uses: analytic FLOPs (matrix products only) "
            f"divided by measured time, over the peak of a large {data['dtypes']['peak']} matmul "
            f"measured in the same run ({_flops_text(data['peak']['flops_per_s'])}).",
        ),
        Figure(
            "recurrent_over_transformer", lambda theme: _recurrent_over_transformer(data, theme),
            alt="Ratio of a recurrent layer's training-step time to the Transformer layer's against "
            "sequence length, log-log, with source B's claimed 5 to 10 times band marked at T = 512.",
            caption="How many times slower a recurrent layer's training step is than a Transformer "
            "layer's of the same width. Above 1 the Transformer layer is faster; the shaded band is "
            "source B's claimed 5-10× at T = 512.",
        ),
    ]


def tables(data: dict[str, Any]) -> list[Table]:
    claim = data["claim_length"]
    transformer_train = readings.time_at(readings.series(data, "transformer"), "train", claim)
    rows = []
    for one in data["series"]:
        point = next((p for p in one["points"] if p["length"] == claim), None)
        if point is None:
            continue
        train = readings.median(point, "train")
        rows.append([
            one["label"], _time(readings.median(point, "forward")), _time(train),
            f"{train / transformer_train:.2f}×" if train and transformer_train else "—",
            f"{point['flops']['forward'] / 1e9:,.3g}",
            _percent(readings.fraction_of_peak(data, point, "train")),
        ])
    lengths = [p["length"] for p in data["series"][0]["points"]]
    by_length = [[f"{n:,}"] + [_time(readings.time_at(s, "train", n)) for s in data["series"]] for n in lengths]
    return [
        Table("at_claim_length",
              ["layer", "forward", "training step", "÷ Transformer layer", "forward GFLOP", "of peak (training)"],
              rows, caption=f"Each layer at T = {claim:,}, {_setting(data)}. A training step is forward "
              "plus backward; its FLOPs are counted as 3 × forward."),
        Table("training_step_times", ["T"] + [s["label"] for s in data["series"]], by_length,
              caption=f"Median training-step time per layer and sequence length, {_setting(data)}; "
              "a dash where a point could not be measured (out of memory or unsupported)."),
        Table("recurrent_kernels", ["layer", "what ran its time loop"],
              [[one["label"], readings.kernel(one) or "not recorded in this run"]
               for one in data["series"] if one["family"] == "recurrent"], align="ll",
              caption=f"Read from the operators each recurrent layer's forward pass called (torch.profiler), "
              f"{_setting(data)}."),
    ]


def values(data: dict[str, Any]) -> list[Value]:
    def spread(reading):  # how far this reading moved between the repeated passes
        return spread_over_passes(data, reading)

    claim = data["claim_length"]
    result = [
        Value("width", data["width"], "d", "", "model width d (attention) and hidden size (recurrent)"),
        Value("batch", data["batch"], "d", "", "batch size of every timed call"),
        Value("claim_length", claim, ",d", "", "the length source B's speed-up claim is about"),
        Value("largest_length", data["series"][0]["points"][-1]["length"], ",d", "", "longest sequence timed"),
        _flops_value("peak_flops", data["peak"]["flops_per_s"], data,
                     f"measured peak of a large {data['dtypes']['peak']} matmul on this device",
                     spread(_peak_flops)),
    ]
    for slow in ("lstm", "gru", "lstm_no_cudnn", "gru_no_cudnn"):
        for mode in readings.MODES:
            ratio = readings.ratio_at(data, slow, "transformer", mode, claim)
            if ratio is not None:
                result.append(Value(f"{slow}_over_transformer_{mode}_at_{claim}", ratio, ".2f", "×",
                                    f"{_label(data, slow)} {mode} time ÷ Transformer layer's, T = {claim}",
                                    spread=spread(lambda d, slow=slow, mode=mode:
                                                  readings.ratio_at(d, slow, "transformer", mode, claim))))
    def train_over_forward(d: dict[str, Any]) -> float | None:
        train, forward = (readings.time_at(readings.series(d, "lstm"), mode, claim) for mode in ("train", "forward"))
        return train / forward if train and forward else None

    result.append(Value("lstm_train_over_forward_at_claim", train_over_forward(data), ".1f", "×",
                        f"LSTM training step ÷ its forward pass, T = {claim}", "not timed in this run",
                        spread=spread(train_over_forward)))
    for one in data["series"]:
        for mode in readings.MODES:
            slope = readings.slope(one, mode)
            if slope is not None:
                result.append(Value(f"{one['name']}_{mode}_slope", slope, ".2f", "",
                                    f"log-log slope of {one['label']} {mode} time, upper half of the sweep",
                                    spread=spread(lambda d, name=one["name"], mode=mode:
                                                  readings.slope(readings.series(d, name), mode))))
        result += _at_largest(data, one, spread)
    for name in ("lstm", "gru"):  # GPU only: what cuDNN's fused recurrence buys at the longest length
        slow, fast = readings.series(data, f"{name}_no_cudnn"), readings.series(data, name)
        last = readings.largest_measured(slow, "train") if slow and fast else None
        ratio = last and readings.ratio_at(data, f"{name}_no_cudnn", name, "train", last["length"])
        if ratio:
            result.append(Value(f"{name}_cudnn_speedup_train_at_largest", ratio, ".1f", "×",
                                f"{name.upper()} training step without cuDNN ÷ with it, T = {last['length']:,}",
                                spread=spread(lambda d, name=name, length=last["length"]:
                                              readings.ratio_at(d, f"{name}_no_cudnn", name, "train", length))))
    lstm_from = _faster_from(data, "lstm", "transformer")
    if lstm_from is not None:
        result.append(Value("lstm_trains_faster_from_length", lstm_from, ",d", "",
                            "shortest T from which the LSTM's training step beats the Transformer layer's"))
    return result


# helpers ------------------------------------------------------------------------------------------


def _at_largest(data: dict[str, Any], one: dict[str, Any], spread) -> list[Value]:
    """Achieved FLOP/s and fraction of peak of one layer's forward pass at its longest measured T."""
    point = readings.largest_measured(one, "forward")
    if point is None:
        return []
    where = f"{one['label']}, forward, T = {point['length']:,}"

    def point_of(d: dict[str, Any]) -> dict[str, Any]:
        return next(p for p in readings.series(d, one["name"])["points"] if p["length"] == point["length"])

    return [
        _flops_value(f"{one['name']}_flops_at_largest", readings.flops_per_s(point, "forward"), data,
                     f"achieved FLOP/s, {where}", spread(lambda d: readings.flops_per_s(point_of(d), "forward"))),
        Value(f"{one['name']}_fraction_of_peak_at_largest", readings.fraction_of_peak(data, point, "forward"),
              ".1%", "", f"achieved FLOP/s over the measured matmul peak, {where}",
              spread=spread(lambda d: readings.flops_per_s(point_of(d), "forward") / _peak_flops(d))),
    ]


def _peak_flops(data: dict[str, Any]) -> float:
    """The matmul peak recomputed from its runs' medians, so that in a single pass's view
    (gen/analysis.py) it is that pass's peak. A run's FLOPs are its stored rate times the time of the
    pass it kept, the fastest; no FLOP formula is written twice."""
    return max(run["flops_per_s"] * min(run["pass_medians_s"]) / run["median_s"] for run in data["peak"]["runs"])


def _faster_from(data: dict[str, Any], fast: str, slow: str) -> int | None:
    """The shortest T from which `fast`'s training step beats `slow`'s at every longer T; None if never."""
    first = None
    for point in reversed(readings.series(data, fast)["points"]):
        ratio = readings.ratio_at(data, slow, fast, "train", point["length"])
        if ratio is None or ratio <= 1.0:
            break
        first = point["length"]
    return first


def _time_vs_length(data: dict[str, Any], theme: Theme):
    fig, axes = new_figure(theme, ncols=2)
    for ax, mode in zip(axes, readings.MODES, strict=True):
        for one in data["series"]:
            _plot(ax, one, *readings.measured(one, mode), theme)
        _guides(ax, data, mode, theme)
        _log_axes(ax, seconds_tick)
        ax.set_title(MODE_TITLES[mode])
        ax.set_xlabel("sequence length T (tokens)")
    axes[0].set_ylabel("time per call")
    axes[0].legend(loc="upper left", fontsize=8)
    return fig


def _fraction_of_peak(data: dict[str, Any], theme: Theme):
    fig, axes = new_figure(theme, ncols=2)
    for ax, mode in zip(axes, readings.MODES, strict=True):
        for one in data["series"]:
            pairs = [(p["length"], readings.fraction_of_peak(data, p, mode)) for p in one["points"]]
            pairs = [(n, f) for n, f in pairs if f is not None]
            _plot(ax, one, [n for n, _ in pairs], [f for _, f in pairs], theme)
        ax.axhline(1.0, color=theme.color("reference"), linewidth=1.0)
        _log_axes(ax, lambda v, _: f"{v:.0%}" if v >= 0.01 else f"{v:.1%}")
        ax.set_title(MODE_TITLES[mode])
        ax.set_xlabel("sequence length T (tokens)")
    axes[0].set_ylabel("achieved FLOP/s ÷ matmul peak")
    axes[1].legend(loc="lower right", fontsize=8)
    return fig


def _recurrent_over_transformer(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    for one in data["series"]:
        if one["family"] != "recurrent":
            continue
        pairs = [(p["length"], readings.ratio_at(data, one["name"], "transformer", "train", p["length"]))
                 for p in one["points"]]
        pairs = [(n, r) for n, r in pairs if r is not None]
        _plot(ax, one, [n for n, _ in pairs], [r for _, r in pairs], theme)
    claim, (low, high) = data["claim_length"], CLAIMED_SPEEDUP
    ax.axhline(1.0, color=theme.color("reference"), linewidth=1.0)
    ax.fill_between([claim / 1.25, claim * 1.25], low, high, color=theme.color("reference"), alpha=0.25,
                    linewidth=0, label=f"source's claim at T = {claim}")
    _log_axes(ax, lambda v, _: f"{v:g}×")
    ax.set_xlabel("sequence length T (tokens)")
    ax.set_ylabel("recurrent ÷ Transformer layer\n(training-step time)")
    ax.legend(loc="best", fontsize=8)
    return fig


def _plot(ax, one: dict[str, Any], xs: list, ys: list, theme: Theme) -> None:
    role, marker, style = LOOK[one["name"].removesuffix("_no_cudnn")]
    cudnn_off = one["backend"] == "no_cudnn"
    ax.plot(xs, ys, marker=marker, color=theme.color(role), linestyle=":" if cudnn_off else style,
            markerfacecolor="none" if cudnn_off else theme.color(role), label=one["label"])


def _guides(ax, data: dict[str, Any], mode: str, theme: Theme) -> None:
    """Slope-1 and slope-2 lines through the first point of the LSTM and of the attention core."""
    for name, power in (("lstm", 1), ("attention_core", 2)):
        one = readings.series(data, name)
        lengths, times = readings.measured(one, mode) if one else ([], [])
        if lengths:
            ends = [lengths[0], lengths[-1]]
            ax.plot(ends, [times[0] * (n / lengths[0]) ** power for n in ends], color=theme.color("reference"),
                    linewidth=0.9, linestyle=(0, (4, 3)), zorder=0)
            ax.annotate(f"∝ T{'²' if power == 2 else ''}", (ends[-1], times[0] * (ends[-1] / ends[0]) ** power),
                        xytext=(-4, 0), textcoords="offset points", ha="right", va="top",
                        color=theme.color("reference"), fontsize=8)


def _log_axes(ax, y_label) -> None:
    """Lengths in powers of two along x, decades along y."""
    log_axis(ax, "x", binary_length_tick, base=2, locator=None, hide_minor_labels=False)
    log_axis(ax, "y", y_label)


def _setting(data: dict[str, Any]) -> str:
    dtypes = data["dtypes"]
    precision = (dtypes["attention"] if dtypes["attention"] == dtypes["rnn"]
                 else f"attention in {dtypes['attention']}, recurrent layers in {dtypes['rnn']}")
    return f"width {data['width']}, batch {data['batch']}, {precision}, on {data['device'].upper()}"


def _label(data: dict[str, Any], name: str) -> str:
    return readings.series(data, name)["label"]


def _flops_value(key: str, flops_per_s: float, data: dict[str, Any], label: str,
                 spread: float | None = None) -> Value:
    """FLOP/s in the unit that suits the device: TFLOP/s on an accelerator, GFLOP/s on a CPU."""
    scale, unit = (1e12, " TFLOP/s") if data["peak"]["flops_per_s"] >= 1e12 else (1e9, " GFLOP/s")
    return Value(key, flops_per_s / scale, ",.3g", unit, label, spread=spread)


def _flops_text(flops_per_s: float) -> str:
    return f"{flops_per_s / 1e12:.3g} TFLOP/s" if flops_per_s >= 1e12 else f"{flops_per_s / 1e9:.3g} GFLOP/s"


def _time(seconds: float | None) -> str:
    return format_seconds(seconds) if seconds else "—"


def _percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction:.1%}"
