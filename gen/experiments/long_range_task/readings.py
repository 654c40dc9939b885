"""Readings of the long-range-task runs and the self-checks judged from them (NumPy only, no torch).

A run is one model trained on one task at one length with one seed; its status is "solved",
"unsolved" or "oom" (out of memory: no steps, accuracy or timing).

Every check is EXACT: steps to solve and accuracies come from seeded training and seeded data, so
measuring again on a CPU gives the same runs. Only the time per step is read off a clock, and no
check reads it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gen.checks import EXACT, Check, greater, within
from gen.experiments.long_range_task import Config


def runs_of(data: dict[str, Any], task: str, length: int, model: str | None = None) -> list[dict[str, Any]]:
    """The runs of one task and length, over every seed; of one model, or of all when model is None."""
    return [r for r in data["runs"] if r["task"] == task and r["length"] == length
            and (model is None or r["model"] == model)]


def median(values: list[float]) -> float:
    return float(np.median(values)) if values else math.nan


def cell(data: dict[str, Any], task: str, model: str, length: int) -> dict[str, Any]:
    """One model at one task and length, over seeds; an out-of-memory run counts as not solved."""
    runs = runs_of(data, task, length, model)
    steps = [r["steps"] if r["status"] == "solved" else math.inf for r in runs]
    median_steps = float(np.median(steps)) if steps else math.inf
    timings = [r["timing"]["ms_per_step"] for r in runs if r["timing"]]
    return {
        "solved": sum(r["status"] == "solved" for r in runs),
        "total": len(runs),
        "steps": steps,
        "median_steps": None if math.isinf(median_steps) else median_steps,
        "accuracies": [r["accuracy"] for r in runs if r["accuracy"] is not None],
        "ms_per_step": median(timings) if timings else None,
    }


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    result = [shortest_solved(data, task) for task in data["tasks"] if data["lengths"][task]]
    runs = data["runs"]
    accuracies = [r["accuracy"] for r in runs if r["accuracy"] is not None]
    low, high = min(accuracies, default=0.0), max(accuracies, default=0.0)
    result.append(Check("accuracies_are_probabilities", 0.0 <= low and high <= 1.0,
                        f"final accuracies range from {low:.3g} to {high:.3g}, expected within [0, 1]", EXACT))
    solved = [r["accuracy"] for r in runs if r["status"] == "solved"]
    result.append(greater("solved_runs_meet_the_bar", min(solved, default=0.0), data["solved_at"] - 1e-12,
                          "lowest final validation accuracy of a run counted as solved", kind=EXACT))
    baselines = [b for by_length in data["majority_baseline"].values() for b in by_length.values()]
    # Hundreds of answers over 4 symbols: the commonest lands within a few points of 1/4 unless the task is biased.
    result.append(within("validation_answers_are_balanced", max(baselines), data["chance"], data["chance"] + 0.1,
                         "accuracy of always giving the commonest validation answer, worst task and length",
                         kind=EXACT))
    return result


def shortest_solved(data: dict[str, Any], task: str) -> Check:
    """Every model and seed solves the task at its shortest length: the budget was sized for that."""
    shortest = min(data["lengths"][task])
    at_shortest = runs_of(data, task, shortest)
    unsolved = sorted({f"{r['model']} (seed {r['seed']})" for r in at_shortest if r["status"] != "solved"})
    detail = (f"not solved by {', '.join(unsolved)}" if unsolved
              else f"all {len(at_shortest)} runs solved within {data['budget'][task]} steps")
    return Check(f"{task}_shortest_length_solved_by_every_model", bool(at_shortest) and not unsolved,
                 f"{task} at L = {shortest}: {detail}", EXACT)
