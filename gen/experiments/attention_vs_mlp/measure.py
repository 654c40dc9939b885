"""Measure one Transformer block's forward pass in parts: attention projections, attention core, MLP.

The parts are the block's own computations, timed one by one on inputs of the shapes they see in a
block: the projections map x (B, T, d) to Q, K, V and back; the core runs on Q, K, V as views of the
fused QKV output, as nn.MultiheadAttention lays them out; the MLP maps x through 4·d and back.

At each point the three parts are timed side by side, interleaved (time_interleaved): the ratios
between them, which set the crossovers, then hold when a neighbour's load comes and goes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from gen.experiments.attention_vs_mlp import PARTS, Config
from gen.measuring import flops
from gen.measuring.timing import Timing, on_timing_threads, time_interleaved

CONVENTION = (
    "FLOPs count 2 per multiply-add and only matrix products. Per token and per block, forward: "
    "Q, K, V and output projections 8·d², MLP (d -> 4d -> d) 16·d², all dense layers 24·d², "
    "attention core (Q·Kᵀ and A·V over all T×T pairs, no causal mask) 4·T·d. The core equals the MLP "
    "at T* = 16·d² / 4·d = 4·d and all dense layers at T* = 24·d² / 4·d = 6·d. Counting only the "
    "causal half of the scores (2·T·d, as a decoder's kernels can) doubles both: 8·d and 12·d, the "
    "latter being the often-quoted rule that context costs little while T < 12·d."
)


class Block(nn.Module):
    """The weights of one Transformer block's attention projections and MLP (no norms: they are cheap)."""

    def __init__(self, width: int, heads: int, expansion: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)
        self.mlp = nn.Sequential(nn.Linear(width, expansion * width), nn.GELU(), nn.Linear(expansion * width, width))

    def projections(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Q, K, V in one fused linear, and the output projection (applied to x, which has its shape)."""
        return self.qkv(x), self.out(x)  # (B, T, 3d), (B, T, d)

    def core(self, qkv: torch.Tensor) -> torch.Tensor:
        batch, length, three_width = qkv.shape
        q, k, v = qkv.view(batch, length, 3, self.heads, -1).permute(2, 0, 3, 1, 4)  # each (B, H, T, d/H)
        return F.scaled_dot_product_attention(q, k, v)  # (B, H, T, d/H)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The whole block's matrix products, for counting its FLOPs against the parts'."""
        batch, length, width = x.shape
        attended = self.core(self.qkv(x)).transpose(1, 2).reshape(batch, length, width)  # (B, T, d)
        return self.mlp(self.out(attended))


@on_timing_threads
def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    torch.manual_seed(config.seed)
    dtype = getattr(torch, config.dtype)
    widths = [_measure_width(config, device, dtype, width, advance) for width in config.widths]
    return {
        "device": device,
        "dtype": config.dtype,
        "batch": config.batch,
        "head_dim": config.head_dim,
        "expansion": config.expansion,
        "passes": config.passes,
        "convention": CONVENTION,
        "widths": widths,
        "flop_formulas": _flop_formulas(config.expansion),
    }


def _measure_width(config: Config, device: str, dtype: torch.dtype, width: int,
                   advance: Callable[[int], object]) -> dict[str, Any]:
    block = Block(width, width // config.head_dim, config.expansion).to(device=device, dtype=dtype)
    points = []
    for factor in config.length_factors:
        points.append(_measure_point(block, config, device, dtype, width, round(factor * width)))
        advance(1)
    heads = block.heads
    del block
    _free(device)
    return {"width": width, "heads": heads, "analytic": _analytic(width, config.expansion), "points": points}


def _measure_point(block: Block, config: Config, device: str, dtype: torch.dtype, width: int,
                   length: int) -> dict[str, Any]:
    point: dict[str, Any] = {"length": length, "flops": {
        "projections": flops.attention_projections(config.batch, length, width),
        "core": flops.attention_core(config.batch, length, width),
        "mlp": flops.mlp(config.batch, length, width, config.expansion),
    }}
    try:
        x = torch.randn(config.batch, length, width, device=device, dtype=dtype)  # (B, T, d)
        with torch.no_grad():
            qkv = block.qkv(x)  # (B, T, 3d): the core's input, made once outside its timing
    except torch.OutOfMemoryError:  # the inputs alone do not fit: no part can be timed
        _free(device)
        return {**point, **dict.fromkeys(PARTS, "oom")}
    variants = {"projections": partial(block.projections, x), "core": partial(block.core, qkv),
                "mlp": partial(block.mlp, x)}
    with torch.no_grad():
        timed = time_interleaved(variants, config.min_run_time, config.passes,
                                 on_error=partial(_out_of_memory, device))
    return {**point, **{part: t.as_dict() if isinstance(t, Timing) else t for part, t in timed.items()}}


def _out_of_memory(device: str, part: str, error: Exception) -> str:
    """An out-of-memory part is recorded as "oom" (and not timed again); any other error is a bug."""
    if not isinstance(error, torch.OutOfMemoryError):
        raise error
    _free(device)
    return "oom"


def _free(device: str) -> None:
    if device == "cuda":
        torch.cuda.empty_cache()


def _analytic(width: int, expansion: int) -> dict[str, dict[str, Any]]:
    """The predicted crossovers, from the same formulas as the FLOPs of each point."""
    mlp = flops.mlp(1, 1, width, expansion)
    dense = mlp + flops.attention_projections(1, 1, width)
    return {
        "mlp": {"formula": f"T* = {mlp // width**2}·d² / 4·d = {mlp // width**2 // 4}·d",
                "length": flops.core_equals_dense_length(mlp, width)},
        "dense": {"formula": f"T* = {dense // width**2}·d² / 4·d = {dense // width**2 // 4}·d",
                  "length": flops.core_equals_dense_length(dense, width)},
    }


def _flop_formulas(expansion: int) -> dict[str, dict[str, int]]:
    """Each formula against torch.utils.flop_counter on a small float32 CPU case, and the sum of the
    parts against PyTorch's own nn.TransformerEncoderLayer (which has the same products)."""
    batch, length, width, heads = 2, 16, 32, 4
    block = Block(width, heads, expansion)
    x = torch.randn(batch, length, width)
    qkv = block.qkv(x).detach()
    layer = nn.TransformerEncoderLayer(width, heads, expansion * width, dropout=0.0, batch_first=True)
    parts = {
        "projections": flops.attention_projections(batch, length, width),
        "core": flops.attention_core(batch, length, width),
        "mlp": flops.mlp(batch, length, width, expansion),
    }
    return {
        "projections": {"counted": flops.counted(lambda: block.projections(x)), "formula": parts["projections"]},
        "core": {"counted": flops.counted(lambda: block.core(qkv)), "formula": parts["core"]},
        "mlp": {"counted": flops.counted(lambda: block.mlp(x)), "formula": parts["mlp"]},
        "block": {"counted": flops.counted(lambda: block(x)), "formula": sum(parts.values())},
        "encoder_layer": {"counted": flops.counted(lambda: layer(x)),
                          "formula": flops.transformer_layer(batch, length, width, expansion)},
    }
