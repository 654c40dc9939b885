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

from gen.experiments.kv_cache import MAMBA_LIKE, REAL_CONTEXTS, REAL_MODELS, Config
from gen.experiments.kv_cache.formulas import cache_formula, state_formulas
from gen.experiments.kv_cache.models import ToyDecoder, ToyDiagonalSSM, ToyLinearAttention, ToyLSTM, memory_bytes
from gen.measuring.seeding import deterministic
from gen.measuring.timing import time_interleaved

TIMED = ("transformer_mha", "transformer_gqa", "lstm")


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
    with deterministic(device, config.seed):
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

    What the checks read is how the transformer's step grows against the LSTM's, so at each position
    the three are timed in turn, `rounds` passes round, each keeping its fastest pass (time_interleaved):
    load from elsewhere comes in bursts and spoils one pass of one model, not a model's whole curve.
    """
    points: dict[str, list[dict]] = {name: [] for name in TIMED}
    for position in config.timed_positions:
        for name, point in time_position(models, position, config, device).items():
            points[name].append(point)
        advance(config.rounds)
    return points


def time_position(models: dict, position: int, config: Config, device: str) -> dict[str, dict[str, Any]]:
    """Each timed model's decode step with `position` tokens already cached (or a state, for the LSTM)."""
    token = torch.randint(config.vocab, (1, 1), device=device)  # (B=1, 1)
    steps, points = prepare_steps(models, token, position)
    try:
        timed = time_interleaved(steps, config.min_run_time, config.rounds, on_error=out_of_memory)
    finally:
        steps = None  # drop this position's caches before handing their memory back to the GPU
        if device == "cuda":
            torch.cuda.empty_cache()
    for name, timing in timed.items():
        points[name] = ({"position": position, "status": timing} if isinstance(timing, str)
                        else {**points[name], **timing.as_dict()})
    return points


def prepare_steps(models: dict, token: torch.Tensor, position: int) -> tuple[dict[str, Callable], dict]:
    """Each timed model's decode step at this position as a call to time, and its point so far: the
    bytes of memory the step leaves, or "oom" where the prefilled cache does not fit on the GPU."""
    steps, points = {}, {}
    for name in TIMED:
        model = models[name]
        try:
            memory = model.filled_cache(1, position) if isinstance(model, ToyDecoder) else model.empty_memory(1)
            _, after = model.step(token, memory)
        except torch.OutOfMemoryError:  # a cache too large for this GPU is a result, not a crash
            memory = after = None
            torch.cuda.empty_cache()
            points[name] = {"position": position, "status": "oom"}
            continue
        steps[name] = partial(model.step, token, memory)
        points[name] = {"position": position, "memory_bytes_after": memory_bytes(after)}
        memory = after = None  # the step holds the cache now
    return steps, points


def out_of_memory(name: str, error: Exception) -> str:
    """time_interleaved's marker for a step that ran out of GPU memory; any other error is a bug."""
    if not isinstance(error, torch.OutOfMemoryError):
        raise error
    torch.cuda.empty_cache()
    return "oom"


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
