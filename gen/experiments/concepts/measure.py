"""Evaluate lesson 1's worked examples with torch: the recurrence's states and the weight of each input
in each state, the attention weights and output, and causal attention weights on a small sequence;
then the numbers behind the mechanism diagrams (diagram_data.py)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from gen.experiments.concepts import Config
from gen.experiments.concepts.diagram_data import chunked_scan, gru_step, kv_growth, layer_shapes, lstm_step


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    x = torch.tensor(config.inputs, dtype=torch.float64)
    states, h = [], torch.zeros((), dtype=torch.float64)
    for x_t in x:  # the recurrence, step by step
        h = config.decay * h + x_t
        states.append(float(h))
    T = len(config.inputs)
    # h_t = sum over s <= t of decay^(t - s) x_s: the weight input s has in state t
    influence = [[config.decay ** (t - s) if s <= t else 0.0 for s in range(T)] for t in range(T)]
    q = torch.tensor(config.query, dtype=torch.float64)
    k = torch.tensor(config.keys, dtype=torch.float64)
    v = torch.tensor(config.values, dtype=torch.float64)
    weights = torch.softmax(k @ q / math.sqrt(q.numel()), dim=0)
    advance(1)
    generator = torch.Generator().manual_seed(config.seed)
    Q = torch.randn(config.causal_length, config.causal_width, generator=generator, dtype=torch.float64)
    K = torch.randn(config.causal_length, config.causal_width, generator=generator, dtype=torch.float64)
    future = torch.ones(config.causal_length, config.causal_length, dtype=torch.bool).triu(1)
    scores = (Q @ K.T / math.sqrt(config.causal_width)).masked_fill(future, float("-inf"))
    causal = torch.softmax(scores, dim=-1)
    advance(1)
    return {
        "decay": config.decay, "inputs": list(config.inputs), "states": states, "influence": influence,
        "attention": {"scores": (k @ q / math.sqrt(q.numel())).tolist(), "weights": weights.tolist(),
                      "output": float(weights @ v), "values": list(config.values)},
        "causal_weights": causal.tolist(),
        "lstm": lstm_step(config), "gru": gru_step(config), "transformer_layer": layer_shapes(config),
        "kv_growth": kv_growth(config), "chunked_scan": chunked_scan(config),
    }
