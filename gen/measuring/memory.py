"""Peak memory: how many bytes a callable has allocated at its high point, above what was there before.

On a GPU this is PyTorch's own counter: reset the peak, call, read max_memory_allocated and subtract
what was allocated before the call. A CPU has no such counter, so we record the call with the
profiler's memory events (one event per allocation and per free, with its size) and walk them in time
order, keeping a running total. tracemalloc would not do: tensor storage is allocated in C++, where it
cannot see. Both count the bytes the tensor allocator hands out, not what the process's footprint
grows by, so the numbers are comparable across devices and free of allocator caching.

An allocation that fails is a measurement too: it comes back as OOM, not as an exception.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable

import torch
from torch.profiler import ProfilerActivity, profile

# Kineto, the profiler's backend, prints two lines to stderr per recording at every level up to 5;
# 6 (its level count) silences them. Read at the first recording; a user's own setting wins.
os.environ.setdefault("KINETO_LOG_LEVEL", "6")

OOM = "oom"  # the marker for a call that ran out of memory; JSON-safe, unlike NaN


def peak_bytes(fn: Callable[[], object], device: str) -> int | str:
    """Peak bytes fn() allocates above the bytes allocated before it, or OOM.

    fn's return value is dropped inside the measured call, so the peak counts it. Anything fn keeps
    alive after returning (a .grad, a cache) is counted once and then stays in the baseline of the
    next call: callables that train should clear their gradients before returning.
    """
    try:
        if device == "cuda":
            return _cuda_peak(fn)
        return _cpu_peak(fn)
    except torch.OutOfMemoryError:
        pass
    except RuntimeError as error:  # the CPU allocator, and some libraries, raise a plain RuntimeError
        if not any(words in str(error) for words in ("can't allocate memory", "out of memory")):
            raise
    # Out of the except block, the traceback and the tensors its frames held are gone.
    _release(device)
    return OOM


def _cuda_peak(fn: Callable[[], object]) -> int:
    # One call first: cuBLAS workspaces and cuDNN plans are allocated once per process and kept, so
    # they belong to the baseline, not to the call's working memory.
    fn()
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    baseline = torch.cuda.memory_allocated()
    fn()
    torch.cuda.synchronize()
    return torch.cuda.max_memory_allocated() - baseline


def _cpu_peak(fn: Callable[[], object]) -> int:
    # No warm-up: a CPU tensor's bytes go back to the system allocator when freed, so the first call
    # allocates exactly what every later one does.
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as recording:
        fn()
    changes = sorted(
        (event.start_ns(), event.nbytes())  # nbytes > 0 for an allocation, < 0 for a free
        for event in recording.profiler.kineto_results.events()
        if event.name() == "[memory]" and event.device_type() == torch.autograd.DeviceType.CPU
    )
    return running_peak(nbytes for _, nbytes in changes)


def running_peak(changes: Iterable[int]) -> int:
    """The highest running total of a sequence of allocations (+) and frees (-), starting from 0.

    Frees of memory allocated before the call can take the total below 0; the peak is still measured
    from the starting point, as max_memory_allocated minus the baseline is on a GPU.
    """
    total = peak = 0
    for nbytes in changes:
        total += nbytes
        peak = max(peak, total)
    return peak


def _release(device: str) -> None:
    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()
