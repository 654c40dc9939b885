"""FLOP counts of the layers we time, a direct count to test them against, and the device's own peak.

Convention, used everywhere on the site:
- one multiply-add is 2 FLOPs (as torch.utils.flop_counter counts, and as "6·N·D" training
  estimates assume);
- only matrix products are counted: biases, softmax, activations and norms are O(T·d) each and left out;
- attention is bidirectional: all T×T scores are computed (an encoder layer, no causal mask);
- a backward pass costs twice its forward (two products per forward product), so a training step
  (forward + backward) is TRAINING_MULTIPLIER = 3 times the forward. Work a fused kernel redoes
  (flash attention recomputes the scores in its backward) is not counted: these are model FLOPs.

B is the batch, T the sequence length, d the model width (d_model).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial

import torch
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

TRAINING_MULTIPLIER = 3  # forward + backward = 3 × forward, by the convention above


def linear(tokens: int, d_in: int, d_out: int) -> int:
    """x @ W for `tokens` rows: (tokens, d_in) @ (d_in, d_out)."""
    return 2 * tokens * d_in * d_out


def attention_core(batch: int, length: int, width: int) -> int:
    """Scores Q·Kᵀ and their weighted sum of V, all heads together: 2·B·T²·d each, 4·B·T²·d in all.

    The head count cancels: H heads of width d/H do H·T²·(d/H) multiply-adds per product.
    """
    return 2 * (2 * batch * length * length * width)


def attention_projections(batch: int, length: int, width: int) -> int:
    """Q, K, V and output projections, four d×d linears: 8·B·T·d²."""
    return 4 * linear(batch * length, width, width)


def mlp(batch: int, length: int, width: int, expansion: int = 4) -> int:
    """The feed-forward part, d -> expansion·d -> d: 16·B·T·d² for the usual expansion of 4."""
    return 2 * linear(batch * length, width, expansion * width)


def attention_layer(batch: int, length: int, width: int) -> int:
    """Self-attention with its projections (nn.MultiheadAttention): 8·B·T·d² + 4·B·T²·d."""
    return attention_projections(batch, length, width) + attention_core(batch, length, width)


def transformer_layer(batch: int, length: int, width: int, expansion: int = 4) -> int:
    """One encoder block (nn.TransformerEncoderLayer): 24·B·T·d² + 4·B·T²·d."""
    return attention_layer(batch, length, width) + mlp(batch, length, width, expansion)


def lstm(batch: int, length: int, d_in: int, d_hidden: int) -> int:
    """Four gates, each a linear of [x_t, h_(t-1)]: 8·B·T·(d_in + d_h)·d_h."""
    return 4 * linear(batch * length, d_in + d_hidden, d_hidden)


def gru(batch: int, length: int, d_in: int, d_hidden: int) -> int:
    """Three gates: 6·B·T·(d_in + d_h)·d_h."""
    return 3 * linear(batch * length, d_in + d_hidden, d_hidden)


def core_equals_dense_length(dense_flops_per_token: int, width: int) -> float:
    """The T at which the attention core costs as much per token as the given dense layers.

    Per token the core costs attention_core(1, T, d) / T = 4·T·d, growing with T; a dense layer's
    cost per token does not depend on T. Equal at T* = dense / (4·d): for the MLP (16·d²) T* = 4·d,
    for all dense layers of a block (24·d²) T* = 6·d.
    """
    return dense_flops_per_token / attention_core(1, 1, width)


def counted(fn: Callable[[], object]) -> int:
    """FLOPs of fn() as torch.utils.flop_counter counts them, op by op; run it on a small CPU case.

    The counter sees only the ops it knows, so the fused kernels are switched off for the count:
    scaled_dot_product_attention runs its math path (two bmm) and the LSTM/GRU their plain ATen
    form (mm/addmm per step) instead of oneDNN's fused RNN, which the counter would miss entirely.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # oneDNN's flags warn about Intel-GPU TF32, irrelevant here
        with sdpa_kernel(SDPBackend.MATH), torch.backends.mkldnn.flags(enabled=False):
            with FlopCounterMode(display=False) as counter, torch.no_grad():
                fn()
    return counter.get_total_flops()


def matmul(device: str, dtype: torch.dtype, size: int) -> tuple[Callable[[], object], int]:
    """One large square matmul to time, and its FLOPs: the device's own practical peak.

    We measure against this rather than a datasheet figure because what matters is what this
    device, with this torch build and these threads, can reach: a fraction of it says how much of
    the machine a layer uses. Time it interleaved with the layers it is compared with
    (gen.measuring.timing.time_interleaved), so that a neighbour's load cannot lower the peak
    alone and inflate every fraction of it.
    """
    a = torch.randn(size, size, device=device, dtype=dtype)
    b = torch.randn(size, size, device=device, dtype=dtype)
    out = torch.empty(size, size, device=device, dtype=dtype)
    return partial(torch.mm, a, b, out=out), linear(size, size, size)
