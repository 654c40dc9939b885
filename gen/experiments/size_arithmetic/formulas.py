"""The closed forms of the size arithmetic, without torch: measure.py computes them and readings.py
judges the stored numbers against them, so both read the same constants.

A measuring module (hashed): changing a formula or a format's size makes the stored data stale.
"""

from __future__ import annotations

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
