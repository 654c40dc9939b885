"""The kv_cache experiment on its smoke preset: the bytes it counts, the checks it makes, what it renders."""

from __future__ import annotations

import copy
import importlib

import pytest
import torch

from gen.checks import EXACT, TIMING
from gen.experiments.kv_cache import PRESETS, REAL_MODELS
from gen.experiments.kv_cache.measure import measure
from gen.experiments.kv_cache.render import tables, values
from tests.gen.smoke import check_outcomes, judged

CONFIG = PRESETS["smoke"]


EXPERIMENT = "kv_cache"  # the `data` fixture (tests/gen/conftest.py) measures it once per module



def test_self_checks_cover_cache_formulas_constant_states_agreement_and_decode_time(data):
    assert set(check_outcomes(EXPERIMENT, data)) == {
        "transformer_mha_cache_matches_formula", "transformer_gqa_cache_matches_formula",
        "lstm_state_is_constant", "linear_attention_state_is_constant", "ssm_state_is_constant",
        "cache_doubles_with_context", "real_caches_are_linear_in_context", "cached_decode_matches_full_forward",
        "lstm_decode_is_flat", "transformer_decode_slows_more_than_lstm",
    }


def test_only_the_decode_time_checks_are_timing_checks(data):
    kinds = {check.name: check.kind for check in judged(EXPERIMENT, data)}
    timing = {"lstm_decode_is_flat", "transformer_decode_slows_more_than_lstm"}
    assert kinds == {name: TIMING if name in timing else EXACT for name in kinds}
    oom = copy.deepcopy(data)
    oom["latency"]["lstm"][0] = {"position": CONFIG.timed_positions[0], "status": "oom"}
    assert {c.name: c.kind for c in judged(EXPERIMENT, oom)}["decode_times_measured"] == EXACT


def test_bytes_are_counted_at_every_decoded_position_for_every_model(data):
    assert data["positions"] == list(range(1, CONFIG.decode_tokens + 1))
    assert set(data["decode_bytes"]) == {"transformer_mha", "transformer_gqa", "lstm", "linear_attention", "ssm"}
    assert all(len(sizes) == CONFIG.decode_tokens for sizes in data["decode_bytes"].values())


def test_the_grouped_query_cache_is_smaller_by_the_ratio_of_kv_heads(data):
    mha, gqa = data["decode_bytes"]["transformer_mha"], data["decode_bytes"]["transformer_gqa"]
    assert all(m * CONFIG.gqa_kv_heads == g * CONFIG.heads for m, g in zip(mha, gqa, strict=True))


def test_each_timed_position_is_timed_for_both_transformers_and_the_lstm(data):
    for name in ("transformer_mha", "transformer_gqa", "lstm"):
        assert [p["position"] for p in data["latency"][name]] == list(CONFIG.timed_positions)
        assert all(p["median_s"] > 0 for p in data["latency"][name])
        assert all(len(p["pass_medians_s"]) == CONFIG.rounds for p in data["latency"][name])


def test_real_shapes_give_the_published_cache_sizes(data):
    rows = {row["key"]: row for row in data["real_models"]["caches"]}
    assert set(rows) == {m.key for m in REAL_MODELS}
    assert rows["llama2_7b_like"]["bytes_per_token"] == 512 * 1024  # 2 x 32 x 32 x 128 x 2 bytes
    assert rows["llama3_8b_like"]["contexts"][1] == {"tokens": 131072, "bytes": 16 * 2**30}


def test_progress_advances_once_per_model_and_once_per_timed_position_and_pass():
    steps = []
    small = type(CONFIG)(decode_tokens=4, timed_positions=(8, 16), min_run_time=0.001, rounds=2)
    measure(small, "cpu", steps.append)
    assert sum(steps) == 5 + 2 * 2


def test_timing_restores_the_thread_count():
    threads = torch.get_num_threads()
    measure(type(CONFIG)(decode_tokens=2, timed_positions=(4,), min_run_time=0.001, rounds=1), "cpu", lambda n: None)
    assert torch.get_num_threads() == threads


# Doctored data: each self-check must be able to fail -------------------------------------------------


def mha_cache_one_byte_off(data: dict) -> None:
    data["decode_bytes"]["transformer_mha"][10] += 1


def gqa_cache_quadratic(data: dict) -> None:
    sizes = data["decode_bytes"]["transformer_gqa"]
    data["decode_bytes"]["transformer_gqa"] = [b * T for T, b in zip(data["positions"], sizes, strict=True)]


def lstm_state_grows(data: dict) -> None:
    data["decode_bytes"]["lstm"][-1] *= 2


def real_cache_off(data: dict) -> None:
    data["real_models"]["caches"][0]["contexts"][2]["bytes"] += 2


def cache_disagrees_with_full_forward(data: dict) -> None:
    data["agreement"]["cached_vs_full_relative"] = 1e-2


def lstm_time_falls_with_position(data: dict) -> None:
    for point in data["latency"]["lstm"]:
        point["median_s"] = 1e-3 / point["position"] ** 0.5


def transformer_flat(data: dict) -> None:
    for name in ("transformer_mha", "lstm"):
        for point in data["latency"][name]:
            point["median_s"] = 1e-3


@pytest.mark.parametrize("doctor, failing", [
    (mha_cache_one_byte_off, {"transformer_mha_cache_matches_formula", "cache_doubles_with_context"}),
    (gqa_cache_quadratic, {"transformer_gqa_cache_matches_formula", "cache_doubles_with_context"}),
    (lstm_state_grows, {"lstm_state_is_constant"}),
    (real_cache_off, {"real_caches_are_linear_in_context"}),
    (cache_disagrees_with_full_forward, {"cached_decode_matches_full_forward"}),
    (lstm_time_falls_with_position, {"lstm_decode_is_flat"}),
    (transformer_flat, {"transformer_decode_slows_more_than_lstm"}),
])
def test_doctored_data_fails_exactly_the_checks_about_it(data, doctor, failing):
    doctored = copy.deepcopy(data)
    doctor(doctored)
    failed_before = {name for name, passed in check_outcomes(EXPERIMENT, data).items() if not passed}
    failed = {name for name, passed in check_outcomes(EXPERIMENT, doctored).items() if not passed}
    assert failed - failed_before == failing


def test_an_out_of_memory_point_fails_the_timing_checks_without_crashing(data):
    doctored = copy.deepcopy(data)
    doctored["latency"]["transformer_mha"][-1] = {"position": CONFIG.timed_positions[-1], "status": "oom"}
    assert check_outcomes(EXPERIMENT, doctored)["decode_times_measured"] is False


# Rendering -------------------------------------------------------------------------------------------


def test_it_renders_the_figures_the_pages_refer_to(data):
    """Drawing each in both themes, with alt text and a caption, is tests/gen/test_every_experiment_smoke.py's job."""
    keys = {figure.key for figure in importlib.import_module("gen.experiments.kv_cache.render").figures(data)}
    assert keys == {'memory_vs_position', 'decode_time_vs_position'}


def test_the_real_model_table_has_one_row_per_shape_and_the_ssm_state(data):
    table = {t.key: t for t in tables(data)}["real_model_cache"]
    assert len(table.rows) == len(REAL_MODELS) + 1
    assert table.columns[-3:] == ["at 4K tokens", "at 128K tokens", "at 1M tokens"]
    assert table.rows[0][-1] == "512 GiB"  # Llama-2-7B-like at 1M tokens


def test_values_quote_real_caches_the_doubling_ratio_and_decode_slopes(data):
    got = {v.key: v for v in values(data)}
    for key in ("llama2_7b_like_kib_per_token", "llama2_7b_like_gib_at_4k", "llama2_7b_like_gib_at_128k",
                "llama2_7b_like_gib_at_1m", "llama3_8b_like_gib_at_128k", "llama2_70b_like_gib_at_1m",
                "mamba_2_8b_like_state_mib", "growth_4k_to_1m", "cache_doubling_ratio", "toy_lstm_state_bytes",
                "toy_mha_bytes_per_token", "toy_ssm_state_in_mha_tokens", "mha_decode_slope", "lstm_decode_slope",
                "mha_decode_ns_per_cached_token", "mha_over_lstm_at_largest"):
        assert key in got, key
    assert got["cache_doubling_ratio"].value == 2
    assert got["growth_4k_to_1m"].text() == "256×"
    assert got["llama2_7b_like_gib_at_128k"].text() == "64 GiB"
    assert got["llama3_8b_like_gib_at_4k"].text() == "0.5 GiB"
