"""Timing that holds on a busy machine: torch.utils.benchmark, one thread, interleaved variants.

Every time we report is a median over repeated blocks (torch.utils.benchmark's blocked_autorange),
with the interquartile range as its spread. On a GPU the benchmark Timer synchronises the device
around each block, so what is counted is the kernels finishing, not the launches returning.

Two design choices make the verdicts the same on a quiet machine and on one a neighbour keeps busy:

- **One thread on the CPU.** With two threads on two cores and a neighbour on one of them, the
  scheduler deschedules one of our threads for whole time slices; every parallel region then waits
  for it, so short calls stall at random and long ones run at half speed (we saw slopes bend by 0.5
  and 100x stalls). One thread needs only one free core. It is also torch.utils.benchmark's own
  default, and the thread count is recorded with every result (TIMING_THREADS, gen/provenance.py).
- **Interleaving.** Noise only ever adds time, and it hits whatever runs at that moment. So the
  variants being compared are timed in turn, round-robin, several passes over them, and each keeps
  its fastest pass: a burst of load slows one pass of one variant, not a whole series, and quantities
  compared with each other (a ratio, a fraction of the matmul peak) were measured side by side.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import torch
import torch.utils.benchmark as benchmark

TIMING_THREADS = 1  # intra-op threads while timing on a CPU (why: see the module docstring)

Marker = str  # why a variant has no time, as data: "oom", "unsupported", ...
T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    median_s: float
    iqr_s: float
    runs: int  # how many timed blocks the median is taken over
    pass_medians_s: tuple[float, ...] = ()  # every pass's median, when the variant was timed in passes

    def as_dict(self) -> dict[str, object]:
        record: dict[str, object] = {"median_s": self.median_s, "iqr_s": self.iqr_s, "runs": self.runs}
        if self.pass_medians_s:
            record["pass_medians_s"] = list(self.pass_medians_s)
        return record


@contextmanager
def timing_threads(count: int = TIMING_THREADS) -> Iterator[None]:
    """torch on `count` intra-op threads inside the block, restored after it."""
    threads = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def on_timing_threads(measure: Callable[..., T]) -> Callable[..., T]:
    """Run a whole measure() on TIMING_THREADS, its untimed set-up included.

    Pinning only the timed calls is not enough: an untimed op between them (making an input, say)
    runs on the full thread pool, and its idle workers then spin for a while, competing on a busy
    machine with the very call being timed (attention_vs_mlp's MLP slope read 0.34 instead of 1.0).
    """
    @functools.wraps(measure)
    def pinned(*args: object, **kwargs: object) -> T:
        with timing_threads():
            return measure(*args, **kwargs)

    return pinned


def time_call(fn: Callable[[], object], min_run_time: float, threads: int = TIMING_THREADS) -> Timing:
    """Median and spread of fn()'s wall time, on whatever device fn works on.

    `threads` other than TIMING_THREADS is for the one experiment that asks what a second thread buys
    (parallel_units); its readings are not judged by timing checks, since a busy core bends them."""
    with timing_threads(threads):
        fn()  # warm-up: first calls pay for allocation, caching and lazy initialisation
        timer = benchmark.Timer(stmt="fn()", globals={"fn": fn}, num_threads=threads)
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            return time_in_sized_blocks(timer, min_run_time)
        measurement = timer.blocked_autorange(min_run_time=min_run_time)
    return Timing(measurement.median, measurement.iqr, len(measurement.times))


BLOCKS = 10  # blocks a sized timing aims for within min_run_time: enough for a median and an IQR
MIN_BLOCKS = 3


def time_in_sized_blocks(timer: benchmark.Timer, min_run_time: float) -> Timing:
    """Blocks sized from the call's own time, for CUDA, where blocked_autorange is slow.

    The Timer synchronises the device around every block. blocked_autorange grows its blocks tenfold
    until that synchronisation is 1e-4 of a block, so each point costs about half a second whatever
    min_run_time says. Here two synchronised blocks (one call, then as many calls as that suggests
    fill a tenth of min_run_time) give the block size, and blocks of it are timed until min_run_time
    has passed: the synchronisation stays about 1% of a block of 1 ms or more.
    """
    target = max(min_run_time / BLOCKS, 1e-3)
    one = timer.timeit(1).times[0]  # includes one synchronisation: an overestimate for tiny calls
    rough = max(1, math.ceil(target / one))
    number = max(1, math.ceil(target / timer.timeit(rough).times[0]))
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < MIN_BLOCKS or (time.perf_counter() - start < min_run_time and len(times) < 10 * BLOCKS):
        times.append(timer.timeit(number).times[0])  # seconds per call in this block
    low, median, high = np.percentile(times, [25, 50, 75])
    return Timing(float(median), float(high - low), len(times))


def time_interleaved(
    variants: Mapping[str, Callable[[], object]],
    min_run_time: float,
    passes: int,
    on_error: Callable[[str, Exception], Marker] | None = None,
    threads: int = TIMING_THREADS,
) -> dict[str, Timing | Marker]:
    """Each variant's fastest pass, the variants timed in turn `passes` times round.

    on_error(name, error) turns an exception of one variant into a marker (or re-raises it); that
    variant is then left out of the later passes and the others go on.
    """
    best: dict[str, Timing | Marker] = {}
    medians: dict[str, list[float]] = {name: [] for name in variants}
    stopped: set[str] = set()  # variants that raised: not timed again
    for _ in range(passes):
        for name, fn in variants.items():
            if name in stopped:
                continue
            try:
                timing = time_call(fn, min_run_time, threads)
            except Exception as err:
                if on_error is None:
                    raise
                marker = on_error(name, err)
                stopped.add(name)
                best.setdefault(name, marker)  # a pass that did finish still counts
                continue
            medians[name].append(timing.median_s)
            kept = best.get(name)
            if kept is None or timing.median_s < kept.median_s:
                best[name] = timing
    return {
        name: (kept if isinstance(kept, str) else
               Timing(kept.median_s, kept.iqr_s, kept.runs, tuple(medians[name])))
        for name, kept in best.items()
    }
