"""The long_range_task experiment on its smoke preset: the data it returns, its self-checks, its render."""

from __future__ import annotations

import copy
import dataclasses
import importlib

import pytest

from gen.checks import EXACT
from gen.experiments.long_range_task import PRESETS, TASKS
from gen.experiments.long_range_task import render as rendering
from gen.experiments.long_range_task.measure import measure
from gen.render.style import THEMES, svg_bytes, themed
from tests.gen.smoke import check_outcomes, judged

CONFIG = PRESETS["smoke"]
TINY = dataclasses.replace(CONFIG, recall_lengths=(), first_token_steps=5, models=("lstm", "transformer"))


EXPERIMENT = "long_range_task"  # the `data` fixture (tests/gen/conftest.py) measures it once per module



def test_self_checks_cover_the_shortest_length_accuracy_and_chance(data):
    assert set(check_outcomes(EXPERIMENT, data)) == {
        "first_token_shortest_length_solved_by_every_model",
        "associative_recall_shortest_length_solved_by_every_model",
        "accuracies_are_probabilities", "solved_runs_meet_the_bar", "validation_answers_are_balanced",
    }


def test_every_check_is_exact_as_none_reads_the_time_per_step(data):
    checks = judged(EXPERIMENT, data)
    assert checks and {c.name: c.kind for c in checks} == {c.name: EXACT for c in checks}


def test_there_is_one_run_per_task_length_model_and_seed(data):
    keys = [(r["task"], r["length"], r["model"], r["seed"]) for r in data["runs"]]
    assert keys == [(task, length, model, seed) for task in TASKS for length in CONFIG.lengths(task)
                    for model in CONFIG.models for seed in CONFIG.seeds]


def test_runs_stay_within_their_budget_and_report_a_probability(data):
    for run in data["runs"]:
        assert run["status"] in {"solved", "unsolved"}
        assert 0 <= run["steps"] <= CONFIG.budget(run["task"])
        assert 0.0 <= run["accuracy"] <= 1.0
        assert run["timing"]["seconds"] > 0


def test_chance_accuracy_is_one_over_the_number_of_answers(data):
    assert data["chance"] == 1 / CONFIG.answers


def test_the_same_config_trains_to_the_same_numbers_twice():
    def without_timing(result: dict) -> dict:
        return {**result, "runs": [{k: v for k, v in r.items() if k != "timing"} for r in result["runs"]]}

    first, second = (measure(TINY, "cpu", lambda n: None) for _ in range(2))
    assert without_timing(first) == without_timing(second)


def test_progress_advances_once_per_run():
    steps = []
    measure(TINY, "cpu", steps.append)
    assert sum(steps) == len(TINY.models) * len(TINY.seeds)


# Doctored data: each self-check must be able to fail -------------------------------------------------


def _first(data: dict, task: str) -> dict:
    return next(r for r in data["runs"] if r["task"] == task)


def first_token_unsolved(data: dict) -> None:
    _first(data, "first_token")["status"] = "unsolved"


def recall_unsolved(data: dict) -> None:
    _first(data, "associative_recall")["status"] = "unsolved"


def accuracy_above_one(data: dict) -> None:
    data["runs"][0]["accuracy"] = 1.5


def solved_below_the_bar(data: dict) -> None:
    data["runs"][0]["accuracy"] = 0.5


def biased_answers(data: dict) -> None:
    data["majority_baseline"]["first_token"]["8"] = 0.6


@pytest.mark.parametrize("doctor, failing_check", [
    (first_token_unsolved, "first_token_shortest_length_solved_by_every_model"),
    (recall_unsolved, "associative_recall_shortest_length_solved_by_every_model"),
    (accuracy_above_one, "accuracies_are_probabilities"),
    (solved_below_the_bar, "solved_runs_meet_the_bar"),
    (biased_answers, "validation_answers_are_balanced"),
])
def test_doctored_data_fails_exactly_the_check_about_it(data, doctor, failing_check):
    doctored = copy.deepcopy(data)
    doctor(doctored)
    failed = [name for name, passed in check_outcomes(EXPERIMENT, doctored).items() if not passed]
    assert failed == [failing_check]


def test_a_failed_shortest_length_check_names_the_model_and_seed(data):
    doctored = copy.deepcopy(data)
    first_token_unsolved(doctored)
    run = _first(doctored, "first_token")
    detail = next(c.detail for c in judged(EXPERIMENT, doctored) if c.name.startswith("first_token"))
    assert f"{run['model']} (seed {run['seed']})" in detail


# Rendering -----------------------------------------------------------------------------------------


def test_it_renders_the_figures_the_pages_refer_to(data):
    """Drawing each in both themes, with alt text and a caption, is tests/gen/test_every_experiment_smoke.py's job."""
    keys = {figure.key for figure in importlib.import_module("gen.experiments.long_range_task.render").figures(data)}
    assert keys == {'steps_to_solve', 'final_accuracy'}


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_figures_mark_unsolved_and_out_of_memory_runs_without_failing(data, theme):
    doctored = copy.deepcopy(data)
    for run in doctored["runs"][:2]:
        run.update(status="oom", steps=None, accuracy=None, timing=None)
    doctored["runs"][2]["status"] = "unsolved"
    for figure in rendering.figures(doctored):
        with themed(theme):
            svg_bytes(figure.draw(theme))
    assert "out of memory" in {cell for row in rendering.tables(doctored)[0].rows for cell in row}


def test_the_outcome_table_has_a_row_per_task_model_and_length(data):
    (table,) = rendering.tables(data)
    assert table.key == "outcomes"
    assert len(table.rows) == sum(len(CONFIG.lengths(t)) for t in TASKS) * len(CONFIG.models)


def test_values_the_lessons_quote_are_present(data):
    values = {v.key for v in rendering.values(data)}
    per_model = [f"{model}_{task}_{what}" for model in CONFIG.models for task in ("first_token", "recall")
                 for what in ("longest_solved", "steps_at_shortest", "accuracy_at_longest", "steps_at_8")]
    expected = {"chance_accuracy", "seed_count", "width", "first_token_budget", "recall_budget",
                "first_token_longest_length", "recall_longest_length", *per_model,
                *(f"{model}_ms_per_step_at_longest" for model in CONFIG.models)}
    assert expected <= values
    assert next(v for v in rendering.values(data) if v.key == "chance_accuracy").text() == "25%"
