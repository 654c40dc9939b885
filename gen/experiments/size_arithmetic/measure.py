"""Compute parameter counts and attention-matrix sizes two ways, by formula and by asking PyTorch.

Everything is an integer, so the two ways must agree exactly. Modules and tensors are created on the
meta device: PyTorch works out their shapes, dtypes and sizes without allocating any storage, which
is what lets a 64 TB tensor be "built" here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from gen.experiments.size_arithmetic import Config
from gen.measuring.checks import Check

GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}  # weight blocks per layer: h alone; r, z, n; i, f, g, o
FORMATS = {"float16": 2, "bfloat16": 2, "float32": 4}  # bytes per number, the formula's side
WIDE_FORMAT_BYTES = 16  # 128-bit numbers, as one source supposes; no PyTorch dtype is that wide


def rnn_parameters(kind: str, input_size: int, hidden: int, layers: int, bidirectional: bool,
                   bias: bool) -> int:
    """Closed form: per layer and direction, gates·(d_in·h + h·h + 2h); PyTorch keeps two bias
    vectors (b_ih and b_hh) where one would do. Layers after the first read both directions."""
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(layers):
        d_in = input_size if layer == 0 else hidden * directions
        total += directions * GATES[kind] * (d_in * hidden + hidden * hidden + (2 * hidden if bias else 0))
    return total


def torch_parameters(kind: str, input_size: int, hidden: int, layers: int, bidirectional: bool,
                     bias: bool) -> int:
    module = getattr(torch.nn, kind)(input_size, hidden, layers, bias=bias, bidirectional=bidirectional,
                                     device="meta")
    return sum(p.numel() for p in module.parameters())


def score_bytes(t: int, heads: int, dtype: str) -> int:
    """Bytes of the (heads, T, T) score matrices in one format, as PyTorch would allocate them."""
    return torch.empty((heads, t, t), dtype=getattr(torch, dtype), device="meta").nbytes


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    del device  # arithmetic: the meta device stands in for every real one
    rnns = []
    for kind, input_size, hidden, layers, bidirectional, bias in config.rnn_shapes:
        shape = (kind, input_size, hidden, layers, bidirectional, bias)
        rnns.append({
            "kind": kind, "input_size": input_size, "hidden": hidden, "layers": layers,
            "bidirectional": bidirectional, "bias": bias,
            "formula": rnn_parameters(*shape), "torch": torch_parameters(*shape),
        })
        advance(1)
    claim = {str(i): torch_parameters("LSTM", i, 256, 2, False, True) for i in config.claim_inputs}
    return {
        "heads": config.heads,
        "head_dim": config.head_dim,
        "gpu_bytes": config.gpu_bytes,
        "rnn": rnns,
        "lstm_2x256_by_input": claim,  # input size -> parameters of a 2-layer, 256-unit LSTM
        "attention": [_attention_sizes(t, config) for t in config.lengths],
        "curves": [_attention_sizes(t, config) for t in config.figure_lengths],
    }


def _attention_sizes(t: int, config: Config) -> dict[str, Any]:
    """Score-matrix sizes at one length: formula and PyTorch, per head and per layer, per format."""
    by_torch = {f"{dtype}_per_head": score_bytes(t, 1, dtype) for dtype in FORMATS}
    by_torch |= {f"{dtype}_per_layer": score_bytes(t, config.heads, dtype) for dtype in FORMATS}
    return {
        "t": t,
        "scores_per_head": t * t,
        "scores_per_layer": config.heads * t * t,
        "bytes": {f"{dtype}_per_head": t * t * size for dtype, size in FORMATS.items()}
        | {f"{dtype}_per_layer": config.heads * t * t * size for dtype, size in FORMATS.items()}
        | {"128bit_per_head": t * t * WIDE_FORMAT_BYTES, "128bit_per_layer": config.heads * t * t * WIDE_FORMAT_BYTES},
        "torch_bytes": by_torch,
        # K and V, one vector of head_dim per head per token: linear in T, unlike the scores.
        "kv_cache_float16_per_layer": 2 * t * config.heads * config.head_dim * FORMATS["float16"],
    }


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    mismatched = [r for r in data["rnn"] if r["formula"] != r["torch"]]
    sizes = data["attention"] + data["curves"]
    disagree = [s["t"] for s in sizes for key, n in s["torch_bytes"].items() if s["bytes"][key] != n]
    inconsistent = [s["t"] for s in sizes if not _consistent(s, data["heads"])]
    quoted = {s["t"]: s["scores_per_head"] for s in data["attention"]}
    return [
        Check("rnn_formula_matches_torch", not mismatched,
              f"closed-form parameter count = sum of numel() for {len(data['rnn']) - len(mismatched)} of "
              f"{len(data['rnn'])} modules" + "".join(
                  f"; {r['kind']}({r['input_size']}, {r['hidden']}, {r['layers']}): formula {r['formula']:,}"
                  f" vs torch {r['torch']:,}" for r in mismatched)),
        Check("score_bytes_match_torch", not disagree,
              "T²·heads·bytes per element = nbytes of a (heads, T, T) meta tensor in float16, bfloat16 "
              "and float32" + (f"; differs at T = {disagree}" if disagree else " at every length")),
        Check("byte_arithmetic_is_consistent", not inconsistent,
              "float32 = 2 × float16 = 2 × bfloat16, per layer = heads × per head, 128-bit = 8 × float16"
              + (f"; broken at T = {inconsistent}" if inconsistent else " at every length")),
        Check("quoted_counts_are_per_head", quoted.get(4096) == 16_777_216 and quoted.get(100_000) == 10**10,
              f"T² at T = 4096 is {quoted.get(4096, 0):,} (the quoted 16.8 million) and at T = 100,000 is "
              f"{quoted.get(100_000, 0):,} (the quoted 10 billion): one head's score count"),
    ]


def _consistent(size: dict[str, Any], heads: int) -> bool:
    b = size["bytes"]
    return (b["float32_per_head"] == 2 * b["float16_per_head"] == 2 * b["bfloat16_per_head"]
            and all(b[f"{d}_per_layer"] == heads * b[f"{d}_per_head"] for d in FORMATS)
            and b["128bit_per_head"] == 8 * b["float16_per_head"]
            and b["128bit_per_layer"] == heads * b["128bit_per_head"]
            and size["scores_per_head"] * 2 == b["float16_per_head"])
