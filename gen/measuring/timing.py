"""Timing with torch.utils.benchmark: warm-up, automatic repeat counts, CUDA synchronisation.

Every time we report is a median over repeated blocks, with the interquartile range as its spread.
On a GPU the benchmark Timer synchronises the device around each block, so what is counted is the
kernels finishing, not the launches returning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch
import torch.utils.benchmark as benchmark


@dataclass(frozen=True)
class Timing:
    median_s: float
    iqr_s: float
    runs: int  # how many timed blocks the median is taken over

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def time_call(fn: Callable[[], object], min_run_time: float) -> Timing:
    """Median and spread of fn()'s wall time, on whatever device fn works on."""
    fn()  # warm-up: first calls pay for allocation, caching and lazy initialisation
    timer = benchmark.Timer(
        stmt="fn()",
        globals={"fn": fn},
        # benchmark.Timer pins torch to one thread unless told otherwise; we time the machine as it is.
        num_threads=torch.get_num_threads(),
    )
    measurement = timer.blocked_autorange(min_run_time=min_run_time)
    return Timing(measurement.median, measurement.iqr, len(measurement.times))
