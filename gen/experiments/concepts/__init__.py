"""Diagrams of the mechanisms, computed from the lessons' own worked examples: what depends on what.

Not a measurement. The recurrence and the attention of lesson 1's worked examples are evaluated with
torch, as the experiments evaluate them, and drawn: the dependency graph of each (a chain of depth T
against depth 1), the weight each state gives each input, and the causal mask that lets a decoder
train on every position at once. Five more diagrams draw the mechanisms themselves from the
experiments' own code (diagram_data.py): the LSTM and GRU cells, checked against PyTorch's cells on a
seeded step; the shapes inside a pre-norm Transformer layer; a KV cache growing beside a fixed state;
and a chunked scan, checked against the sequential loop.

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
    cell_width: int = 3  # the LSTM and GRU worked steps: three numbers per vector, enough to be a vector
    layer_tokens: int = 16  # tokens through one layer of kv_cache's toy decoder, for its shapes
    kv_model: str = "llama3_8b_like"  # kv_cache's named shape whose cache the growth diagram counts
    decode_steps: int = 6  # steps drawn: enough to see the stack grow, few enough to read at phone width
    scan_length: int = 16  # T and C of the chunked scan: four chunks of four, every element drawn
    scan_chunk: int = 4


# The same everywhere: arithmetic on tiny tensors.
PRESETS = {"smoke": Config(), "cpu": Config(), "gpu": Config(), "dry": Config()}

# Code outside this package that decides the diagrams' numbers (paths from the repository root): the
# kv_cache experiment's formula, model shapes and toy layer, and parallel_scan's combine and schedules.
MEASURED_INPUTS = ("gen/experiments/kv_cache/__init__.py", "gen/experiments/kv_cache/formulas.py",
                   "gen/experiments/kv_cache/measure.py", "gen/experiments/kv_cache/models.py",
                   "gen/experiments/parallel_scan/formulas.py", "gen/experiments/parallel_scan/scans.py")

# One H100/H200: a few tiny tensors; the time is the process's start.
GPU_SECONDS = 1
