"""Measure what added parallel units buy each layer: time per sequence over batch sizes, on one
thread, and the speed-up of a second thread at one batch."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import torch

from gen.experiments.parallel_units import Config
from gen.measuring import flops
from gen.measuring.layers import sequence_layers, training_step
from gen.measuring.timing import TIMING_THREADS, on_timing_threads, time_interleaved


@on_timing_threads
def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    torch.manual_seed(config.seed)
    dtype = getattr(torch, config.dtype)
    layers = sequence_layers(config)
    modules = {layer.name: layer.make(config, device, dtype) for layer in layers}

    def steps(batch: int) -> dict[str, Callable[[], object]]:
        """Every layer's training step on a (batch, T, d) input, to be timed side by side."""
        x = torch.randn(batch, config.length, config.width, device=device, dtype=dtype, requires_grad=True)
        return {layer.name: training_step(layer, modules[layer.name], x) for layer in layers}

    by_batch = []
    for batch in config.batches:
        timed = time_interleaved(steps(batch), config.min_run_time, config.passes, on_error=_marker)
        by_batch.append({"batch": batch, "timings": _as_data(timed)})
        advance(1)
    by_threads = []
    for threads in config.thread_counts:
        # The second thread's speed-up is read, never judged: on a machine whose other core is busy
        # it measures the neighbour, which is why every other timing here runs on one thread.
        timed = time_interleaved(steps(config.thread_batch), config.min_run_time, config.passes,
                                 on_error=_marker, threads=threads)
        by_threads.append({"threads": threads, "timings": _as_data(timed)})
        advance(1)
    return {
        "device": device,
        "length": config.length,
        "width": config.width,
        "dtype": config.dtype,
        "timing_threads": TIMING_THREADS,
        "thread_batch": config.thread_batch,
        "logical_cores": os.cpu_count(),
        "layers": [{"name": layer.name, "label": layer.label, "family": layer.family,
                    # the layer's own formula, at the config's batch of one sequence
                    "train_flops_per_sequence": flops.TRAINING_MULTIPLIER * layer.flops(config, config.length)}
                   for layer in layers],
        "by_batch": by_batch,
        "by_threads": by_threads,
    }


def _as_data(timed: dict) -> dict[str, Any]:
    return {name: value if isinstance(value, str) else value.as_dict() for name, value in timed.items()}


def _marker(variant: str, err: Exception) -> str:
    if isinstance(err, torch.OutOfMemoryError):
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
        return "oom"
    if isinstance(err, RuntimeError | NotImplementedError):  # e.g. a dtype this backend has no kernel for
        return "unsupported"
    raise err
