"""Which architecture does the picker choose, across sequence length and device memory?

Not a measurement: the picker's own engine (gen/picker) is asked for its recommendation on a grid of
problems, so the map drawn in lesson 6 is the picker's rules themselves and can never disagree with
the form or the command line. Its inputs include the rules file, which is part of the hash.

    python -m gen measure --only decision_map --profile cpu --device cpu
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    seq_lens: tuple[int, ...]  # x: maximum sequence length, tokens
    memories_gib: tuple[float, ...]  # y: device memory
    params: float = 8.0e9  # an 8B model, as in the lesson's worked examples
    training_tokens: float = 2.0e10
    compute_budget: float = 1.0e22


def _log_grid(low: float, high: float, per_decade: int) -> tuple[float, ...]:
    """Points from low to high, evenly spaced on a log scale, per_decade of them in each factor of ten."""
    steps = round(per_decade * (math.log10(high) - math.log10(low)))
    return tuple(round(low * 10 ** (i / per_decade), 6) for i in range(steps + 1))


_FULL = Config(seq_lens=tuple(int(x) for x in _log_grid(1024, 1.0e7, 12)), memories_gib=_log_grid(4, 1024, 12))
# Arithmetic, the same on every device: the smoke and dry presets only use a coarser grid.
PRESETS = {"cpu": _FULL, "gpu": _FULL,
           "smoke": Config(seq_lens=(1024, 65536, 1048576), memories_gib=(8, 80, 640)),
           "dry": Config(seq_lens=(1024, 65536, 1048576), memories_gib=(8, 80, 640))}

# The files whose content decides the map besides this package's code: the picker's rules and engine.
MEASURED_INPUTS = ("gen/picker/rules.yaml", "gen/picker/engine.py", "gen/picker/formula.py",
                   "gen/picker/rules_file.py")

# One H100/H200: a few hundred picks in Python, no GPU work at all.
GPU_SECONDS = 1
