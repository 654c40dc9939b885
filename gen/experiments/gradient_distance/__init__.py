"""How fast does the gradient from the last output shrink with distance back into the sequence, at initialisation?

For each model we compute ||dy_T / dx_(T-k)|| for every distance k = 0..K with a single backward pass
in float64 (y_T is a fixed random projection of the last output), over several random
initialisations: a vanilla tanh RNN, an LSTM with PyTorch's default initialisation and with its
forget-gate bias set to 1, a GRU, one layer of causal self-attention, and the linear recurrence
h_t = a*h_(t-1) + x_t, whose gradient is exactly a^k. Everything is measured on untrained weights.

    python -m gen measure --only gradient_distance --profile cpu
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Config:
    max_distance: int  # K: distances 0..K, so sequences of K + 1 steps
    seeds: tuple[int, ...]  # one initialisation (and one input sequence) per seed
    width: int = 32  # input and hidden width of every model, a small RNN's size
    heads: int = 4  # attention heads (head width = width / heads)
    decay: float = 0.99  # a of the linear recurrence: source C's "close to 1" forget gate
    quoted_distance: int = 500  # source C quotes 0.99^500; K must reach it
    threshold: float = 1e-3  # "reach": the distance where the gradient falls below this fraction of k = 0
    floor: float = 1e-250  # fit decay rates above this relative norm, far from float64's 2e-308 underflow


PRESETS = {
    # About a second: two seeds, narrow models, and just far enough for the quoted k = 500 and for
    # 0.99^k to fall below 1e-3 (k = 688).
    "smoke": Config(max_distance=768, seeds=(0, 1), width=16),
    # About a second of compute: one backward per model and seed is cheap, so go to k = 1024.
    "cpu": Config(max_distance=1024, seeds=(0, 1, 2, 3, 4)),
    # Longer sequences, wider models, more seeds. The recurrences run step by step in float64 without
    # cuDNN (about a second per model and seed at this length), so 5 seeds keep it near half a minute.
    "gpu": Config(max_distance=4096, seeds=tuple(range(5)), width=64),
}

# The gpu preset's code at the smoke preset's sizes: a dry run on a CPU (python -m gen run-gpu --dry-run).
PRESETS["dry"] = replace(PRESETS["gpu"], max_distance=768, seeds=(0,), width=16)

# One H100/H200, estimated: 5 recurrences step by step in float64, about a second each per seed at
# K = 4096, 5 seeds, plus the process's start.
GPU_SECONDS = 30
