"""The latency_vs_length experiment on its smoke preset: its data, its self-checks and its rendering."""

from __future__ import annotations

import copy
import importlib

import pytest
import torch

from gen.experiments.latency_vs_length import PRESETS, readings, render
from gen.experiments.latency_vs_length.measure import measure
from gen.render.style import THEMES, svg_bytes, themed
from tests.gen.smoke import check_outcomes, judged

CONFIG = PRESETS["smoke"]
LAYERS = ["attention_core", "attention", "transformer", "lstm", "gru"]


EXPERIMENT = "latency_vs_length"  # the `data` fixture (tests/gen/conftest.py) measures it once per module



def test_self_checks_cover_slopes_peak_and_formulas(data):
    assert set(check_outcomes(EXPERIMENT, data)) == {
        "recurrent_time_is_linear", "attention_core_is_near_quadratic", "attention_outgrows_lstm",
        "flops_below_measured_peak", "flop_formulas_match_counter",
    }


def test_every_layer_is_timed_forward_and_training_at_every_length(data):
    assert [s["name"] for s in data["series"]] == LAYERS
    for one in data["series"]:
        assert [p["length"] for p in one["points"]] == list(CONFIG.lengths)
        for point in one["points"]:
            for mode in ("forward", "train"):
                assert point[mode]["median_s"] > 0, (one["name"], point["length"], mode)


def test_a_training_step_is_counted_as_three_forward_passes(data):
    for one in data["series"]:
        for point in one["points"]:
            assert point["flops"]["train"] == 3 * point["flops"]["forward"]


def test_analytic_flops_equal_the_direct_count_exactly(data):
    for name, count in data["flop_formulas"].items():
        assert count["formula"] == count["counted"], name


def test_the_peak_is_measured_at_every_length_beside_the_layers_and_the_highest_kept(data):
    runs = data["peak"]["runs"]
    assert [r["length"] for r in runs] == list(CONFIG.lengths)
    assert data["peak"]["flops_per_s"] == max(r["flops_per_s"] for r in runs)


def test_every_point_keeps_the_fastest_of_its_interleaved_passes(data):
    for one in data["series"]:
        for point in one["points"]:
            for mode in ("forward", "train"):
                passes = point[mode]["pass_medians_s"]
                assert len(passes) == CONFIG.passes and point[mode]["median_s"] == min(passes)


def test_slopes_ratios_and_the_peak_fraction_are_timing_checks_and_the_flop_count_is_exact(data):
    kinds = {check.name: check.kind for check in judged(EXPERIMENT, data)}
    assert kinds == {
        "recurrent_time_is_linear": "timing", "attention_core_is_near_quadratic": "timing",
        "attention_outgrows_lstm": "timing", "flops_below_measured_peak": "timing",
        "flop_formulas_match_counter": "exact",
    }


def test_progress_advances_once_per_point():
    steps = []
    small = type(CONFIG)(lengths=(8, 16), width=8, heads=2, batch=1, attention_dtype="float32",
                         rnn_dtype="float32", rnn_backends=("default",), peak_dtype="float32",
                         peak_size=16, min_run_time=0.001)
    measure(small, "cpu", steps.append)
    assert sum(steps) == len(LAYERS) * 2


# Rendering ----------------------------------------------------------------------------------------


def test_it_renders_the_figures_the_pages_refer_to(data):
    """Drawing each in both themes, with alt text and a caption, is tests/gen/test_every_experiment_smoke.py's job."""
    keys = {figure.key for figure in importlib.import_module("gen.experiments.latency_vs_length.render").figures(data)}
    assert keys == {'recurrent_over_transformer', 'fraction_of_peak', 'time_vs_length'}


def test_tables_have_one_row_per_layer_and_per_length(data):
    tables = {t.key: t for t in render.tables(data)}
    assert len(tables["at_claim_length"].rows) == len(LAYERS)
    assert len(tables["training_step_times"].rows) == len(CONFIG.lengths)


def test_values_the_lessons_quote_are_present(data):
    keys = {v.key for v in render.values(data)}
    assert {
        "lstm_over_transformer_train_at_512", "gru_over_transformer_train_at_512",
        "lstm_over_transformer_forward_at_512", "lstm_train_slope", "gru_train_slope",
        "attention_train_slope", "attention_core_forward_slope", "transformer_train_slope",
        "attention_flops_at_largest", "attention_fraction_of_peak_at_largest",
        "attention_core_fraction_of_peak_at_largest", "lstm_fraction_of_peak_at_largest",
        "peak_flops", "largest_length", "width", "batch", "claim_length",
    } <= keys


# Doctored data: each self-check must be able to fail -------------------------------------------------
# Each doctor only ever makes times longer, so no FLOP/s figure rises towards the peak by accident.


def quadratic_lstm_forward(data: dict) -> None:
    points = data["series"][3]["points"]
    first = points[0]
    for point in points:
        point["forward"]["median_s"] = first["forward"]["median_s"] * (point["length"] / first["length"]) ** 2


def linear_from_the_largest(points: list[dict], mode: str) -> None:
    last = points[-1]
    for point in points:
        point[mode]["median_s"] = last[mode]["median_s"] * point["length"] / last["length"]


def linear_attention_core(data: dict) -> None:
    linear_from_the_largest(data["series"][0]["points"], "forward")


def linear_attention(data: dict) -> None:
    """Self-attention's training step made to grow exactly as the LSTM's measured one does: the slopes'
    gap is then 0 whatever the LSTM's slope came out at (a busy machine bends a smoke run's slopes, so
    making attention merely linear could still leave it 0.3 steeper than a flattened LSTM)."""
    lstm = {p["length"]: p["train"]["median_s"] for p in readings.series(data, "lstm")["points"]}
    points = readings.series(data, "attention")["points"]
    scale = points[-1]["train"]["median_s"] / lstm[points[-1]["length"]]  # its own time at the longest T
    for point in points:
        point["train"]["median_s"] = lstm[point["length"]] * scale


def attention_faster_than_peak(data: dict) -> None:
    point = data["series"][1]["points"][-1]
    point["forward"]["median_s"] = point["flops"]["forward"] / (2 * data["peak"]["flops_per_s"])


def formula_off_by_one_matmul(data: dict) -> None:
    data["flop_formulas"]["transformer"]["formula"] += 2


@pytest.mark.parametrize("doctor, failing_check", [
    (quadratic_lstm_forward, "recurrent_time_is_linear"),
    (linear_attention_core, "attention_core_is_near_quadratic"),
    (linear_attention, "attention_outgrows_lstm"),
    (attention_faster_than_peak, "flops_below_measured_peak"),
    (formula_off_by_one_matmul, "flop_formulas_match_counter"),
])
def test_doctored_data_fails_exactly_the_check_about_it(data, doctor, failing_check):
    doctored = copy.deepcopy(data)
    doctor(doctored)
    failed = [name for name, passed in check_outcomes(EXPERIMENT, doctored).items() if not passed]
    assert failed == [failing_check]


def test_an_unmeasurable_point_is_recorded_as_data_and_skipped_by_the_slopes(data):
    doctored = copy.deepcopy(data)
    doctored["series"][2]["points"][-1]["train"] = "oom"
    assert {t.key for t in render.tables(doctored)} == {"at_claim_length", "training_step_times", "recurrent_kernels"}
    for figure in render.figures(doctored):
        with themed(THEMES[0]):
            svg_bytes(figure.draw(THEMES[0]))
    assert check_outcomes(EXPERIMENT, doctored)["flop_formulas_match_counter"]


def test_the_kernel_that_ran_each_recurrent_layer_is_recorded_and_named(data):
    """With oneDNN in the CPU build, nn.LSTM dispatches to its fused kernel and nn.GRU to none (a loop
    of addmm per step); the names come from the operators recorded while measuring."""
    by_name = {s["name"]: s for s in data["series"]}
    assert "aten::addmm" in by_name["gru"]["ops"] and "aten::mkldnn_rnn_layer" not in by_name["gru"]["ops"]
    if torch.backends.mkldnn.is_available():
        assert "aten::mkldnn_rnn_layer" in by_name["lstm"]["ops"]
        assert readings.kernel(by_name["lstm"]).startswith("oneDNN")
    assert readings.kernel(by_name["gru"]) == readings.PER_STEP
    assert readings.kernel({**by_name["lstm"], "ops": ["aten::_cudnn_rnn"]}).startswith("cuDNN")
    assert readings.kernel(by_name["transformer"]) is None  # an attention layer has no time loop
    rows = {row[0]: row[1] for row in next(t for t in render.tables(data) if t.key == "recurrent_kernels").rows}
    assert rows == {by_name["lstm"]["label"]: readings.kernel(by_name["lstm"]),
                    by_name["gru"]["label"]: readings.PER_STEP}
