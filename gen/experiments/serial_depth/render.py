"""Figures, table and values of the serial-depth experiment (matplotlib and NumPy only)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gen.analysis import spread_over_passes
from gen.experiments.serial_depth import readings
from gen.render.axes import log_axis
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value
from gen.render.numbers import measured_text
from gen.render.style import Theme, new_figure
from gen.render.units import count_tick, format_seconds, seconds_tick

CLAIMED_CROSSOVER = 1000  # the source document: sum() "beats it at length >= 1,000"
LINEAR = (0.75, 1.35)  # a loop's log-log slope read as linear: the band its checks use (readings.py)


def figures(data: dict[str, Any]) -> list[Figure]:
    python = data["python"]
    python_ratios = [readings.python_ratio(p, "sum") for p in python]
    lengths, torch_ratios = readings.torch_loop_over_scan(data)
    slopes = readings.python_loop_slope(data), readings.torch_loop_slope(data)
    sum_from = readings.sum_wins_from(python)
    settled = [r for p, r in zip(python, python_ratios, strict=True) if p["n"] >= CLAIMED_CROSSOVER]
    torch_range = f"between {_times(min(torch_ratios))} and {_times(max(torch_ratios))}"
    return [
        Figure(
            "time_vs_length",
            lambda theme: _time_vs_length(data, theme),
            alt="Two log-log plots of time per call against sequence length. Left, pure Python and NumPy: "
            f"the loop grows linearly (slope {slopes[0]:.2f}) and the built-in sum is below it from "
            f"n = {sum_from:,} on. Right, PyTorch: the step-by-step loop grows linearly (slope "
            f"{slopes[1]:.2f}) and sits {torch_range} above one cumsum call.",
            caption="Time per call against sequence length, median of repeated runs; the shaded band "
            "is the interquartile range. Both axes are logarithmic, so a straight line of slope 1 "
            "means time proportional to length.",
            lead=lead("Both step-by-step loops take time in proportion to the length, and one cumsum call "
                      "beats the torch loop at every length timed.",
                      all(LINEAR[0] <= s <= LINEAR[1] for s in slopes) and min(torch_ratios) > 1,
                      f"loop slopes {slopes[0]:.2f} (Python) and {slopes[1]:.2f} (torch), linear taken as "
                      f"{LINEAR[0]:g} to {LINEAR[1]:g}; torch loop ÷ cumsum {torch_range}"),
        ),
        Figure(
            "loop_over_vectorised",
            lambda theme: _ratio(data, theme),
            alt="Ratio of loop time to vectorised time against sequence length, log-log. The Python loop "
            f"to sum() ratio starts at {_times(python_ratios[0])} at n = {python[0]['n']:,}, is above 1 from "
            f"n = {sum_from:,} on and stays between {_times(min(settled, default=math.nan))} and "
            f"{_times(max(settled, default=math.nan))} from n = {CLAIMED_CROSSOVER:,} on. The torch loop to "
            f"cumsum ratio stays {torch_range} at every length timed, from n = {lengths[0]:,} to "
            f"{lengths[-1]:,}. A dashed line marks length {CLAIMED_CROSSOVER:,}, where the source document "
            "says the reduction starts to win.",
            caption="How many times slower the step-by-step loop is than its vectorised counterpart. "
            "Above the line at 1 the vectorised form wins.",
            lead=lead(f"The vectorised forms win long before the source's {CLAIMED_CROSSOVER:,}: sum() beats "
                      f"the Python loop from n = {sum_from:,} on, and cumsum beats the torch loop at every "
                      "length timed.",
                      sum_from <= CLAIMED_CROSSOVER / 10 and min(torch_ratios) > 1,
                      f"sum() faster from n = {sum_from:,}; torch loop ÷ cumsum {torch_range}"),
        ),
    ]


def tables(data: dict[str, Any]) -> list[Table]:
    python = {p["n"]: p for p in data["python"]}
    loop = {p["n"]: p["median_s"] for p in data["torch_loop"]}
    scan = {p["n"]: p["median_s"] for p in data["torch_scan"]}
    loop_over_scan = dict(zip(*readings.torch_loop_over_scan(data), strict=True))
    lengths = sorted(n for n in set(python) | set(loop) | set(scan) if _is_decade(n))
    rows = []
    for n in lengths:
        p = python.get(n)
        rows.append([
            f"{n:,}",
            _time(p and p["loop"]["median_s"]),
            _time(p and p["sum"]["median_s"]),
            _time(p and p["closed_form"]["median_s"]),
            _ratio_text(p and readings.python_ratio(p, "sum")),
            _time(loop.get(n)),
            _time(scan.get(n)),
            _ratio_text(loop_over_scan.get(n)),
        ])
    return [
        Table(
            "timings",
            ["n", "Python loop", "sum()", "NumPy closed form", "loop ÷ sum",
             "torch loop", "torch cumsum", "loop ÷ cumsum"],
            rows,
            caption=f"Median time per call at each power of ten n; the torch state has width "
            f"{data['torch_width']}. A dash where that variant was not run at that length.",
        )
    ]


def values(data: dict[str, Any]) -> list[Value]:
    def spread(reading):  # how far this reading moved between the repeated passes
        return spread_over_passes(data, reading)

    python = data["python"]
    largest = python[-1]
    loop_largest = data["torch_loop"][-1]
    largest_loop_n, loop_over_scan = readings.loop_over_scan_at_largest_loop(data)
    result = [
        Value("sum_wins_from_n", readings.sum_wins_from(python), ",d", "",
              "shortest length from which sum() beats the Python loop at every longer length"),
        Value("loop_ns_per_step", largest["loop"]["median_s"] / largest["n"] * 1e9, ".0f", " ns",
              f"Python loop time per element at n = {largest['n']:,}",
              spread=spread(lambda d: d["python"][-1]["loop"]["median_s"])),
        Value("sum_ns_per_element", largest["sum"]["median_s"] / largest["n"] * 1e9, ".1f", " ns",
              f"sum() time per element at n = {largest['n']:,}",
              spread=spread(lambda d: d["python"][-1]["sum"]["median_s"])),
        Value("largest_python_n", largest["n"], ",d", "", "longest sequence timed in pure Python"),
        Value("sum_ns_at_shortest", python[0]["sum"]["median_s"] * 1e9, ".0f", " ns",
              f"time of one sum() call at n = {python[0]['n']:,}, the shortest length timed",
              spread=spread(lambda d: d["python"][0]["sum"]["median_s"])),
        Value("torch_loop_us_per_step", loop_largest["median_s"] / loop_largest["n"] * 1e6, ".1f", " µs",
              f"torch loop time per step at n = {loop_largest['n']:,}",
              spread=spread(lambda d: d["torch_loop"][-1]["median_s"])),
        Value("torch_width", data["torch_width"], "d", "", "width of the hidden state in the torch recurrence"),
        Value("torch_loop_largest_n", loop_largest["n"], ",d", "", "longest sequence timed with the torch loop"),
        Value("torch_loop_vs_scan_ratio", loop_over_scan, ",.0f", "×",
              f"torch loop time / cumsum time at n = {largest_loop_n:,}",
              spread=spread(lambda d: readings.loop_over_scan_at_largest_loop(d)[1])),
        Value("python_loop_slope", readings.python_loop_slope(data), ".2f", "",
              "log-log slope of the Python loop's time against length", spread=spread(readings.python_loop_slope)),
        Value("torch_loop_slope", readings.torch_loop_slope(data), ".2f", "",
              "log-log slope of the torch loop's time against length", spread=spread(readings.torch_loop_slope)),
    ]
    # Published whatever lengths a run measured (a dry run's toy sweep stops short of both): a page
    # that quotes them must build, and then says why there is no number.
    absent = "(not measured: this run's sweep did not reach that length)"

    def ratio(d: dict[str, Any], n: int, fast: str) -> float | None:
        point = next((p for p in d["python"] if p["n"] == n), None)
        return point and readings.python_ratio(point, fast)

    for key, n, fast, label in (
        ("loop_vs_sum_ratio_at_100k", 100_000, "sum", "sum()"),
        ("loop_vs_closed_form_ratio_at_100k", 100_000, "closed_form", "NumPy closed-form"),
        ("loop_vs_sum_ratio_at_1k", CLAIMED_CROSSOVER, "sum", "sum()"),
    ):
        result.append(Value(key, ratio(data, n, fast), ".1f", "×", f"Python loop time / {label} time at n = {n:,}",
                            absent, spread=spread(lambda d, n=n, fast=fast: ratio(d, n, fast))))
    return result


# helpers ------------------------------------------------------------------------------------------


def _time_vs_length(data: dict[str, Any], theme: Theme):
    fig, (left, right) = new_figure(theme, ncols=2)
    python = data["python"]
    n = [p["n"] for p in python]
    _series(left, n, [p["loop"] for p in python], "loop: h = a·h + x", theme.color("recurrent"), "o")
    _series(left, n, [p["sum"] for p in python], "built-in sum()", theme.color("builtin"), "s")
    _series(left, n, [p["closed_form"] for p in python], "NumPy closed form", theme.color("parallel"), "^")
    left.set_title("Pure Python and NumPy")
    _series(right, [p["n"] for p in data["torch_loop"]], data["torch_loop"], "loop, one op per step",
            theme.color("recurrent"), "o")
    _series(right, [p["n"] for p in data["torch_scan"]], data["torch_scan"], "one cumsum call",
            theme.color("parallel"), "^")
    right.set_title(f"PyTorch, hidden width {data['torch_width']}")
    for ax in (left, right):
        _log_axes(ax)
        ax.set_xlabel("sequence length n")
        ax.legend(loc="upper left")
    left.set_ylabel("time per call")
    return fig


def _ratio(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    python = data["python"]
    ax.plot([p["n"] for p in python], [readings.python_ratio(p, "sum") for p in python],
            marker="s", color=theme.color("builtin"), label="Python loop ÷ sum()")
    ax.plot(*readings.torch_loop_over_scan(data), marker="^", color=theme.color("parallel"),
            label="torch loop ÷ cumsum")
    ax.axhline(1.0, color=theme.color("reference"), linewidth=1.0)
    ax.axvline(CLAIMED_CROSSOVER, color=theme.color("reference"), linewidth=1.0, linestyle="--")
    ax.annotate("source's claimed\ncrossover", (CLAIMED_CROSSOVER, 1.0), xytext=(6, 8),
                textcoords="offset points", color=theme.color("reference"), fontsize=8.5)
    log_axis(ax, "x", count_tick)
    # 1-2-5 ticks: the ratios span about two decades, where powers of ten alone leave two labels
    log_axis(ax, "y", lambda v, _: f"{v:g}×", subs=(1.0, 2.0, 5.0))
    ax.set_xlabel("sequence length n")
    ax.set_ylabel("loop time ÷ vectorised time")
    ax.legend(loc="upper left")
    return fig


def _series(ax, n: list[int], timings: list[dict], label: str, color: str, marker: str) -> None:
    median = np.array([t["median_s"] for t in timings])
    half_iqr = np.array([t["iqr_s"] for t in timings]) / 2
    ax.plot(n, median, marker=marker, color=color, label=label)
    ax.fill_between(n, np.maximum(median - half_iqr, median * 0.5), median + half_iqr, color=color,
                    alpha=0.2, linewidth=0)


def _log_axes(ax) -> None:
    log_axis(ax, "x", count_tick, hide_minor_labels=False)
    log_axis(ax, "y", seconds_tick)


def _is_decade(n: int) -> bool:
    return n > 0 and 10 ** round(np.log10(n)) == n


def _time(seconds: float | None) -> str:
    return format_seconds(seconds) if seconds else "—"


def _times(ratio: float) -> str:
    """A ratio as the alt texts and leads state it: two significant figures, 0.69× or 26×."""
    return measured_text(ratio, ".2g", "×")


def _ratio_text(ratio: float | None) -> str:
    return f"{ratio:,.1f}×" if ratio else "—"
