"""The size_arithmetic experiment: exact parameter counts and attention-matrix sizes, and their checks."""

from __future__ import annotations

import copy
import importlib
import json

import pytest

from gen.checks import EXACT
from gen.experiments.size_arithmetic import PRESETS
from gen.experiments.size_arithmetic.formulas import rnn_parameters
from gen.experiments.size_arithmetic.render import format_bytes, tables, values
from tests.gen.smoke import check_outcomes, judged

CONFIG = PRESETS["smoke"]


EXPERIMENT = "size_arithmetic"  # the `data` fixture (tests/gen/conftest.py) measures it once per module



def test_self_checks_cover_parameters_bytes_and_the_quoted_counts(data):
    assert set(check_outcomes(EXPERIMENT, data)) == {
        "rnn_formula_matches_torch", "score_bytes_match_torch", "byte_arithmetic_is_consistent",
        "quoted_counts_are_per_head",
    }


def test_every_check_is_exact_as_nothing_is_timed(data):
    checks = judged(EXPERIMENT, data)
    assert checks and {c.name: c.kind for c in checks} == {c.name: EXACT for c in checks}


def test_every_profile_computes_the_same_numbers():
    assert PRESETS["smoke"] == PRESETS["cpu"] == PRESETS["gpu"]


def test_a_two_layer_256_unit_lstm_has_far_more_than_500k_parameters(data):
    counts = data["lstm_2x256_by_input"]
    assert counts == {"1": 791_552, "128": 921_600, "256": 1_052_672, "512": 1_314_816}


def test_the_formula_by_hand_for_one_lstm_layer():
    assert rnn_parameters("LSTM", 256, 256, 1, False, True) == 4 * (256 * 256 + 256 * 256 + 2 * 256)


def test_attention_sizes_at_the_quoted_lengths(data):
    by_t = {s["t"]: s for s in data["attention"]}
    assert by_t[100_000]["bytes"]["float16_per_head"] == 20 * 10**9
    assert by_t[1_000_000]["bytes"]["float16_per_head"] == 2 * 10**12
    assert by_t[1_000_000]["bytes"]["float16_per_layer"] == 64 * 10**12


def test_data_is_plain_json(data):
    assert json.loads(json.dumps(data, allow_nan=False)) == data


def test_bytes_read_in_decimal_units_to_three_figures():
    assert [format_bytes(n) for n in (524_288, 16_777_216, 2 * 10**10, 2 * 10**12)] == [
        "524 kB", "16.8 MB", "20.0 GB", "2.00 TB"]


# doctored data: each self-check must be able to fail ---------------------------------------------


def formula_off_by_one_bias(data: dict) -> None:
    data["rnn"][0]["formula"] -= data["rnn"][0]["hidden"]


def torch_bytes_disagree(data: dict) -> None:
    data["attention"][0]["torch_bytes"]["float32_per_head"] += 1


def fp32_not_twice_fp16(data: dict) -> None:
    size = data["curves"][3]
    size["bytes"]["float32_per_head"] += 4
    size["torch_bytes"]["float32_per_head"] += 4


def quoted_count_per_layer(data: dict) -> None:
    for size in data["attention"]:
        size["scores_per_head"] = size["scores_per_layer"]


@pytest.mark.parametrize("doctor, failing_check", [
    (formula_off_by_one_bias, "rnn_formula_matches_torch"),
    (torch_bytes_disagree, "score_bytes_match_torch"),
    (fp32_not_twice_fp16, "byte_arithmetic_is_consistent"),
    (quoted_count_per_layer, "quoted_counts_are_per_head"),
])
def test_doctored_data_fails_the_check_about_it(data, doctor, failing_check):
    doctored = copy.deepcopy(data)
    doctor(doctored)
    assert check_outcomes(EXPERIMENT, doctored)[failing_check] is False


# rendering -------------------------------------------------------------------------------------------


def test_it_renders_the_figures_the_pages_refer_to(data):
    """Drawing each in both themes, with alt text and a caption, is tests/gen/test_every_experiment_smoke.py's job."""
    keys = {figure.key for figure in importlib.import_module("gen.experiments.size_arithmetic.render").figures(data)}
    assert keys == {'attention_bytes_vs_length'}


def test_tables_compare_formula_with_torch_and_list_the_quoted_lengths(data):
    by_key = {t.key: t for t in tables(data)}
    assert set(by_key) == {"rnn_parameters", "attention_matrix_sizes"}
    assert all(row[-1] == "✓" for row in by_key["rnn_parameters"].rows)
    assert [row[0] for row in by_key["attention_matrix_sizes"].rows] == ["512", "4,096", "100,000", "1,000,000"]


def test_values_the_lessons_quote_are_present_with_their_units(data):
    by_key = {v.key: v for v in values(data)}
    assert by_key["lstm_2x256_params_input_256"].text() == "1,052,672"
    assert by_key["lstm_2x256_params_min"].value == 791_552
    assert by_key["scores_per_head_at_4k"].text() == "16,777,216"
    assert by_key["scores_bytes_fp16_per_head_at_100k"].text() == "20 GB"
    assert by_key["scores_bytes_128bit_per_head_at_100k"].text() == "160 GB"
    assert by_key["scores_bytes_fp16_per_head_at_1m"].text() == "2 TB"
    assert by_key["scores_bytes_fp16_per_layer_at_1m"].text() == "64 TB"
    assert by_key["longest_t_fp16_head_fits_gpu"].value == 200_000
    assert {"kv_cache_bytes_fp16_per_layer_at_1m", "scores_fp16_per_head_at_1m_over_gpu",
            "lstm_2x256_min_over_claim", "scores_per_layer_at_4k"} <= set(by_key)
