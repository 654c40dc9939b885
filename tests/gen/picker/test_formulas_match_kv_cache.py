"""The picker's memory formulas are the kv_cache experiment's (gen/experiments/kv_cache/formulas.py), on several shapes.

The picker may not import that module (it needs torch); this test may, and holds the two together.
"""

from __future__ import annotations

import pytest

from gen.experiments.kv_cache import MAMBA_LIKE, REAL_MODELS, Config
from gen.experiments.kv_cache.measure import cache_formula, real_model_table, state_formulas
from gen.picker.engine import load_rules, pick
from gen.picker.formula import evaluate, parse

DERIVED = load_rules()["derived"]


def picker(name: str, **env: float) -> float:
    return evaluate(parse(DERIVED[name]["formula"]), env)


@pytest.mark.parametrize("layers, kv_heads, head_dim, tokens, nbytes", [
    (4, 8, 32, 1, 4), (4, 2, 32, 256, 2), (32, 32, 128, 4096, 2), (32, 8, 128, 131072, 2),
    (80, 8, 128, 1048576, 2), (12, 12, 64, 100000, 1),
])
def test_the_kv_cache_formula_is_experiment_8s(layers, kv_heads, head_dim, tokens, nbytes):
    got = picker("kv_cache_bytes", layers=layers, kv_heads=kv_heads, head_dim=head_dim, seq_len=tokens,
                 bytes_per_element=nbytes)
    assert got == cache_formula(layers, kv_heads, head_dim, tokens, nbytes)


@pytest.mark.parametrize("tokens, window", [(100, 4096), (4096, 4096), (200000, 4096), (131072, 1024)])
def test_the_window_cache_is_experiment_8s_cache_at_the_window_length(tokens, window):
    window_tokens = picker("window_tokens", seq_len=tokens, window=window)
    got = picker("window_cache_bytes", layers=32, kv_heads=8, head_dim=128, window_tokens=window_tokens,
                 bytes_per_element=2)
    assert got == cache_formula(32, 8, 128, min(tokens, window), 2)


@pytest.mark.parametrize("config", [
    Config(decode_tokens=1, timed_positions=(1,)),
    Config(decode_tokens=1, timed_positions=(1,), layers=12, heads=12, head_dim=64, ssm_state=16),
    Config(decode_tokens=1, timed_positions=(1,), layers=64, heads=40, head_dim=128, ssm_state=64),
])
@pytest.mark.parametrize("nbytes", [2, 4])
def test_the_state_formulas_are_experiment_8s(config, nbytes):
    width = config.heads * config.head_dim
    expected = state_formulas(config, nbytes)
    assert picker("ssm_state_bytes", ssm_layers=config.layers, ssm_channels=width, ssm_state=config.ssm_state,
                  bytes_per_element=nbytes) == expected["ssm"]
    assert picker("rnn_state_bytes", layers=config.layers, d_model=width, bytes_per_element=nbytes) == expected["lstm"]


def test_the_mamba_like_state_of_experiment_8_comes_out_of_the_picker_formula():
    m = MAMBA_LIKE
    got = picker("ssm_state_bytes", ssm_layers=m["layers"], ssm_channels=m["channels"], ssm_state=m["state"],
                 bytes_per_element=m["bytes_per_element"])
    assert got == real_model_table()["recurrent_state"]["bytes"]


def test_a_full_pick_reports_experiment_8s_cache_for_the_llama_3_8b_like_shape():
    model = next(m for m in REAL_MODELS if m.key == "llama3_8b_like")
    answer = pick({"seq_len": 131072, "params": 8e9, "recall": True})
    assert answer.shape.startswith("Llama-3-8B-like") and answer.family == "transformer"
    assert answer.quantities["state_bytes"] == cache_formula(model.layers, model.kv_heads, model.head_dim, 131072,
                                                             model.bytes_per_element)
