"""How many parameters does a recurrent layer have, and how many bytes would an attention matrix take?

Exact arithmetic, checked against PyTorch rather than timed. Parameter counts of nn.RNN, nn.GRU and
nn.LSTM come from their closed formulas and from summing the numel() of the modules' parameters
(built on the meta device, so no memory is touched). Attention-matrix sizes are T² scores per head,
times the heads of a layer, times the bytes of a number format, cross-checked against the nbytes
of meta tensors of that shape. The KV cache, which a decoder does keep, is sized alongside.

    python -m gen measure --only size_arithmetic --profile cpu --device cpu
"""

from __future__ import annotations

from dataclasses import dataclass

# (kind, input size, hidden size, layers, bidirectional, bias): sizes that readers meet in tutorials,
# plus the corners of the formula (no bias, both directions, a deep stack).
RNN_SHAPES = (
    ("LSTM", 256, 256, 1, False, True),
    ("LSTM", 128, 256, 2, False, True),
    ("LSTM", 256, 256, 2, False, True),
    ("LSTM", 512, 256, 2, False, True),
    ("LSTM", 1, 256, 2, False, True),
    ("LSTM", 300, 512, 2, True, True),
    ("LSTM", 1024, 1024, 4, False, False),
    ("GRU", 256, 256, 2, False, True),
    ("GRU", 300, 512, 2, True, True),
    ("RNN", 256, 256, 2, False, True),
)


@dataclass(frozen=True)
class Config:
    rnn_shapes: tuple[tuple[str, int, int, int, bool, bool], ...] = RNN_SHAPES
    claim_inputs: tuple[int, ...] = (1, 128, 256, 512)  # input sizes tried for the 2×256 LSTM claim
    lengths: tuple[int, ...] = (512, 4096, 100_000, 1_000_000)  # the lengths the sources quote
    figure_lengths: tuple[int, ...] = tuple(2**k for k in range(8, 21))  # 256 to 1M, for the curves
    heads: int = 32  # a 7B-class model: 32 heads of 128 (Llama-2 7B, Mistral 7B)
    head_dim: int = 128  # only the KV cache depends on it
    gpu_bytes: int = 80 * 10**9  # an 80 GB accelerator (H100, A100 80GB): the reference line


# Nothing here is measured, so every profile computes the same numbers, in milliseconds.
PRESETS = {"smoke": Config(), "cpu": Config(), "gpu": Config()}

PRESETS["dry"] = Config()  # arithmetic: the same at every size

# One H100/H200: arithmetic and a few tiny modules; the time is the process's start (torch, CUDA).
GPU_SECONDS = 8  # (two seconds of the budget went to decision_map and concepts)
