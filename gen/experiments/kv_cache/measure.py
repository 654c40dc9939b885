"""Measure the memory each decoder keeps while decoding, and what one decode step costs as context grows.

(a) Decode token by token from empty memory and sum the nbytes of every cache or state tensor at each
position. (b) Prefill caches to positions far apart and time one decode step at each. (c) Compute the
cache of real model shapes: bytes = 2 (K and V) x layers x kv_heads x head_dim x T x bytes per element.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch

from gen.analysis import loglog_slope
from gen.experiments.kv_cache import MAMBA_LIKE, REAL_CONTEXTS, REAL_MODELS, Config
from gen.experiments.kv_cache.models import ToyDecoder, ToyDiagonalSSM, ToyLinearAttention, ToyLSTM, memory_bytes
from gen.measuring.checks import Check, close, greater, within
from gen.measuring.seeding import deterministic
from gen.measuring.timing import time_call

CACHED = ("transformer_mha", "transformer_gqa")
RECURRENT = ("lstm", "linear_attention", "ssm")
TIMED = ("transformer_mha", "transformer_gqa", "lstm")


def cache_formula(layers: int, kv_heads: int, head_dim: int, tokens: int, bytes_per_element: int) -> int:
    """Bytes of a KV cache holding `tokens` positions of one sequence: K and V for every layer."""
    return 2 * layers * kv_heads * head_dim * tokens * bytes_per_element


def state_formulas(config: Config, bytes_per_element: int) -> dict[str, int]:
    """Bytes of each recurrent decoder's state for one sequence; no term depends on the position."""
    L, width, D = config.layers, config.heads * config.head_dim, config.head_dim
    return {
        "lstm": 2 * L * width * bytes_per_element,  # h and c
        "linear_attention": L * config.heads * (D * D + D) * bytes_per_element,  # S (d_k x d_v) and z (d_k)
        "ssm": L * width * config.ssm_state * bytes_per_element,  # N states per channel
    }


def build_models(config: Config, device: str, dtype: torch.dtype) -> dict[str, torch.nn.Module]:
    c, width = config, config.heads * config.head_dim
    models = {
        "transformer_mha": ToyDecoder(c.layers, c.heads, c.heads, c.head_dim, c.vocab),
        "transformer_gqa": ToyDecoder(c.layers, c.heads, c.gqa_kv_heads, c.head_dim, c.vocab),
        "lstm": ToyLSTM(c.layers, width, c.vocab),
        "linear_attention": ToyLinearAttention(c.layers, c.heads, c.head_dim, c.vocab),
        "ssm": ToyDiagonalSSM(c.layers, width, c.ssm_state, c.vocab),
    }
    return {name: m.to(device=device, dtype=dtype).eval().requires_grad_(False) for name, m in models.items()}


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    # One thread on a CPU: decoding one sequence is a chain of small ops that a second thread barely
    # speeds up, and on a busy 2-core machine a descheduled second thread stalls every op (we saw
    # 100x slowdowns). On a GPU this only seeds.
    with deterministic(device, config.seed):
        threads = torch.get_num_threads()
        dtype = getattr(torch, config.dtype)
        bytes_per_element = torch.empty((), dtype=dtype).element_size()
        models = build_models(config, device, dtype)
        tokens = torch.randint(config.vocab, (1, config.decode_tokens), device=device)  # (B=1, T)
        with torch.inference_mode():
            decoded = {}
            for name, model in models.items():
                decoded[name] = decode_bytes(model, tokens)
                advance(1)
            latency = time_decode_steps(models, config, device, advance)
            agreement = cached_decode_agreement(config, device)
    return {
        "dtype": config.dtype,
        "bytes_per_element": bytes_per_element,
        "layers": config.layers, "heads": config.heads, "head_dim": config.head_dim,
        "kv_heads": {"transformer_mha": config.heads, "transformer_gqa": config.gqa_kv_heads},
        "width": config.heads * config.head_dim, "ssm_state": config.ssm_state,
        "positions": list(range(1, config.decode_tokens + 1)),
        "decode_bytes": decoded,
        "state_formula_bytes": state_formulas(config, bytes_per_element),
        "latency": latency,
        "cpu_threads": threads,
        "timing_rounds": config.rounds,
        "agreement": agreement,
        "real_models": real_model_table(),
    }


def decode_bytes(model: torch.nn.Module, tokens: torch.Tensor) -> list[int]:
    """Bytes of the model's memory after each decoded token: entry t-1 is the memory at position t."""
    memory, sizes = model.empty_memory(batch=tokens.shape[0]), []
    for t in range(tokens.shape[1]):
        _, memory = model.step(tokens[:, t : t + 1], memory)
        sizes.append(memory_bytes(memory))
    return sizes


def time_decode_steps(models: dict, config: Config, device: str, advance: Callable[[int], object]) -> dict:
    """One decode step timed at each position, for the two transformers and the LSTM.

    Load from elsewhere on a shared machine comes in bursts: we pass over all the positions `rounds`
    times and keep each point's fastest round, so a burst spoils one round, not the curve.
    """
    best: dict[str, dict[int, dict]] = {name: {} for name in TIMED}
    for _ in range(config.rounds):
        for position in config.timed_positions:
            for name in TIMED:
                point = time_decode_step(models[name], position, config, device)
                kept = best[name].get(position)
                if kept is None or point.get("median_s", float("inf")) < kept.get("median_s", float("inf")):
                    best[name][position] = point
            advance(1)
    return {name: [points[p] for p in config.timed_positions] for name, points in best.items()}


def time_decode_step(model: torch.nn.Module, position: int, config: Config, device: str) -> dict[str, Any]:
    """Median time of one decode step with `position` tokens already cached (or a state, for the LSTM)."""
    token = torch.randint(config.vocab, (1, 1), device=device)  # (B=1, 1)
    try:
        memory = model.filled_cache(1, position) if isinstance(model, ToyDecoder) else model.empty_memory(1)
        _, after = model.step(token, memory)
        timing = time_call(partial(model.step, token, memory), config.min_run_time)
        return {"position": position, "memory_bytes_after": memory_bytes(after), **timing.as_dict()}
    except torch.OutOfMemoryError:  # a cache too large for this GPU is a result, not a crash
        return {"position": position, "status": "oom"}
    finally:
        memory = after = None  # drop this position's cache before handing its memory back to the GPU
        if device == "cuda":
            torch.cuda.empty_cache()


def cached_decode_agreement(config: Config, device: str) -> dict[str, float]:
    """Logits from decoding with the cache against one causal forward pass over the whole sequence.

    In float32 whatever the preset's dtype, so the comparison tests the cache, not bf16 rounding.
    """
    c = config
    model = ToyDecoder(c.layers, c.heads, c.gqa_kv_heads, c.head_dim, c.vocab).to(device).eval()
    tokens = torch.randint(c.vocab, (1, 32), device=device)  # (B=1, T=32)
    full, _ = model.step(tokens, model.empty_memory(1))  # (1, 32, vocab)
    cache, stepped = model.empty_memory(1), []
    for t in range(tokens.shape[1]):
        logits, cache = model.step(tokens[:, t : t + 1], cache)
        stepped.append(logits)
    stepped = torch.cat(stepped, dim=1)  # (1, 32, vocab)
    return {"cached_vs_full_relative": float((stepped - full).abs().max() / full.abs().max())}


def real_model_table() -> dict[str, Any]:
    """Exact bytes of the KV cache of real model shapes at long contexts, one sequence."""
    rows = []
    for m in REAL_MODELS:
        per_token = cache_formula(m.layers, m.kv_heads, m.head_dim, 1, m.bytes_per_element)
        rows.append({
            "key": m.key, "name": m.name, "layers": m.layers, "kv_heads": m.kv_heads, "head_dim": m.head_dim,
            "bytes_per_element": m.bytes_per_element, "bytes_per_token": per_token,
            "contexts": [{"tokens": T, "bytes": cache_formula(m.layers, m.kv_heads, m.head_dim, T,
                                                              m.bytes_per_element)} for T in REAL_CONTEXTS],
        })
    m = MAMBA_LIKE
    state = {**m, "bytes": m["layers"] * m["channels"] * m["state"] * m["bytes_per_element"]}
    return {"caches": rows, "recurrent_state": state}


# Checks --------------------------------------------------------------------------------------------


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    result = [cache_matches_formula(data, name) for name in CACHED]
    result += [state_is_constant(data, name) for name in RECURRENT]
    result += [cache_doubles_with_context(data), real_caches_are_linear(data)]
    result.append(close("cached_decode_matches_full_forward", data["agreement"]["cached_vs_full_relative"], 1e-4,
                        "logits decoded with the KV cache against one causal forward pass, float32"))
    mha, lstm = decode_times(data, "transformer_mha"), decode_times(data, "lstm")
    if mha is None or lstm is None:
        return result + [Check("decode_times_measured", False, "a timed position ran out of memory")]
    # The LSTM does the same work at every position: only noise moves it (a factor 2 on a busy machine
    # is a slope of 0.12 over 2.4 decades).
    result.append(within("lstm_decode_is_flat", loglog_slope(*lstm), -0.25, 0.25,
                         "log-log slope of the LSTM's decode-step time against position"))
    # The transformer reads (and here copies) a cache that grows with the position. Where fixed costs
    # dominate short caches (kernel launches on a GPU) its log-log slope stays small for a while, so
    # compare growth from the shortest to the longest cache instead.
    growth = (mha[1][-1] / mha[1][0]) / (lstm[1][-1] / lstm[1][0])
    result.append(greater("transformer_decode_slows_more_than_lstm", growth, 2.0,
                          f"MHA transformer's decode-step time at {mha[0][-1]:,} over at {mha[0][0]:,} cached "
                          "tokens, divided by the same ratio for the LSTM"))
    return result


def cache_matches_formula(data: dict[str, Any], name: str) -> Check:
    kv_heads = data["kv_heads"][name]
    expected = [cache_formula(data["layers"], kv_heads, data["head_dim"], T, data["bytes_per_element"])
                for T in data["positions"]]
    measured = data["decode_bytes"][name]
    wrong = [T for T, got, want in zip(data["positions"], measured, expected, strict=True) if got != want]
    first = f" (first T = {wrong[0]})" if wrong else ""
    return Check(f"{name}_cache_matches_formula", not wrong,
                 f"sum of cache nbytes against 2·layers·{kv_heads}·head_dim·T·bytes at T = 1.."
                 f"{data['positions'][-1]}: {len(wrong)} positions differ{first}")


def state_is_constant(data: dict[str, Any], name: str) -> Check:
    expected = data["state_formula_bytes"][name]
    sizes = data["decode_bytes"][name]
    wrong = sum(size != expected for size in sizes)
    return Check(f"{name}_state_is_constant", wrong == 0,
                 f"state nbytes against {expected:,} B at each of {len(sizes)} positions: {wrong} differ")


def cache_doubles_with_context(data: dict[str, Any]) -> Check:
    """cache(2T) / cache(T) == 2 exactly, on the toy caches as measured: linear, not quadratic (4)."""
    ratios = []
    for name in CACHED:
        by_T = dict(zip(data["positions"], data["decode_bytes"][name], strict=True))
        ratios += [by_T[2 * T] / by_T[T] for T in by_T if 2 * T in by_T]
    worst = max(abs(r - 2.0) for r in ratios)
    return Check("cache_doubles_with_context", worst == 0.0,
                 f"cache bytes at 2T over bytes at T, {len(ratios)} pairs: largest deviation from 2 is {worst:g}")


def real_caches_are_linear(data: dict[str, Any]) -> Check:
    """Each real shape's cache at every context is exactly its bytes per token times the tokens."""
    rows = data["real_models"]["caches"]
    wrong = [(r["name"], c["tokens"]) for r in rows for c in r["contexts"]
             if c["bytes"] != c["tokens"] * r["bytes_per_token"]]
    return Check("real_caches_are_linear_in_context", not wrong,
                 f"cache bytes = tokens x bytes per token for {len(rows)} shapes: {len(wrong)} entries differ")


def decode_times(data: dict[str, Any], name: str) -> tuple[list[int], list[float]] | None:
    """Positions and median decode-step times of one model; None if any position was not timed."""
    points = data["latency"][name]
    if any("median_s" not in p for p in points):
        return None
    return [p["position"] for p in points], [p["median_s"] for p in points]
