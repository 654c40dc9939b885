"""The sequence layers that the timing experiments compare, each mapping x (B, T, d) to (B, T, d).

nn.LSTM, nn.GRU (optionally with cuDNN off), nn.MultiheadAttention, nn.TransformerEncoderLayer and
the attention core alone, with their analytic forward FLOPs (gen/measuring/flops.py). Shared by
latency_vs_length (time against length) and parallel_units (time against batch and threads), so the
two measure the very same modules.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode  # public in use, private in name

from gen.measuring import flops


@dataclass(frozen=True)
class Layer:
    name: str
    label: str
    family: str  # "recurrent" or "attention"
    backend: str  # "default", or "no_cudnn" for a recurrent layer with cuDNN switched off
    make: Callable[[Any, str, torch.dtype], nn.Module]  # (config, device, dtype)
    call: Callable[[nn.Module, torch.Tensor], torch.Tensor]  # (B, T, d) -> (B, T, d)
    flops: Callable[[Any, int], int]  # forward FLOPs at length T for the config's batch

    def context(self) -> contextlib.AbstractContextManager:
        """cuDNN off for the no_cudnn variant (a GPU-only distinction); nothing to change otherwise."""
        if self.backend == "no_cudnn":
            return torch.backends.cudnn.flags(enabled=False)
        return contextlib.nullcontext()


class AttentionCore(nn.Module):
    """scaled_dot_product_attention with x itself as queries, keys and values: no projections."""

    def __init__(self, heads: int):
        super().__init__()
        self.heads = heads

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, width = x.shape
        heads = x.view(batch, length, self.heads, width // self.heads).transpose(1, 2)  # (B, H, T, d/H)
        out = F.scaled_dot_product_attention(heads, heads, heads)  # (B, H, T, d/H)
        return out.transpose(1, 2).reshape(batch, length, width)  # (B, T, d)


def _rnn(kind: type[nn.RNNBase]) -> Callable[[Any, str, torch.dtype], nn.Module]:
    return lambda c, device, dtype: kind(c.width, c.width, batch_first=True, device=device, dtype=dtype)


def sequence_layers(config: Any) -> list[Layer]:
    """The layers the timing experiments compare, for a config with width, heads, batch and rnn_backends."""
    attention = [
        Layer("attention_core", "attention core (SDPA only)", "attention", "default",
              lambda c, device, dtype: AttentionCore(c.heads), lambda m, x: m(x),
              lambda c, n: flops.attention_core(c.batch, n, c.width)),
        Layer("attention", "self-attention (MHA)", "attention", "default",
              lambda c, device, dtype: nn.MultiheadAttention(
                  c.width, c.heads, dropout=0.0, batch_first=True, device=device, dtype=dtype),
              lambda m, x: m(x, x, x, need_weights=False)[0],
              lambda c, n: flops.attention_layer(c.batch, n, c.width)),
        Layer("transformer", "Transformer layer", "attention", "default",
              lambda c, device, dtype: nn.TransformerEncoderLayer(
                  c.width, c.heads, 4 * c.width, dropout=0.0, batch_first=True, device=device, dtype=dtype),
              lambda m, x: m(x),
              lambda c, n: flops.transformer_layer(c.batch, n, c.width)),
    ]
    recurrent = []
    for backend in config.rnn_backends:
        suffix, note = ("", "") if backend == "default" else ("_" + backend, ", cuDNN off")
        recurrent += [
            Layer("lstm" + suffix, "LSTM" + note, "recurrent", backend, _rnn(nn.LSTM), lambda m, x: m(x)[0],
                  lambda c, n: flops.lstm(c.batch, n, c.width, c.width)),
            Layer("gru" + suffix, "GRU" + note, "recurrent", backend, _rnn(nn.GRU), lambda m, x: m(x)[0],
                  lambda c, n: flops.gru(c.batch, n, c.width, c.width)),
        ]
    return attention + recurrent


def training_step(layer: Layer, module: nn.Module, x: torch.Tensor) -> Callable[[], object]:
    """Forward and backward of the layer on x (requires_grad), against a fixed upstream gradient: the
    backward pass a layer inside a network has to do, with respect to its input and every parameter."""
    inputs = [x, *module.parameters()]
    upstream = torch.randn_like(x)  # (B, T, d): the gradient arriving from the layers above

    def train() -> object:
        with layer.context():
            return torch.autograd.grad(layer.call(module, x), inputs, upstream)
    return train


class _OperatorLog(TorchDispatchMode):
    """Notes the name of every ATen operator dispatched inside it (and runs it unchanged)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.names.add(func._schema.name)
        return func(*args, **(kwargs or {}))


def kernels_called(layer: Layer, module: nn.Module, x: torch.Tensor) -> list[str]:
    """The ATen operators one forward pass of the layer dispatches to: which kernel ran is a fact about
    the installed build and device (oneDNN or not, cuDNN or not), so it is measured, not assumed. What
    the names mean is read off later (latency_vs_length/readings.py).

    A dispatch mode rather than torch.profiler: the profiler writes start and stop lines to stderr
    on every use, into the build's output, and a dispatch mode sees the same operator names."""
    with layer.context(), torch.no_grad(), _OperatorLog() as log:
        layer.call(module, x)
    return sorted(log.names)
