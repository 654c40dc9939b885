"""Figures, table and values of the long-range-task experiment (matplotlib and NumPy only)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator

from gen.experiments.long_range_task import readings
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value
from gen.render.numbers import measured_text
from gen.render.style import Theme, new_figure
from gen.render.units import count_tick

MODELS = {  # label, colour (the model's own, gen/render/style.py), marker
    "lstm": ("LSTM", "lstm", "o"),
    "gru": ("GRU", "gru", "s"),
    "transformer": ("Transformer", "transformer", "^"),
}
TASKS = {"first_token": "first token", "associative_recall": "associative recall"}
TASK_NOUNS = {"first_token": "the first-token task", "associative_recall": "associative recall"}  # in a sentence
KEY = {"first_token": "first_token", "associative_recall": "recall"}  # task names as value keys use them


def figures(data: dict[str, Any]) -> list[Figure]:
    budget = ", ".join(f"{TASKS[t]} {data['budget'][t]}" for t in data["tasks"])
    shortest = [readings.shortest_solved(data, task) for task in data["tasks"] if data["lengths"][task]]
    every_shortest = bool(shortest) and all(check.passed for check in shortest)
    now = "; ".join(check.detail for check in shortest) or "no task was run"
    return [
        Figure(
            "steps_to_solve",
            lambda theme: _steps(data, theme),
            alt="Two plots of training steps needed to reach 99% validation accuracy against sequence "
            "length L, one for each task, with one line per model and a cross at the top for every run "
            f"that did not get there within its step budget. {_unsolved_text(data)}",
            caption="Adam steps until a fixed validation batch is 99% right, median over seeds (dots: "
            "single seeds); crosses on the dashed budget line are runs that never got there within the "
            f"budget ({budget} steps). Both axes are logarithmic. Not solved within the budget is not "
            "the same as unable to learn: the budget is what a one-minute build could afford.",
            lead=lead(_solvers_text(data), every_shortest, now),
        ),
        Figure(
            "final_accuracy",
            lambda theme: _accuracy(data, theme),
            alt="Two plots of final validation accuracy against sequence length L, one per task, one "
            "line per model, with chance accuracy and the 99% bar drawn as horizontal lines. Medians at the "
            f"longest L: {_accuracies_at_longest(data)}.",
            caption=f"Validation accuracy when training stopped (solved, or budget spent), median over "
            f"seeds, dots for single seeds. The dotted line is chance, {data['chance']:.0%}: always "
            "guessing one answer symbol.",
            lead=lead(f"At each task's longest length the models part ways: {_extremes_at_longest(data)}; "
                      f"chance is {data['chance']:.0%}.",
                      every_shortest and _spread_at_longest(data) > 0.1,
                      f"{now}; largest gap between models' median accuracies at the longest L "
                      f"{_spread_at_longest(data):.0%}, needed above 10%"),
        ),
    ]


def _names(models: list[str]) -> str:
    names = [MODELS[m][0] for m in models]
    return " and the ".join([", the ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _solvers_text(data: dict[str, Any]) -> str:
    """Which models still solve each task, with every seed, at its longest length."""
    parts = []
    for task in data["tasks"]:
        longest = max(data["lengths"][task])
        solvers = [m for m in data["models"]
                   if (c := readings.cell(data, task, m, longest))["total"] and c["solved"] == c["total"]]
        if len(solvers) == len(data["models"]):
            who = "every model still solves"
        elif solvers:
            who = f"only the {_names(solvers)} still solve{'s' if len(solvers) == 1 else ''}"
        else:
            who = "no model solves"
        parts.append(f"{who} {TASK_NOUNS[task]} (L = {longest:,})")
    if not parts:
        return "No task was run."
    return f"Every model solves each task at its shortest length; at the longest, {' and '.join(parts)}."


def _unsolved_text(data: dict[str, Any]) -> str:
    misses = []
    for task in data["tasks"]:
        for model in data["models"]:
            lengths = [n for n in data["lengths"][task]
                       if (c := readings.cell(data, task, model, n))["solved"] < c["total"]]
            if lengths:
                misses.append(f"{MODELS[model][0]}, {TASKS[task]}, L = {', '.join(f'{n:,}' for n in lengths)}")
    return ("Not solved by every seed within the budget: " + "; ".join(misses) + ".") if misses else \
        "Every run was solved within its budget."


def _accuracies_at_longest(data: dict[str, Any]) -> str:
    parts = []
    for task in data["tasks"]:
        longest = max(data["lengths"][task])
        medians = [f"{MODELS[m][0]} {_percent(readings.median(readings.cell(data, task, m, longest)['accuracies']))}"
                   for m in data["models"]]
        parts.append(f"{TASKS[task]} at L = {longest:,}, {', '.join(medians)}")
    return "; ".join(parts)


def _extremes_at_longest(data: dict[str, Any]) -> str:
    """The lowest and the highest median final accuracy at each task's longest length, in words."""
    parts = []
    for task in data["tasks"]:
        longest = max(data["lengths"][task])
        medians = {m: readings.median(readings.cell(data, task, m, longest)["accuracies"]) for m in data["models"]}
        medians = {m: a for m, a in medians.items() if not math.isnan(a)}
        if medians:
            low, high = min(medians, key=medians.get), max(medians, key=medians.get)
            parts.append(f"from the {MODELS[low][0]}'s {_percent(medians[low])} to the {MODELS[high][0]}'s "
                         f"{_percent(medians[high])} on {TASK_NOUNS[task]} (L = {longest:,})")
    return ", and ".join(parts) or "every run ran out of memory"


def _spread_at_longest(data: dict[str, Any]) -> float:
    """The largest gap between two models' median final accuracies at a task's longest length."""
    gaps = []
    for task in data["tasks"]:
        longest = max(data["lengths"][task])
        medians = [readings.median(readings.cell(data, task, m, longest)["accuracies"]) for m in data["models"]]
        medians = [m for m in medians if not math.isnan(m)]
        gaps.append(max(medians) - min(medians) if medians else 0.0)
    return max(gaps, default=0.0)


def _percent(fraction: float) -> str:
    return "out of memory" if math.isnan(fraction) else measured_text(fraction, ".0%", "")


def tables(data: dict[str, Any]) -> list[Table]:
    rows = []
    for task in data["tasks"]:
        for model in data["models"]:
            for length in data["lengths"][task]:
                cell = readings.cell(data, task, model, length)
                steps = cell["median_steps"]
                rows.append([
                    TASKS[task], MODELS[model][0], f"{length:,}", f"{cell['solved']}/{cell['total']}",
                    "not solved" if steps is None else f"{steps:,.0f}",
                    _accuracy_text(cell["accuracies"]),
                    "—" if cell["ms_per_step"] is None else f"{cell['ms_per_step']:.1f} ms",
                ])
    return [
        Table(
            "outcomes",
            ["task", "model", "L", "seeds solved", "median steps to solve", "final accuracy", "time per step"],
            rows,
            caption=f"Each model, task and length over {len(data['seeds'])} seeds, width {data['width']}. "
            f"Steps to solve is a median over seeds, given only when most seeds solved; accuracy is the "
            f"median (range) on the validation batch; chance is {data['chance']:.0%}. Time per step "
            "includes the validation checks.",
            align="llrrrrr",
        )
    ]


def values(data: dict[str, Any]) -> list[Value]:
    result = [
        Value("chance_accuracy", data["chance"], ".0%", "", "accuracy of guessing: 1 / number of answer symbols"),
        Value("seed_count", len(data["seeds"]), "d", "", "seeds per model, task and length"),
        Value("width", data["width"], "d", "", "hidden width of every model"),
    ]
    for task in data["tasks"]:
        key, lengths = KEY[task], data["lengths"][task]
        result += [
            Value(f"{key}_budget", data["budget"][task], ",d", " steps", f"training budget per run, {TASKS[task]}"),
            Value(f"{key}_longest_length", max(lengths), ",d", "", f"longest L tried, {TASKS[task]}"),
        ]
        for model in data["models"]:
            result += _model_values(data, task, model)
    for model in data["models"]:
        longest = max(data["lengths"]["first_token"])
        ms = readings.cell(data, "first_token", model, longest)["ms_per_step"]
        if ms is not None:
            result.append(Value(f"{model}_ms_per_step_at_longest", ms, ".1f", " ms",
                                f"time per training step, {MODELS[model][0]}, first token, L = {longest:,}"))
    return result


# helpers ------------------------------------------------------------------------------------------


def _model_values(data: dict[str, Any], task: str, model: str) -> list[Value]:
    name, key, lengths = MODELS[model][0], f"{model}_{KEY[task]}", data["lengths"][task]
    cells = {length: readings.cell(data, task, model, length) for length in lengths}
    result = []
    for length, cell in cells.items():
        if cell["accuracies"]:  # empty only when every seed ran out of memory
            result.append(Value(f"{key}_accuracy_at_{length}", readings.median(cell["accuracies"]), ".0%", "",
                                f"final accuracy, {name}, {TASKS[task]}, L = {length:,} (median over seeds)"))
        if cell["median_steps"] is not None:
            result.append(Value(f"{key}_steps_at_{length}", cell["median_steps"], ",.0f", " steps",
                                f"steps to solve, {name}, {TASKS[task]}, L = {length:,} (median over seeds)"))
    solved = [length for length, cell in cells.items() if cell["solved"] == cell["total"]]
    result.append(Value(f"{key}_longest_solved", max(solved) if solved else None, ",d", "",
                        f"longest L that every seed of the {name} solved, {TASKS[task]}", "none"))
    shortest, longest = cells[min(lengths)], cells[max(lengths)]
    if shortest["median_steps"] is not None:
        result.append(Value(f"{key}_steps_at_shortest", shortest["median_steps"], ",.0f", " steps",
                            f"steps to solve, {name}, {TASKS[task]}, L = {min(lengths):,}"))
    if longest["accuracies"]:
        result.append(Value(f"{key}_accuracy_at_longest", readings.median(longest["accuracies"]), ".0%", "",
                            f"final accuracy, {name}, {TASKS[task]}, L = {max(lengths):,}"))
    return result


def _steps(data: dict[str, Any], theme: Theme):
    fig, axes = new_figure(theme, ncols=len(data["tasks"]))
    top = max(data["budget"].values())
    for ax, task in zip(axes, data["tasks"], strict=True):
        budget, lengths = data["budget"][task], data["lengths"][task]
        for offset, model in zip(_offsets(len(data["models"])), data["models"], strict=True):
            label, role, marker = MODELS[model]
            color = theme.color(role)
            cells = [readings.cell(data, task, model, length) for length in lengths]
            shifted = [length * 2 ** offset for length in lengths]  # side by side, not on top of each other
            medians = [np.nan if c["median_steps"] is None else c["median_steps"] for c in cells]
            ax.plot(shifted, medians, color=color, marker=marker, label=label)
            for x, cell in zip(shifted, cells, strict=True):
                solved = [s for s in cell["steps"] if not math.isinf(s)]
                ax.plot([x] * len(solved), solved, linestyle="none", marker=marker, color=color, alpha=0.35)
                if cell["solved"] < cell["total"]:
                    ax.plot([x], [budget], linestyle="none", marker="x", markersize=8, color=color)
        ax.axhline(budget, color=theme.color("reference"), linewidth=0.8, linestyle="--")
        ax.annotate("budget: not solved", (lengths[0], budget), xytext=(0, 4), textcoords="offset points",
                    color=theme.color("reference"), fontsize=8)
        ax.set_yscale("log")
        ax.set_ylim(5, top * 1.6)  # one range for both panels, so that their heights compare
        ax.yaxis.set_major_locator(FixedLocator([m * 10 ** e for e in range(6) for m in (1, 3)]))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(FuncFormatter(count_tick))
        ax.set_ylabel("Adam steps to 99% accuracy")
        _length_axis(ax, task, lengths)
    axes[-1].legend(loc="lower right")
    return fig


def _accuracy(data: dict[str, Any], theme: Theme):
    fig, axes = new_figure(theme, ncols=len(data["tasks"]))
    for ax, task in zip(axes, data["tasks"], strict=True):
        lengths = data["lengths"][task]
        for offset, model in zip(_offsets(len(data["models"])), data["models"], strict=True):
            label, role, marker = MODELS[model]
            color = theme.color(role)
            cells = [readings.cell(data, task, model, length) for length in lengths]
            shifted = [length * 2 ** offset for length in lengths]
            ax.plot(shifted, [readings.median(c["accuracies"]) for c in cells], color=color, marker=marker, label=label)
            for x, cell in zip(shifted, cells, strict=True):
                ax.plot([x] * len(cell["accuracies"]), cell["accuracies"], linestyle="none", marker=marker,
                        color=color, alpha=0.35)
        ax.axhline(data["chance"], color=theme.color("reference"), linewidth=0.8, linestyle=":")
        ax.axhline(data["solved_at"], color=theme.color("reference"), linewidth=0.8, linestyle="--")
        ax.set_ylim(0, 1.05)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.set_ylabel("final validation accuracy")
        _length_axis(ax, task, lengths)
    axes[0].legend(loc="lower left")
    return fig


def _length_axis(ax, task: str, lengths: list[int]) -> None:
    ax.set_xscale("log", base=2)
    ax.set_xlim(min(lengths) / 1.4, max(lengths) * 1.4)
    ax.xaxis.set_major_locator(FixedLocator(lengths))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(count_tick))
    ax.set_xlabel("sequence length L (tokens)")
    ax.set_title(TASKS[task])


def _offsets(count: int) -> list[float]:
    """Small shifts along a log2 axis, so that models at the same L sit side by side."""
    return list(np.linspace(-0.06, 0.06, count)) if count > 1 else [0.0]


def _accuracy_text(accuracies: list[float]) -> str:
    if not accuracies:
        return "out of memory"
    median = f"{readings.median(accuracies):.1%}"
    return median if len(accuracies) == 1 else f"{median} ({min(accuracies):.1%}–{max(accuracies):.1%})"
