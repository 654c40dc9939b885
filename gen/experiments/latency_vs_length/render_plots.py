"""The latency_vs_length figures as drawn: time, fraction of the peak and the recurrent ÷ Transformer
ratio against T (render.py writes their words, tables and values)."""

from __future__ import annotations

from typing import Any

from gen.experiments.latency_vs_length import readings
from gen.render.axes import log_axis
from gen.render.style import Theme, new_figure
from gen.render.units import binary_length_tick, seconds_tick

CLAIMED_SPEEDUP = (5.0, 10.0)  # source B: Transformers "train 5-10x faster per epoch" at N = 512
MODE_TITLES = {"forward": "Forward pass", "train": "Training step (forward + backward)"}
# Colour role and marker per layer; the cuDNN-off variants reuse their layer's look, dotted.
LOOK = {  # (colour: the model's own, gen/render/style.py; marker; line style)
    "lstm": ("lstm", "o", "-"), "gru": ("gru", "s", "-"),
    "attention_core": ("attention_core", "^", "--"), "attention": ("attention", "v", "-"),
    "transformer": ("transformer", "D", "-"),
}


def time_vs_length(data: dict[str, Any], theme: Theme):
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


def fraction_of_peak(data: dict[str, Any], theme: Theme):
    fig, axes = new_figure(theme, ncols=2)
    for ax, mode in zip(axes, readings.MODES, strict=True):
        for one in data["series"]:
            pairs = [(p["length"], readings.fraction_of_peak(data, p, mode)) for p in one["points"]]
            pairs = [(n, f) for n, f in pairs if f is not None]
            _plot(ax, one, [n for n, _ in pairs], [f for _, f in pairs], theme)
        ax.axhline(1.0, color=theme.color("reference"), linewidth=1.0)
        # an axis of a decade or less: five labels in each, so that a fraction can be read
        _log_axes(ax, lambda v, _: f"{v:.0%}" if v >= 0.01 else f"{v:.1%}", subs=(1.0, 2.0, 3.0, 5.0, 7.0))
        ax.set_title(MODE_TITLES[mode])
        ax.set_xlabel("sequence length T (tokens)")
    axes[0].set_ylabel("achieved FLOP/s ÷ matmul peak")
    axes[1].legend(loc="center right", fontsize=8)  # between the curves: the lowest runs along the bottom
    return fig


def recurrent_over_transformer(data: dict[str, Any], theme: Theme):
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
    _log_axes(ax, lambda v, _: f"{v:g}×", subs=(1.0, 2.0, 5.0))
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
    """Slope-1 and slope-2 lines through the first point of the LSTM and of the attention core; named in
    the legend, since any text at their ends sits where the curves converge."""
    for name, power in (("lstm", 1), ("attention_core", 2)):
        one = readings.series(data, name)
        lengths, times = readings.measured(one, mode) if one else ([], [])
        if lengths:
            ends = [lengths[0], lengths[-1]]
            ax.plot(ends, [times[0] * (n / lengths[0]) ** power for n in ends], color=theme.color("reference"),
                    linewidth=0.9, linestyle=(0, (4, 3)), zorder=0,
                    label="guides: ∝ T and ∝ T²" if power == 1 else None)


def _log_axes(ax, y_label, subs: tuple[float, ...] = (1.0, 3.0)) -> None:
    """Lengths in powers of two along x; along y a label at 1 and 3 in each decade (or at 1, 2 and 5 where
    the axis spans a decade or two), so that a value can be read between the powers of ten."""
    log_axis(ax, "x", binary_length_tick, base=2, locator=None, hide_minor_labels=False)
    log_axis(ax, "y", y_label, subs=subs)
