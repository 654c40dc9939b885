"""Measure what added parallel units buy each layer: time per sequence over batch sizes, on one
thread, and the speed-up of a second thread at one batch."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Any

import torch

from gen.experiments.parallel_units import Config
from gen.measuring import flops
from gen.measuring.layers import Layer, sequence_layers, training_step
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
    graphs = []
    if device == "cuda":  # CUDA Graphs exist only there; a CPU run (the dry run too) records none
        per_step = [layer for layer in layers if layer.backend == "no_cudnn"]
        for batch in config.graph_batches:
            x = torch.randn(batch, config.length, config.width, device=device, dtype=dtype)
            for layer in per_step:
                timed = time_interleaved(
                    {"launched": partial(_forward, layer, modules[layer.name], x),
                     "graphed": _graphed_forward(layer, modules[layer.name], x)},
                    config.min_run_time, max(config.passes, 2), on_error=_marker)
                graphs.append({"batch": batch, "layer": layer.name, "timings": _as_data(timed)})
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
        "graphs": graphs,
    }


@torch.no_grad()
def _forward(layer: Layer, module: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    with layer.context():
        return layer.call(module, x)


def _graphed_forward(layer: Layer, module: torch.nn.Module, x: torch.Tensor) -> Callable[[], object]:
    """The layer's forward pass on x, captured into a CUDA Graph on the first call and replayed after.

    A replay launches the whole recorded chain of kernels at once, so it costs no per-kernel launch
    from the host; the kernels still run one after another where each needs the last one's output.
    Capturing on the first call (time_interleaved's warm-up) lets a capture failure become this
    variant's "unsupported" marker instead of stopping the run.
    """
    graph: list[torch.cuda.CUDAGraph] = []

    def replay() -> None:
        if not graph:
            side = torch.cuda.Stream()  # warm-up on a side stream, as torch.cuda.graph asks
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):
                for _ in range(3):
                    _forward(layer, module, x)
            torch.cuda.current_stream().wait_stream(side)
            captured = torch.cuda.CUDAGraph()
            with torch.cuda.graph(captured):
                _forward(layer, module, x)
            graph.append(captured)
        graph[0].replay()

    return replay


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
