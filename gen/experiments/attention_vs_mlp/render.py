"""Figures, table and values of the attention-vs-MLP experiment (matplotlib and NumPy only).

Widths differ between presets, so values name them by rank, "narrow" and "wide", never by number:
the same page works with the smoke, cpu and gpu data.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.ticker import FuncFormatter

from gen.analysis import spread_over_passes
from gen.experiments.attention_vs_mlp import readings
from gen.render.axes import log_axis
from gen.render.model import Figure, Table, Value
from gen.render.style import Theme, new_figure
from gen.render.units import binary_length_tick, seconds_tick

RANKS = ("narrow", "wide")
COMPARED_WITH = {"mlp": "the MLP", "dense": "all dense layers"}
LINESTYLE = {"mlp": "--", "dense": ":"}


def figures(data: dict[str, Any]) -> list[Figure]:
    setting = _setting(data)
    return [
        Figure(
            "parts_vs_length", lambda theme: _parts_vs_length(data, theme),
            alt="Log-log plots of forward time against sequence length, one per model width, for the "
            "attention core, the MLP, the attention projections and all dense layers together. The "
            "dense layers grow linearly, the core more steeply, crossing them near the marked "
            "predictions T = 4·d (MLP) and T = 6·d (all dense layers).",
            caption=f"Forward time of each part of one Transformer block, {setting}. Vertical lines: "
            "where FLOP counting predicts the core to equal the MLP (4·d, dashed) and all dense layers "
            "(6·d, dotted); open circles: where the measured curves cross.",
        ),
        Figure(
            "core_over_dense", lambda theme: _core_over_dense(data, theme),
            alt="Log-log plot of attention-core time divided by dense-layer time against T/d, for both "
            "widths and both comparisons. All curves rise with T and cross 1 near T/d = 4 for the MLP "
            "and T/d = 6 for all dense layers.",
            caption="Attention core time ÷ dense time against sequence length in units of the width. If "
            "time followed FLOPs exactly, each curve would cross 1 at its vertical line, at both widths.",
        ),
    ]


def tables(data: dict[str, Any]) -> list[Table]:
    rows = []
    for entry in data["widths"]:
        for comparison, label in COMPARED_WITH.items():
            analytic = entry["analytic"][comparison]
            measured = readings.crossover(entry, comparison)
            ratio = readings.crossover_ratio(entry, comparison)
            rows.append([f"{entry['width']:,}", label, analytic["formula"], f"{analytic['length']:,.0f}",
                         "—" if measured is None else f"{measured:,.0f}",
                         "—" if ratio is None else f"{ratio:.2f}×"])
    return [Table(
        "crossovers",
        ["d", "core compared with", "FLOP prediction", "predicted T*", "measured T*", "measured ÷ predicted"],
        rows, align="lllrrr",
        caption=f"Sequence length at which the attention core's forward time equals the dense layers', "
        f"predicted from FLOPs and measured, {_setting(data)}. Measured: where a least-squares line "
        "through log(core ÷ dense) against log T crosses 1.",
    )]


def values(data: dict[str, Any]) -> list[Value]:
    result = []
    def spread(width: int, reading):  # how far a reading of one width's entry moved between passes
        return spread_over_passes(data, lambda d: reading(next(e for e in d["widths"] if e["width"] == width)))

    for rank, entry in zip(RANKS, sorted(data["widths"], key=lambda e: e["width"]), strict=False):
        result.append(Value(f"width_{rank}", entry["width"], ",d", "", f"the {rank} model width d"))
        for comparison, label in COMPARED_WITH.items():
            analytic = entry["analytic"][comparison]
            result.append(Value(f"crossover_{comparison}_predicted_{rank}", analytic["length"], ",.0f", "",
                                f"T where the core's FLOPs equal those of {label}, d = {entry['width']} "
                                f"({analytic['formula']})"))
            measured, ratio = readings.crossover(entry, comparison), readings.crossover_ratio(entry, comparison)
            beyond = "beyond the measured lengths"  # a short, noisy sweep may not cross: still a result
            result += [
                Value(f"crossover_{comparison}_measured_{rank}", measured, ",.0f", "",
                      f"T where the core's measured time equals that of {label}, d = {entry['width']}", beyond,
                      spread=spread(entry["width"], lambda e, c=comparison: readings.crossover(e, c))),
                Value(f"crossover_{comparison}_ratio_{rank}", ratio, ".2f", "×",
                      f"measured ÷ predicted crossover, core against {label}, d = {entry['width']}", beyond,
                      spread=spread(entry["width"], lambda e, c=comparison: readings.crossover_ratio(e, c))),
            ]
        for part, name in (("core", "attention core"), ("mlp", "MLP")):
            slope = readings.slope(entry, part)
            if slope is not None:
                result.append(Value(f"{part}_slope_{rank}", slope, ".2f", "",
                                    f"log-log slope of the {name}'s forward time against T, upper half of the "
                                    f"sweep, d = {entry['width']}",
                                    spread=spread(entry["width"], lambda e, part=part: readings.slope(e, part))))
    return result


# helpers ------------------------------------------------------------------------------------------


def _parts_vs_length(data: dict[str, Any], theme: Theme):
    fig, axes = new_figure(theme, ncols=len(data["widths"]))
    series = (("core", ("core",), "extra", "o", "-"), ("MLP", ("mlp",), "builtin", "s", "-"),
              ("projections", ("projections",), "parallel", "^", "-"),
              ("all dense layers", ("projections", "mlp"), "parallel", None, "--"))
    for ax, entry in zip(axes, data["widths"], strict=True):
        for label, parts, role, marker, style in series:
            ax.plot(*readings.part_times(entry, parts), marker=marker, linestyle=style, color=theme.color(role),
                    label=label)
        for comparison, style in LINESTYLE.items():
            ax.axvline(entry["analytic"][comparison]["length"], color=theme.color("reference"), linewidth=1.0,
                       linestyle=style)
            _mark_crossover(ax, entry, comparison, theme)
        _log_axes(ax, seconds_tick)
        ax.set_title(f"d = {entry['width']:,}, {entry['heads']} heads")
        ax.set_xlabel("sequence length T (tokens)")
    for ax, entry in zip(axes, data["widths"], strict=True):
        for comparison in LINESTYLE:
            ax.annotate(f"{entry['analytic'][comparison]['length'] / entry['width']:g}·d",
                        (entry["analytic"][comparison]["length"], 0), xycoords=("data", "axes fraction"),
                        xytext=(3, 4), textcoords="offset points", color=theme.color("reference"), fontsize=8)
    axes[0].set_ylabel("forward time")
    axes[0].legend(loc="upper left", fontsize=8)
    return fig


def _mark_crossover(ax, entry: dict[str, Any], comparison: str, theme: Theme) -> None:
    """An open circle where the measured core curve meets the dense one (on the fitted line)."""
    measured = readings.crossover(entry, comparison)
    lengths, dense = readings.part_times(entry, readings.COMPARISONS[comparison])
    if measured is None or not lengths or not lengths[0] <= measured <= lengths[-1]:
        return
    # the dense time at the crossover, by log-log interpolation between the neighbouring points
    right = next(i for i, n in enumerate(lengths) if n >= measured)
    left = max(right - 1, 0)
    if right == left:
        at = dense[left]
    else:
        share = (math.log(measured) - math.log(lengths[left])) / (math.log(lengths[right]) - math.log(lengths[left]))
        at = dense[left] * (dense[right] / dense[left]) ** share
    ax.plot([measured], [at], marker="o", markersize=8, markerfacecolor="none", color=theme.color("reference"))


def _core_over_dense(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    # Colour says what the core is compared with (as in parts_vs_length); the marker says the width.
    colors = {"mlp": theme.color("builtin"), "dense": theme.color("parallel")}
    for entry, filled in zip(sorted(data["widths"], key=lambda e: e["width"]), (False, True), strict=False):
        for comparison, label in COMPARED_WITH.items():
            lengths, ratios = readings.core_over(entry, comparison)
            name = f"÷ {label.removeprefix('the ')}, d = {entry['width']:,}"
            ax.plot([n / entry["width"] for n in lengths], ratios, color=colors[comparison],
                    linestyle="-" if filled else "--", marker="o" if filled else "s",
                    markerfacecolor=colors[comparison] if filled else "none", label=name)
    for comparison, style in LINESTYLE.items():
        multiple = data["widths"][0]["analytic"][comparison]["length"] / data["widths"][0]["width"]
        ax.axvline(multiple, color=theme.color("reference"), linewidth=1.0, linestyle=style)
        ax.annotate(f"{multiple:g}·d", (multiple, 1.0), xytext=(3, -12), textcoords="offset points",
                    color=theme.color("reference"), fontsize=8)
    ax.axhline(1.0, color=theme.color("reference"), linewidth=1.0)
    _log_axes(ax, lambda v, _: f"{v:g}×")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}·d"))
    ax.set_xlabel("sequence length T, in multiples of the width d")
    ax.set_ylabel("core time ÷ dense time")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def _log_axes(ax, y_label) -> None:
    """Lengths in powers of two along x, decades along y."""
    log_axis(ax, "x", binary_length_tick, base=2, locator=None, hide_minor_labels=False)
    log_axis(ax, "y", y_label)


def _setting(data: dict[str, Any]) -> str:
    return f"batch {data['batch']}, head size {data['head_dim']}, {data['dtype']}, on {data['device'].upper()}"
