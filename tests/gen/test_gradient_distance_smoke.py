"""The gradient_distance experiment on its smoke preset: the data it returns, its self-checks, its render."""

from __future__ import annotations

import copy
import importlib

import pytest

from gen.checks import EXACT
from gen.experiments.gradient_distance import PRESETS
from gen.experiments.gradient_distance import render as rendering
from gen.experiments.gradient_distance.measure import MODELS, RECURRENT, measure
from tests.gen.smoke import check_outcomes, judged

CONFIG = PRESETS["smoke"]


EXPERIMENT = "gradient_distance"  # the `data` fixture (tests/gen/conftest.py) measures it once per module



def test_self_checks_cover_decay_flatness_and_the_exact_formula(data):
    assert set(check_outcomes(EXPERIMENT, data)) == {
        *(f"{name}_gradient_decays" for name in RECURRENT), "forget_bias_1_decays_slower",
        "attention_has_no_trend", "attention_is_flat", "linear_recurrence_is_exactly_a_to_the_k",
    }


def test_every_check_is_exact_as_no_clock_is_read(data):
    checks = judged(EXPERIMENT, data)
    assert checks and {c.name: c.kind for c in checks} == {c.name: EXACT for c in checks}


def test_every_model_has_one_fit_and_one_reach_per_seed(data):
    assert set(data["models"]) == set(MODELS)
    for model in data["models"].values():
        assert len(model["slopes"]) == len(model["reach"]) == len(CONFIG.seeds)


def test_curves_start_at_one_and_reach_the_largest_distance(data):
    for model in data["models"].values():
        assert model["k"][0] == 0 and model["k"][-1] == CONFIG.max_distance
        assert model["median"][0] == pytest.approx(1.0)
        assert all(low <= high for low, high in zip(model["low"], model["high"], strict=True))


def test_forget_gates_at_initialisation_sit_near_sigmoid_of_their_bias(data):
    assert data["mean_forget_gate"]["lstm"] == pytest.approx([0.5] * len(CONFIG.seeds), abs=0.05)
    assert data["mean_forget_gate"]["lstm_forget_bias_1"] == pytest.approx([0.731] * len(CONFIG.seeds), abs=0.05)


def test_the_linear_recurrence_gives_the_computed_power_at_the_quoted_distance(data):
    assert data["linear_at_quoted_distance"] == pytest.approx(CONFIG.decay ** CONFIG.quoted_distance, rel=1e-12)


def test_the_same_config_measured_twice_gives_the_same_data(data):
    assert measure(CONFIG, "cpu", lambda n: None) == data


def test_progress_advances_once_per_seed():
    steps = []
    measure(type(CONFIG)(max_distance=8, seeds=(0, 1, 2), width=4, quoted_distance=4), "cpu", steps.append)
    assert sum(steps) == 3


# Doctored data: each self-check must be able to fail -------------------------------------------------


def rnn_grows(data: dict) -> None:
    data["models"]["rnn"]["slopes"][0] = 0.05


def forget_bias_makes_it_worse(data: dict) -> None:
    lstm = data["models"]["lstm"]["slopes"]
    data["models"]["lstm_forget_bias_1"]["slopes"] = [s - 1.0 for s in lstm]


def attention_decays(data: dict) -> None:
    data["models"]["attention"]["slopes"] = [-0.05] * len(CONFIG.seeds)


def attention_spreads(data: dict) -> None:
    data["models"]["attention"]["median_max_over_min"] = 1e6


def linear_is_off(data: dict) -> None:
    data["linear_max_relative_error"] = 1e-6


@pytest.mark.parametrize("doctor, failing_check", [
    (rnn_grows, "rnn_gradient_decays"),
    (forget_bias_makes_it_worse, "forget_bias_1_decays_slower"),
    (attention_decays, "attention_has_no_trend"),
    (attention_spreads, "attention_is_flat"),
    (linear_is_off, "linear_recurrence_is_exactly_a_to_the_k"),
])
def test_doctored_data_fails_exactly_the_check_about_it(data, doctor, failing_check):
    doctored = copy.deepcopy(data)
    doctor(doctored)
    failed = [name for name, passed in check_outcomes(EXPERIMENT, doctored).items() if not passed]
    assert failed == [failing_check]


# Rendering -----------------------------------------------------------------------------------------


def test_it_renders_the_figures_the_pages_refer_to(data):
    """Drawing each in both themes, with alt text and a caption, is tests/gen/test_every_experiment_smoke.py's job."""
    keys = {figure.key for figure in importlib.import_module("gen.experiments.gradient_distance.render").figures(data)}
    assert keys == {'decay_per_step', 'gradient_vs_distance'}


def test_the_summary_table_has_one_row_per_model(data):
    (table,) = rendering.tables(data)
    assert table.key == "decay_summary"
    assert len(table.rows) == len(MODELS)
    assert all(len(row) == len(table.columns) for row in table.rows)


def test_values_the_lessons_quote_are_present(data):
    values = {v.key: v for v in rendering.values(data)}
    expected = {
        *(f"{name}_decay_per_step" for name in MODELS),
        *(f"{name}_steps_to_1e3" for name in (*RECURRENT, "linear")),
        "attention_max_over_min", "attention_seed_max_over_min", "attention_near_over_far",
        "power_at_quoted_distance", "linear_at_quoted_distance", "linear_max_relative_error",
        "max_distance", "seed_count", "width", "lstm_forget_gate_mean", "lstm_forget_bias_1_forget_gate_mean",
    }
    assert expected <= set(values)
    assert values["power_at_quoted_distance"].text() == "0.00657"
    assert values["linear_decay_per_step"].text() == "0.990"
