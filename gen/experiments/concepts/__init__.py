"""Diagrams of the mechanisms, computed from the lessons' own worked examples: what depends on what.

Not a measurement. The recurrence and the attention of lesson 1's worked examples are evaluated with
torch, as the experiments evaluate them, and drawn: the dependency graph of each (a chain of depth T
against depth 1), the weight each state gives each input, and the causal mask that lets a decoder
train on every position at once.

    python -m gen measure --only concepts --profile cpu --device cpu
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    decay: float = 0.5  # lesson 1: h_t = 0.5 h_{t-1} + x_t
    inputs: tuple[float, ...] = (1.0, 0.0, 0.0, 2.0)  # lesson 1's x
    query: tuple[float, ...] = (1.0, 0.0)  # lesson 1's attention example: one query, three keys
    keys: tuple[tuple[float, ...], ...] = ((1.0, 0.0), (0.0, 1.0), (1.0, 0.0))
    values: tuple[float, ...] = (10.0, 20.0, 40.0)
    causal_length: int = 6  # the causal-mask example: six positions of random queries and keys
    causal_width: int = 4
    seed: int = 0


# The same everywhere: arithmetic on tiny tensors.
PRESETS = {"smoke": Config(), "cpu": Config(), "gpu": Config(), "dry": Config()}

# One H100/H200: a few tiny tensors; the time is the process's start.
GPU_SECONDS = 1
