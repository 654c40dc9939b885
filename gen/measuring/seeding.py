"""Seeds and determinism: the same config measured twice on a CPU gives the same numbers.

    with deterministic("cpu", seed=0):
        model = build()  # same initial weights every time
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch


def seed_everything(seed: int) -> None:
    """Python's, NumPy's and torch's global generators (torch's seeds every CUDA device too)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def generator(seed: int) -> torch.Generator:
    """A private CPU generator: data drawn from it is the same whatever device the model runs on,
    and whatever else consumed the global generator in between."""
    return torch.Generator().manual_seed(seed)


@contextmanager
def deterministic(device: str, seed: int) -> Iterator[None]:
    """Seeded, and on a CPU restricted to deterministic kernels on one thread; restored on exit.

    One thread because a parallel reduction's rounding depends on how the work is split, so a result
    would change with the machine's core count. On CUDA we only seed: deterministic cuBLAS needs an
    environment variable set before CUDA starts, and GPU results are not compared bit for bit.
    """
    seed_everything(seed)
    if device != "cpu":
        yield
        return
    was_deterministic = torch.are_deterministic_algorithms_enabled()
    threads = torch.get_num_threads()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(was_deterministic)
        torch.set_num_threads(threads)
