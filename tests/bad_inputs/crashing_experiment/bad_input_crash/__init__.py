"""Is an experiment that crashes reported in one line, at the line that crashed?"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    lengths: tuple[int, ...]


PRESETS = {"smoke": Config(lengths=(1, 2, 0)), "cpu": Config(lengths=(1, 2, 0)), "gpu": Config(lengths=(1, 2, 0))}
