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
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value
from gen.render.style import Theme, new_figure
from gen.render.units import binary_length_tick, seconds_tick

RANKS = ("narrow", "wide")
COMPARED_WITH = {"mlp": "the MLP", "dense": "all dense layers"}
LINESTYLE = {"mlp": "--", "dense": ":"}


def figures(data: dict[str, Any]) -> list[Figure]:
    setting = _setting(data)
    widths = sorted(data["widths"], key=lambda e: e["width"])
    gaps = [readings.slope_gap(e) for e in widths]
    inside = [_crossed_within(e, "mlp") for e in widths]
    ratios = [readings.crossover_ratio(e, c) for e in widths for c in COMPARED_WITH]
    near = all(r is not None and 1 / readings.CROSSOVER_FACTOR <= r <= readings.CROSSOVER_FACTOR for r in ratios)
    found = [r for r in ratios if r is not None]
    ratio_range = f"{min(found):.2f} to {max(found):.2f}" if found else "none found"
    gap_text = ", ".join("none" if g is None else f"{g:.2f}" for g in gaps)
    return [
        Figure(
            "parts_vs_length", lambda theme: _parts_vs_length(data, theme),
            alt="Log-log plots of forward time against sequence length, one per model width, for the "
            "attention core, the MLP, the attention projections and all dense layers together. The "
            f"core's log-log slope exceeds the MLP's by {gap_text} (narrow width first). {_crossings(widths)}",
            caption=f"Forward time of each part of one Transformer block, {setting}. Vertical lines: "
            "where FLOP counting predicts the core to equal the MLP (4·d, dashed) and all dense layers "
            "(6·d, dotted); open circles: where the measured curves cross.",
            lead=lead("At every width the attention core's time grows more steeply with T than the MLP's "
                      "and overtakes it within the lengths timed.",
                      all(g is not None and g > readings.SLOPE_GAP for g in gaps) and all(inside),
                      f"core slope minus MLP slope {gap_text} (needed above {readings.SLOPE_GAP:g}); "
                      f"core crosses the MLP inside the sweep: {inside}"),
        ),
        Figure(
            "core_over_dense", lambda theme: _core_over_dense(data, theme),
            alt="Log-log plot of attention-core time divided by dense-layer time against T/d, for both "
            f"widths and both comparisons. {_crossings(widths, per_width=True)}",
            caption="Attention core time ÷ dense time against sequence length in units of the width. If "
            "time followed FLOPs exactly, each curve would cross 1 at its vertical line, at both widths.",
            lead=lead("Every curve crosses 1 within a factor of "
                      f"{readings.CROSSOVER_FACTOR:g} of where FLOP counting puts it (measured ÷ predicted: "
                      f"{ratio_range}).",
                      near, f"measured ÷ predicted crossovers {ratio_range}, needed each between "
                      f"{1 / readings.CROSSOVER_FACTOR:g} and {readings.CROSSOVER_FACTOR:g}"),
        ),
    ]


def _crossed_within(entry: dict[str, Any], comparison: str) -> bool:
    """Whether the measured crossover lies inside the lengths timed, not extrapolated beyond them."""
    measured, lengths = readings.crossover(entry, comparison), readings.part_times(entry, ("core",))[0]
    return measured is not None and bool(lengths) and lengths[0] <= measured <= lengths[-1]


def _crossings(widths: list[dict[str, Any]], per_width: bool = False) -> str:
    """Where the measured core curve meets each dense one, against the FLOP prediction, in words."""
    sentences = []
    for entry in widths:
        d, parts = entry["width"], []
        for comparison, label in COMPARED_WITH.items():
            measured = readings.crossover(entry, comparison)
            predicted = entry["analytic"][comparison]["length"]
            if per_width:
                at = "never crosses 1" if measured is None else f"crosses 1 at T/d = {measured / d:.1f}"
                parts.append(f"÷ {label.removeprefix('the ')} {at} (predicted {predicted / d:g})")
            else:
                at = "not within reach" if measured is None else f"at T = {measured:,.0f}"
                parts.append(f"{label} {at} (predicted {predicted:,.0f})")
        lead_in = f"At d = {d:,}, core" if per_width else f"At d = {d:,} the core meets"
        sentences.append(f"{lead_in} {' and '.join(parts)}.")
    return " ".join(sentences)


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
        ax.annotate(f"{multiple:g}·d", (multiple, 0), xycoords=("data", "axes fraction"), xytext=(3, 4),
                    textcoords="offset points", color=theme.color("reference"), fontsize=8)
    ax.axhline(1.0, color=theme.color("reference"), linewidth=1.0)
    _log_axes(ax, lambda v, _: f"{v:g}×")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}·d"))
    ax.set_xlabel("sequence length T, in multiples of the width d")
    ax.set_ylabel("core time ÷ dense time")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def _log_axes(ax, y_label) -> None:
    """Lengths in powers of two along x; 1-2-5 along y, whose one or two decades powers of ten alone
    would label twice."""
    log_axis(ax, "x", binary_length_tick, base=2, locator=None, hide_minor_labels=False)
    log_axis(ax, "y", y_label, subs=(1.0, 2.0, 5.0))


def _setting(data: dict[str, Any]) -> str:
    return f"batch {data['batch']}, head size {data['head_dim']}, {data['dtype']}, on {data['device'].upper()}"
