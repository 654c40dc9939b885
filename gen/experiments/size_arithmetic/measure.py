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
from gen.experiments.size_arithmetic.formulas import FORMATS, WIDE_FORMAT_BYTES, rnn_parameters


def torch_parameters(kind: str, input_size: int, hidden: int, layers: int, bidirectional: bool,
                     bias: bool) -> int:
    """The same count asked of PyTorch: the numel() of a meta-device module's parameters."""
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
