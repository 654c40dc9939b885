"""Figures, table and values of the parallel_scan experiment (matplotlib and NumPy only)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gen.analysis import spread_over_passes
from gen.experiments.parallel_scan import readings
from gen.experiments.parallel_scan.formulas import blelloch_schedule, hillis_steele_schedule, holds_after
from gen.render.axes import log_axis
from gen.render.lead import Lead, lead
from gen.render.model import Figure, Table, Value, computed
from gen.render.numbers import measured_text
from gen.render.style import Theme, new_figure
from gen.render.units import binary_length_tick, format_seconds, seconds_tick

LABELS = {
    "loop": "loop over t",
    "hillis_steele": "Hillis–Steele scan",
    "blelloch": "Blelloch scan (work-efficient)",
    "builtin_generic": "associative_scan (generic)",
    "builtin_pointwise": "associative_scan (compiled)",
    "log_space": "closed form A·cumsum(b/A)",
}
STYLE = {  # (colour role, marker, line style)
    "loop": ("recurrent", "o", "-"),
    "hillis_steele": ("extra", "v", "-"),
    "blelloch": ("parallel", "^", "-"),
    "builtin_generic": ("builtin", "s", "-"),
    "builtin_pointwise": ("builtin", "D", "--"),
    "log_space": ("reference", "x", ":"),
}


def figures(data: dict[str, Any]) -> list[Figure]:
    broken = data["log_space"]["first_broken_T"]
    T, speedup, best = readings.best_speedup(data)
    worst, worst_name, worst_T = readings.worst_stable_error(data)
    stable = worst <= readings.STABLE_TOLERANCE
    return [
        Figure(
            "time_vs_length",
            lambda theme: _time_vs_length(data, theme),
            alt="Log-log plot of the time to scan h_t = a_t h_(t-1) + b_t against the sequence length T, one "
            f"line per method (the loop over t, Hillis–Steele, Blelloch, torch's associative_scan and the closed "
            f"form). {_timing_text(data)}",
            caption=f"Time of one scan of {data['rows']} independent recurrences of length T, float32: the median "
            f"of repeated runs, from the fastest of {data['timing_rounds']} passes at each length, the methods timed "
            "in turn. "
            "The loop runs T dependent steps; the parallel scans run about log2 T rounds of "
            "whole-tensor operations. The closed form is the fastest and is wrong beyond a few thousand steps "
            "(next figure).",
            lead=lead(f"By T = {T:,} the fastest safe parallel scan, the {LABELS[best]}, runs {_times(speedup)} faster "
                      "than the loop.",
                      speedup > 1, f"loop time ÷ {LABELS[best]} time at T = {T:,}: {speedup:.3g}, needed above 1"),
        ),
        Figure(
            "error_vs_length",
            lambda theme: _error_vs_length(data, theme),
            alt="Relative error against a float64 loop, log scale, against T. The loop and the parallel scans "
            f"stay at or below {worst:.1e} at every length. {_closed_form_text(data)}",
            caption="Largest error of each float32 method relative to the largest |h|, against the same recurrence "
            "in float64. Crosses at the top mark lengths where the closed form's output is non-finite: its "
            "running product A_t = a_1 ⋯ a_t underflows, and b/A overflows.",
            lead=lead(f"The loop and every parallel scan stay within {worst:.1e} of float64 at every length, "
                      f"while the closed form breaks from T = {broken or 0:,}." if broken else
                      f"The loop and every parallel scan stay within {worst:.1e} of float64 at every length.",
                      stable and broken is not None,
                      f"largest error of a stable method {worst:.2e} ({worst_name} at T = {worst_T:,}; needed at "
                      f"most {readings.STABLE_TOLERANCE:.0e}); closed form first broken at T = {broken}"),
        ),
        *computed([Figure(
            "scan_trees", lambda theme: _scan_trees(theme),
            alt=f"Two diagrams of a scan over T = {TREE_T} elements, time running downwards. Hillis–Steele: "
            f"{len(hillis_steele_schedule(TREE_T))} rounds in which almost every element takes in the one 1, 2, "
            f"then 4 places before it. Blelloch: {len(blelloch_schedule(TREE_T))} rounds, a tree up to the last "
            "element and back down, with far fewer combines.",
            caption=f"The two scans of this lesson on T = {TREE_T} elements: each row is one round, each line "
            "one combine (the upper element's map, then the lower one's), and each node is labelled with the "
            "inputs its map holds so far; green once it holds every input up to its own, its final state. "
            "Hillis–Steele: "
            f"{len(hillis_steele_schedule(TREE_T))} rounds, {sum(map(len, hillis_steele_schedule(TREE_T)))} "
            f"combines; Blelloch: {len(blelloch_schedule(TREE_T))} rounds, "
            f"{sum(map(len, blelloch_schedule(TREE_T)))} combines. The schedules are the ones the experiment's "
            "scans carry out (its tests hold them to the scans' own counts and results).",
            lead=_trees_lead(),
        )]),
    ]


TREE_T = 8  # small enough to label every node


def _trees_lead() -> Lead:
    """The trade the two schedules make, from the schedules themselves."""
    schedules = hillis_steele_schedule(TREE_T), blelloch_schedule(TREE_T)
    (hs_rounds, hs_work), (bl_rounds, bl_work) = ((len(rounds), sum(map(len, rounds))) for rounds in schedules)
    return lead("Hillis–Steele finishes in fewer rounds, Blelloch with fewer combines.",
                hs_rounds < bl_rounds and hs_work > bl_work,
                f"rounds {hs_rounds} and {bl_rounds}, combines {hs_work} and {bl_work} (Hillis–Steele, Blelloch)")


def _scan_trees(theme: Theme):
    fig, axes = new_figure(theme, ncols=2)
    for ax, (title, schedule) in zip(axes, (("Hillis–Steele", hillis_steele_schedule(TREE_T)),
                                           ("Blelloch", blelloch_schedule(TREE_T))), strict=True):
        states = holds_after(schedule, TREE_T)
        for r, combines in enumerate(schedule, start=1):
            targets = {t for _, t in combines}
            for i in range(TREE_T):  # an element no combine touches keeps its map into the next round
                if i not in targets:
                    ax.plot([i, i], [r - 1, r], color=theme.color("reference"), linewidth=0.8, alpha=0.5)
            for source, target in combines:
                ax.plot([source, target], [r - 1, r], color=theme.color("parallel"), linewidth=1.4)
                ax.plot([target, target], [r - 1, r], color=theme.color("parallel"), linewidth=1.4)
        for r, spans in enumerate(states):
            for i, (first, last) in enumerate(spans):
                done = first == 0 and last == i
                ax.scatter([i], [r], s=200, zorder=3, color=theme.color("builtin" if done else "extra"),
                           edgecolors="none")
                ax.annotate(f"{first}" if first == last else f"{first}–{last}", (i, r), ha="center", va="center",
                            fontsize=6.5, zorder=4, color="#111111")
        ax.set_ylim(len(schedule) + 0.6, -0.6)
        ax.set_xlim(-0.7, TREE_T - 0.3)
        ax.set_xticks(range(TREE_T))
        ax.set_yticks(range(len(schedule) + 1), ["inputs", *(f"round {r}" for r in range(1, len(schedule) + 1))])
        ax.set_xlabel("element")
        ax.set_title(f"{title}: {len(schedule)} rounds, {sum(map(len, schedule))} combines", fontsize=10)
        ax.grid(False)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
    return fig


def tables(data: dict[str, Any]) -> list[Table]:
    counts = {name: {p["T"]: (p["rounds"], p["combines"]) for p in points} for name, points in data["counts"].items()}
    common = sorted(set(counts["loop"]) & set(counts["hillis_steele"]) & set(counts["blelloch"]))
    lengths = [T for T in common if T.bit_length() % 4 == 3] or common  # T = 2^2, 2^6, 2^10, 2^14 ...
    rows = []
    for T in lengths:
        loop, hs, bl = counts["loop"][T], counts["hillis_steele"][T], counts["blelloch"][T]
        rows.append([f"{T:,}", f"{loop[0]:,}", f"{loop[1]:,}", f"{hs[0]:,}", f"{hs[1]:,}", f"{bl[0]:,}",
                     f"{bl[1]:,}", f"{hs[1] / bl[1]:.1f}×"])
    return [
        Table(
            "rounds_and_work",
            ["T", "loop rounds", "loop combines", "Hillis–Steele rounds", "Hillis–Steele combines",
             "Blelloch rounds", "Blelloch combines", "work HS ÷ Blelloch"],
            rows,
            caption="Rounds (steps that must run one after another) and combines per recurrence, as counted by "
            "the implementations, which the checks match exactly to the formulas: loop T and T; Hillis–Steele "
            "⌈log2 T⌉ and T⌈log2 T⌉ − 2^⌈log2 T⌉ + 1; Blelloch 2⌈log2 T⌉ − 1 and 2P − log2 P − 2, P = 2^⌈log2 T⌉.",
        )
    ]


def values(data: dict[str, Any]) -> list[Value]:
    hs = data["counts"]["hillis_steele"][-1]
    bl = {p["T"]: p for p in data["counts"]["blelloch"]}[hs["T"]]
    T, speedup, best = readings.best_speedup(data)
    log_space = data["log_space"]
    result = [
        Value("largest_t", hs["T"], ",d", "", "longest sequence scanned by the parallel scans"),
        Value("hillis_steele_rounds_at_largest_t", hs["rounds"], "d", "", f"Hillis–Steele rounds at T = {hs['T']:,}"),
        Value("blelloch_rounds_at_largest_t", bl["rounds"], "d", "", f"Blelloch rounds at T = {hs['T']:,}"),
        Value("loop_rounds_at_largest_t", hs["T"], ",d", "", f"loop rounds (one per step) at T = {hs['T']:,}"),
        Value("work_ratio_hs_over_blelloch", hs["combines"] / bl["combines"], ".1f", "×",
              f"Hillis–Steele combines / Blelloch combines at T = {hs['T']:,}"),
        Value("speedup_best_parallel_over_loop", speedup, ",.0f", "×",
              f"loop time / {LABELS[best]} time at T = {T:,}, the longest loop timed",
              spread=spread_over_passes(data, lambda d: readings.best_speedup(d)[1])),
        Value("speedup_t", T, ",d", "", "length at which the speedup over the loop is quoted"),
        Value("max_stable_error", readings.worst_stable_error(data)[0], ".1e", "",
              "largest relative error of the loop and the parallel scans against float64, over all T"),
        Value("rows", data["rows"], ",d", "", "independent recurrences scanned together (batch × channels)"),
        Value("break_threshold", log_space["threshold"], ".0e", "", "relative error that counts as broken"),
    ]
    good = [p["error"] for p in data["errors"]["log_space"] if p.get("error", "nonfinite") != "nonfinite"]
    if good:
        result.append(Value("log_space_error_before_break", max(good), ".1e", "",
                            "largest relative error of the closed form at the lengths where it is still finite"))
    breaks = (
        ("first_broken_T", "log_space_breaks_at_t", "first T where the float32 closed form is off or non-finite"),
        ("first_broken_T_float64", "log_space_breaks_at_t_float64", "the same for the closed form in float64"),
        ("underflow_T", "cumprod_underflows_at_t",
         "first T where a running product a_1⋯a_T falls below float32's smallest normal number"),
    )
    result += [Value(name, log_space[key], ",d", "", label, "(no break within the lengths checked)")
               for key, name, label in breaks]
    f32, f64 = log_space["first_broken_T"], log_space["first_broken_T_float64"]
    result.append(Value("log_space_float64_holds_longer", f64 / f32 if f32 and f64 else None, ".1f", "×",
                        "T at which the closed form breaks in float64 ÷ the T at which it breaks in float32",
                        "(not measurable: no break within the lengths checked)"))
    return result


# helpers ------------------------------------------------------------------------------------------


def _time_vs_length(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    for name in _present(data["timing"]):
        points = [p for p in data["timing"][name] if "median_s" in p]
        if not points:
            continue
        role, marker, line = STYLE[name]
        x = [p["T"] for p in points]
        median = np.array([p["median_s"] for p in points])
        half_iqr = np.array([p["iqr_s"] for p in points]) / 2
        ax.plot(x, median, marker=marker, linestyle=line, color=theme.color(role), label=LABELS[name])
        ax.fill_between(x, np.maximum(median - half_iqr, median * 0.5), median + half_iqr,
                        color=theme.color(role), alpha=0.15, linewidth=0)
    _log_x(ax)
    log_axis(ax, "y", seconds_tick)
    ax.set_ylabel("time per scan")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def _error_vs_length(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    points_of = {name: [p for p in data["errors"][name] if "error" in p] for name in _present(data["errors"])}
    finite = [p["error"] for points in points_of.values() for p in points if p["error"] != "nonfinite"]
    floor = max(min((e for e in finite if e > 0), default=1e-16), 1e-16)
    top = 10.0  # non-finite outputs are drawn here, above every finite error
    for name, points in points_of.items():
        role, marker, line = STYLE[name]
        ok = [p for p in points if p["error"] != "nonfinite"]
        ax.plot([p["T"] for p in ok], [max(p["error"], floor) for p in ok], marker=marker, linestyle=line,
                color=theme.color(role), label=LABELS[name])
        bad = [p["T"] for p in points if p["error"] == "nonfinite"]
        if bad:
            ax.plot(bad, [top] * len(bad), marker="X", markersize=8, linestyle="none", color=theme.color(role),
                    label=f"{LABELS[name]}: inf or NaN")
    log_space = data["log_space"]
    ax.axhline(log_space["threshold"], color=theme.color("reference"), linewidth=1.0, linestyle="--")
    ax.annotate(f"broken above {log_space['threshold']:g}", (ax.get_xlim()[1], log_space["threshold"]),
                xytext=(-4, 4), textcoords="offset points", ha="right", color=theme.color("reference"),
                fontsize=8.5)
    if log_space["first_broken_T"]:
        ax.axvline(log_space["first_broken_T"], color=theme.color("reference"), linewidth=1.0, linestyle=":")
        ax.annotate(f"closed form breaks\nat T = {log_space['first_broken_T']:,}", (log_space["first_broken_T"], 1e-5),
                    xytext=(5, 0), textcoords="offset points", color=theme.color("reference"), fontsize=8.5)
    _log_x(ax)
    ax.set_yscale("log")
    ax.set_ylim(floor / 3, top * 5)
    ax.set_ylabel("relative error vs float64 loop")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def _timing_text(data: dict[str, Any]) -> str:
    """The loop against the fastest parallel scan at the shortest and the longest length both were timed."""
    loop = {p["T"]: p["median_s"] for p in data["timing"]["loop"] if "median_s" in p}
    fastest = {}
    for name in readings.PARALLEL:
        for p in data["timing"].get(name, []):
            if "median_s" in p and p["T"] in loop and p["median_s"] < fastest.get(p["T"], (float("inf"),))[0]:
                fastest[p["T"]] = (p["median_s"], name)
    if not fastest:
        return "No parallel scan was timed at a length the loop was."
    parts = []  # a sentence per length, so that each names one scan (and translates with one entry)
    for T in sorted({min(fastest), max(fastest)}):
        seconds, name = fastest[T]
        parts.append(f"At T = {T:,} the loop takes {format_seconds(loop[T])} and the fastest parallel scan "
                     f"(the {LABELS[name]}) {format_seconds(seconds)}.")
    closed = {p["T"]: p["median_s"] for p in data["timing"].get("log_space", []) if "median_s" in p}
    others = [(p["T"], p["median_s"]) for name in data["timing"] if name != "log_space"
              for p in data["timing"][name] if "median_s" in p]
    fastest_everywhere = bool(closed) and all(closed.get(T, float("inf")) < s for T, s in others if T in closed)
    return " ".join(parts) + (" The closed form is the fastest method at every length." if fastest_everywhere else "")


def _closed_form_text(data: dict[str, Any]) -> str:
    points = [p for p in data["errors"].get("log_space", []) if "error" in p]
    good = [p["error"] for p in points if p["error"] != "nonfinite"]
    bad = [p["T"] for p in points if p["error"] == "nonfinite"]
    text = f"The closed form stays at or below {max(good):.1e} while its output is finite" if good else \
        "The closed form's output is never finite"
    return text + (f"; from T = {min(bad):,} it is infinite or NaN." if bad else ", at every length.")


def _times(ratio: float) -> str:
    return measured_text(ratio, ",.2g", "×")


def _present(by_method: dict[str, Any]) -> list[str]:
    """The methods in the data, in the order the legend lists them."""
    return [name for name in STYLE if name in by_method]


def _log_x(ax) -> None:
    log_axis(ax, "x", binary_length_tick, base=2, locator=4, numticks=20, hide_minor_labels=False)
    ax.set_xlabel("sequence length T")
