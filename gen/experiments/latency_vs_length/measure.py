"""Measure latency against length: forward and training-step time of recurrent and attention layers.

Every layer maps x of shape (B, T, d) to an output of the same shape, so one harness times them all:
the forward pass under no_grad, and a training step as forward plus torch.autograd.grad of the
output (against a fixed upstream gradient) with respect to the input and every parameter, which is
the backward pass a layer inside a network has to do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch
from torch import nn

from gen.experiments.latency_vs_length import Config
from gen.measuring import flops
from gen.measuring.layers import Layer, kernels_called, sequence_layers, training_step
from gen.measuring.timing import on_timing_threads, time_interleaved

MODES = ("forward", "train")  # the same names as readings.MODES, which measuring may not import
PEAK = "matmul_peak"  # the variant that times the device's matmul peak beside the layers


@on_timing_threads
def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    """At each length, every layer and mode and the matmul peak timed in turn (time_interleaved).

    Interleaving is what makes a busy machine harmless here: a burst of load slows one pass of one
    variant, and each keeps its fastest pass; the peak, measured at every length beside the layers it
    is set against, keeps its highest reading, so no single slow reading can inflate a fraction of it.
    """
    torch.manual_seed(config.seed)
    layers = sequence_layers(config)
    modules = {layer.name: layer.make(config, device, _dtype(layer, config)) for layer in layers}
    peak_call, peak_flops = flops.matmul(device, getattr(torch, config.peak_dtype), config.peak_size)
    points: dict[str, list[dict[str, Any]]] = {layer.name: [] for layer in layers}
    notes: dict[str, list[str]] = {layer.name: [] for layer in layers}
    peak_runs = []
    for length in config.lengths:
        variants = {PEAK: peak_call}
        for layer in layers:
            if notes[layer.name]:  # unsupported once is unsupported at every length: do not retry
                continue
            for mode in MODES:
                variants[f"{layer.name} {mode}"] = _step(layer, modules[layer.name], config, device, length, mode)
        timed = time_interleaved(variants, config.min_run_time, config.passes,
                                 on_error=partial(_marker, device, notes))
        peak = timed.pop(PEAK)
        peak_runs.append({"length": length, "flops_per_s": peak_flops / peak.median_s, **peak.as_dict()})
        for layer in layers:
            forward_flops = layer.flops(config, length)
            point = {"length": length, "flops": {"forward": forward_flops,
                                                 "train": flops.TRAINING_MULTIPLIER * forward_flops}}
            for mode in MODES:
                timing = timed.get(f"{layer.name} {mode}", "unsupported")
                point[mode] = timing if isinstance(timing, str) else timing.as_dict()
            points[layer.name].append(point)
        del variants
        if device == "cuda":
            torch.cuda.empty_cache()
        advance(len(layers))
    return {
        "device": device,
        "width": config.width,
        "heads": config.heads,
        "batch": config.batch,
        "claim_length": config.claim_length,
        "dtypes": {"attention": config.attention_dtype, "rnn": config.rnn_dtype, "peak": config.peak_dtype},
        "passes": config.passes,
        "peak": {"flops_per_s": max(run["flops_per_s"] for run in peak_runs), "size": config.peak_size,
                 "runs": peak_runs},
        "flop_formulas": _flop_formulas(),
        "series": [{"name": layer.name, "label": layer.label, "family": layer.family, "backend": layer.backend,
                    "dtype": config.rnn_dtype if layer.family == "recurrent" else config.attention_dtype,
                    "points": points[layer.name], "notes": sorted(set(notes[layer.name])),
                    "ops": _ops(layer, modules[layer.name], config, device)}
                   for layer in layers],
    }


def _ops(layer: Layer, module: nn.Module, config: Config, device: str) -> list[str] | str:
    """The operators a recurrent layer's forward pass calls at a short length: which kernel ran."""
    if layer.family != "recurrent":
        return []
    x = torch.randn(config.batch, 8, config.width, device=device, dtype=_dtype(layer, config))
    try:
        return kernels_called(layer, module, x)
    except (RuntimeError, NotImplementedError):  # a dtype this backend has no kernel for: its notes say so
        return "unsupported"


def _dtype(layer: Layer, config: Config) -> torch.dtype:
    return getattr(torch, config.rnn_dtype if layer.family == "recurrent" else config.attention_dtype)


def _step(layer: Layer, module: nn.Module, config: Config, device: str, length: int,
          mode: str) -> Callable[[], object]:
    """One forward pass (no_grad) or one training step of the layer at this length, ready to time."""
    dtype = _dtype(layer, config)
    x = torch.randn(config.batch, length, config.width, device=device, dtype=dtype, requires_grad=True)
    if mode == "forward":
        def forward() -> object:
            with layer.context(), torch.no_grad():
                return layer.call(module, x)
        return forward
    return training_step(layer, module, x)


def _marker(device: str, notes: dict[str, list[str]], variant: str, err: Exception) -> str:
    """A timing's absence as data: "oom", or "unsupported" with a note on the layer saying why."""
    if variant == PEAK:  # without the peak no fraction of it means anything: stop the run
        raise err
    if isinstance(err, torch.OutOfMemoryError):
        if device == "cuda":
            torch.cuda.empty_cache()
        return "oom"
    if isinstance(err, RuntimeError | NotImplementedError):  # e.g. a dtype this backend has no kernel for
        notes[variant.split(" ")[0]].append(f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
        return "unsupported"
    raise err


def _flop_formulas() -> dict[str, dict[str, int]]:
    """The analytic FLOPs against torch.utils.flop_counter on a small float32 CPU case."""
    batch, length, width, heads = 2, 16, 32, 4
    small = Config(lengths=(length,), width=width, heads=heads, batch=batch, attention_dtype="float32",
                   rnn_dtype="float32", rnn_backends=("default",), peak_dtype="float32", peak_size=1,
                   min_run_time=0.0)
    x = torch.randn(batch, length, width)
    result = {}
    for layer in sequence_layers(small):
        module = layer.make(small, "cpu", torch.float32)
        result[layer.name] = {"counted": flops.counted(partial(layer.call, module, x)),
                              "formula": layer.flops(small, length)}
    return result
