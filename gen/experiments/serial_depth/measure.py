"""Measure serial depth: time a step-by-step recurrence against vectorised operations.

Python: the source document's rnn_style() loop, its attention_style() built-in sum(), and a NumPy
closed form of the same recurrence, h_T = sum_t a^(T-t) x_t. Torch: a loop that applies
h = a*h + x_t one step at a time, storing every state, against torch.cumsum, which produces every
state of the a = 1 scan in one call.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import torch

from gen.analysis import loglog_slope, upper_part
from gen.experiments.serial_depth import Config
from gen.measuring.checks import Check, close, greater, within
from gen.measuring.timing import time_call


# The two functions below are the source document's demo, kept as written there (bar the decay
# argument) so that what we measure is what it claims about.
def rnn_style(xs: list[float], decay: float) -> float:
    h = 0.0
    for x in xs:
        h = decay * h + x
    return h


def attention_style(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def closed_form(xs: np.ndarray, decay: float) -> float:
    """The recurrence unrolled: h_T = sum_t decay^(T-1-t) x_t, one vectorised dot product.

    Powers too small for a normal float64 are set to zero rather than left subnormal: they cannot
    change the result, and subnormal arithmetic is many times slower, which would time the wrong thing.
    """
    exponents = np.arange(len(xs) - 1, -1, -1, dtype=np.float64) * np.log(decay)
    normal = exponents > np.log(np.finfo(np.float64).tiny)
    powers = np.exp(np.where(normal, exponents, 0.0)) * normal
    return float(powers @ xs)


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


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    rng = random.Random(config.seed)
    torch.manual_seed(config.seed)
    seconds = config.min_run_time
    python_points = []
    for n in config.python_lengths:
        xs = [rng.uniform(-1.0, 1.0) for _ in range(n)]
        python_points.append({
            "n": n,
            "loop": time_call(partial(rnn_style, xs, config.decay), seconds).as_dict(),
            "sum": time_call(partial(attention_style, xs), seconds).as_dict(),
            "closed_form": time_call(partial(closed_form, np.asarray(xs), config.decay), seconds).as_dict(),
        })
        advance(1)
    loop_points = []
    for n in config.torch_loop_lengths:
        x = torch.randn(n, config.torch_width, device=device)  # (T, width): each step reads one row
        timing = time_call(partial(torch_loop, x, config.decay, torch.empty_like(x)), seconds)
        loop_points.append({"n": n, **timing.as_dict()})
        advance(1)
    scan_points = []
    for n in config.torch_scan_lengths:
        x = torch.randn(config.torch_width, n, device=device)  # (width, T): time is the contiguous axis
        timing = time_call(partial(torch_scan, x, torch.empty_like(x)), seconds)
        scan_points.append({"n": n, **timing.as_dict()})
        advance(1)
    return {
        "decay": config.decay,
        "torch_width": config.torch_width,
        "python": python_points,
        "torch_loop": loop_points,
        "torch_scan": scan_points,
        "agreement": _agreement(config, device),
    }


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


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    python = data["python"]
    n = [p["n"] for p in python]
    loop_n, loop_t = upper_part(n, [p["loop"]["median_s"] for p in python])
    torch_n, torch_t = upper_part(
        [p["n"] for p in data["torch_loop"]], [p["median_s"] for p in data["torch_loop"]]
    )
    largest_loop = data["torch_loop"][-1]
    scan_at_same_n = {p["n"]: p["median_s"] for p in data["torch_scan"]}[largest_loop["n"]]
    return [
        # Linear (slope 1) against quadratic (slope 2): the band is wide because a busy machine bends
        # a short sweep, and still far from 2.
        within("python_loop_is_linear", loglog_slope(loop_n, loop_t), 0.75, 1.35,
               "log-log slope of the Python loop's time, upper half of the sweep"),
        within("torch_loop_is_linear", loglog_slope(torch_n, torch_t), 0.75, 1.35,
               "log-log slope of the torch loop's time, upper half of the sweep"),
        close("closed_form_matches_loop", data["agreement"]["closed_form_vs_loop"], 1e-9,
              "NumPy closed form against the Python loop, n = 1000"),
        close("cumsum_matches_loop", data["agreement"]["cumsum_vs_loop"], 1e-12,
              "torch.cumsum against the torch loop with a = 1, n = 1000, float64"),
        greater("scan_beats_loop_at_largest_n", largest_loop["median_s"] / scan_at_same_n, 1.0,
                f"torch loop time / cumsum time at n = {largest_loop['n']}"),
    ]
