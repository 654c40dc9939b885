"""Measure serial depth: time a step-by-step recurrence against vectorised operations.

Python: the source document's rnn_style() loop, its attention_style() built-in sum(), and a NumPy
closed form of the same recurrence, h_T = sum_t a^(T-t) x_t. Torch: a loop that applies
h = a*h + x_t one step at a time, storing every state, against torch.cumsum, which produces every
state of the a = 1 scan in one call.

The variants compared at one length are timed side by side, interleaved (time_interleaved): a burst
of a neighbour's load then slows one pass of one variant, not one variant's whole series, so the
ratios between them hold on a busy machine.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import torch

from gen.experiments.serial_depth import Config
from gen.measuring.timing import Timing, on_timing_threads, time_interleaved


# The two functions below are the source document's demo, kept as written there (bar the decay
# argument) so that what we measure is what it claims about. Lesson 2 shows them from this file (the
# --8<-- lines mark the sections pymdownx.snippets includes), so the page shows the code that ran.
# --8<-- [start:rnn_style]
def rnn_style(xs: list[float], decay: float) -> float:
    h = 0.0
    for x in xs:
        h = decay * h + x  # each step needs the previous h
    return h
# --8<-- [end:rnn_style]


# --8<-- [start:attention_style]
def attention_style(xs: list[float]) -> float:
    return sum(xs) / len(xs)  # every x is independent
# --8<-- [end:attention_style]


def closed_form(xs: np.ndarray, decay: float) -> float:
    """The recurrence unrolled: h_T = sum_t decay^(T-1-t) x_t, one vectorised dot product.

    Powers too small for a normal float64 are set to zero rather than left subnormal: they cannot
    change the result, and subnormal arithmetic is many times slower, which would time the wrong thing.
    """
    exponents = np.arange(len(xs) - 1, -1, -1, dtype=np.float64) * np.log(decay)
    normal = exponents > np.log(np.finfo(np.float64).tiny)
    powers = np.exp(np.where(normal, exponents, 0.0)) * normal
    # An element-wise product and numpy's own sum, not `powers @ xs`: the dot product goes to BLAS, whose
    # thread pool (not torch's, so not pinned by the timing helper) stalled on a busy machine and made
    # the closed form look 9x slower than on a quiet one.
    return float(np.sum(powers * xs))


# Both torch variants write into a preallocated output, so that neither is timed allocating and
# first touching a fresh buffer (on a CPU that page-faulting can cost more than the arithmetic).
def torch_loop(x: torch.Tensor, decay: float, states: torch.Tensor) -> torch.Tensor:
    """Every state h_1..h_T of h = decay*h + x_t, one step (one op) at a time. x, states: (T, width)."""
    h = torch.zeros_like(x[0])  # (width,)
    for t in range(x.shape[0]):
        h = torch.add(x[t], h, alpha=decay, out=states[t])
    return states


def torch_scan(x: torch.Tensor, states: torch.Tensor) -> torch.Tensor:
    """Every state of the decay = 1 scan in one vectorised call. x, states: (width, T).

    Time is the last, contiguous axis: on a CPU, cumsum along a strided axis was over ten times
    slower in our tests, and each variant should run in the layout that suits it.
    """
    return torch.cumsum(x, dim=-1, out=states)


@on_timing_threads
def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    rng = random.Random(config.seed)
    torch.manual_seed(config.seed)
    python_points = []
    for n in config.python_lengths:
        python_points.append({"n": n, **_time_python(config, [rng.uniform(-1.0, 1.0) for _ in range(n)])})
        advance(1)
    loop_points, scan_points = [], []
    for n in sorted(set(config.torch_loop_lengths) | set(config.torch_scan_lengths)):
        timed = _time_torch(config, device, n)
        if "loop" in timed:
            loop_points.append({"n": n, **timed["loop"]})
        if "cumsum" in timed:
            scan_points.append({"n": n, **timed["cumsum"]})
        advance(len(timed))  # one step per series point: a length both series have counts twice
    return {
        "decay": config.decay,
        "torch_width": config.torch_width,
        "passes": config.passes,
        "python": python_points,
        "torch_loop": loop_points,
        "torch_scan": scan_points,
        "agreement": _agreement(config, device),
    }


def _time_python(config: Config, xs: list[float]) -> dict[str, dict[str, object]]:
    """The Python loop, sum() and the NumPy closed form on the same sequence, timed interleaved."""
    array = np.asarray(xs)
    return _as_dicts(time_interleaved({
        "loop": partial(rnn_style, xs, config.decay),
        "sum": partial(attention_style, xs),
        "closed_form": partial(closed_form, array, config.decay),
    }, config.min_run_time, config.passes))


def _time_torch(config: Config, device: str, n: int) -> dict[str, dict[str, object]]:
    """The torch loop and cumsum at length n, timed interleaved; each only where its sweep has n
    (the loop's sweep stops well before cumsum's)."""
    variants: dict[str, Callable[[], object]] = {}
    if n in config.torch_loop_lengths:
        x = torch.randn(n, config.torch_width, device=device)  # (T, width): each step reads one row
        variants["loop"] = partial(torch_loop, x, config.decay, torch.empty_like(x))
    if n in config.torch_scan_lengths:
        x = torch.randn(config.torch_width, n, device=device)  # (width, T): time is the contiguous axis
        variants["cumsum"] = partial(torch_scan, x, torch.empty_like(x))
    return _as_dicts(time_interleaved(variants, config.min_run_time, config.passes))


def _as_dicts(timed: dict[str, Timing | str]) -> dict[str, dict[str, object]]:
    """Plain JSON per variant; no on_error is given, so every entry is a Timing, never a marker."""
    return {name: timing.as_dict() for name, timing in timed.items() if isinstance(timing, Timing)}


def _agreement(config: Config, device: str) -> dict[str, float]:
    """Relative errors between the fast forms and the loops they replace, in float64."""
    rng = random.Random(config.seed + 1)
    xs = [rng.uniform(-1.0, 1.0) for _ in range(1000)]
    loop_value = rnn_style(xs, config.decay)
    closed_value = closed_form(np.asarray(xs), config.decay)
    x = torch.randn(1000, 8, dtype=torch.float64, device=device)
    looped = torch_loop(x, 1.0, torch.empty_like(x))  # (T, width)
    scanned = torch_scan(x.T.contiguous(), torch.empty_like(x.T.contiguous())).T  # (width, T) -> (T, width)
    return {
        "closed_form_vs_loop": abs(closed_value - loop_value) / max(abs(loop_value), 1e-300),
        "cumsum_vs_loop": float((scanned - looped).abs().max() / looped.abs().max()),
    }
