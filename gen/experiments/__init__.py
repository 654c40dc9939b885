"""The experiments, one package each: ``__init__`` holds the config and presets, ``measure.py`` the
torch code that produces data and checks it, ``render.py`` the figures, tables and values drawn from
that data. Every package in this folder is an experiment; ``python -m gen`` runs them in name order."""

from __future__ import annotations

import pkgutil
from pathlib import Path


def names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.ispkg)
