"""Measure latency against length: forward and training-step time of recurrent and attention layers.

Every layer maps x of shape (B, T, d) to an output of the same shape, so one harness times them all:
the forward pass under no_grad, and a training step as forward plus torch.autograd.grad of the
output (against a fixed upstream gradient) with respect to the input and every parameter, which is
the backward pass a layer inside a network has to do.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from gen.experiments.latency_vs_length import Config, derived
from gen.measuring import flops
from gen.measuring.checks import Check, close, greater, within
from gen.measuring.timing import time_call


@dataclass(frozen=True)
class Layer:
    name: str
    label: str
    family: str  # "recurrent" or "attention"
    backend: str  # "default", or "no_cudnn" for a recurrent layer with cuDNN switched off
    make: Callable[[Config, str, torch.dtype], nn.Module]
    call: Callable[[nn.Module, torch.Tensor], torch.Tensor]  # (B, T, d) -> (B, T, d)
    flops: Callable[[Config, int], int]  # forward FLOPs at length T

    def context(self) -> contextlib.AbstractContextManager:
        """cuDNN off for the no_cudnn variant (a GPU-only distinction); nothing to change otherwise."""
        if self.backend == "no_cudnn":
            return torch.backends.cudnn.flags(enabled=False)
        return contextlib.nullcontext()


class AttentionCore(nn.Module):
    """scaled_dot_product_attention with x itself as queries, keys and values: no projections."""

    def __init__(self, heads: int):
        super().__init__()
        self.heads = heads

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, width = x.shape
        heads = x.view(batch, length, self.heads, width // self.heads).transpose(1, 2)  # (B, H, T, d/H)
        out = F.scaled_dot_product_attention(heads, heads, heads)  # (B, H, T, d/H)
        return out.transpose(1, 2).reshape(batch, length, width)  # (B, T, d)


def _rnn(kind: type[nn.RNNBase]) -> Callable[[Config, str, torch.dtype], nn.Module]:
    return lambda c, device, dtype: kind(c.width, c.width, batch_first=True, device=device, dtype=dtype)


def _layers(config: Config) -> list[Layer]:
    attention = [
        Layer("attention_core", "attention core (SDPA only)", "attention", "default",
              lambda c, device, dtype: AttentionCore(c.heads), lambda m, x: m(x),
              lambda c, n: flops.attention_core(c.batch, n, c.width)),
        Layer("attention", "self-attention (MHA)", "attention", "default",
              lambda c, device, dtype: nn.MultiheadAttention(
                  c.width, c.heads, dropout=0.0, batch_first=True, device=device, dtype=dtype),
              lambda m, x: m(x, x, x, need_weights=False)[0],
              lambda c, n: flops.attention_layer(c.batch, n, c.width)),
        Layer("transformer", "Transformer layer", "attention", "default",
              lambda c, device, dtype: nn.TransformerEncoderLayer(
                  c.width, c.heads, 4 * c.width, dropout=0.0, batch_first=True, device=device, dtype=dtype),
              lambda m, x: m(x),
              lambda c, n: flops.transformer_layer(c.batch, n, c.width)),
    ]
    recurrent = []
    for backend in config.rnn_backends:
        suffix, note = ("", "") if backend == "default" else ("_" + backend, ", cuDNN off")
        recurrent += [
            Layer("lstm" + suffix, "LSTM" + note, "recurrent", backend, _rnn(nn.LSTM), lambda m, x: m(x)[0],
                  lambda c, n: flops.lstm(c.batch, n, c.width, c.width)),
            Layer("gru" + suffix, "GRU" + note, "recurrent", backend, _rnn(nn.GRU), lambda m, x: m(x)[0],
                  lambda c, n: flops.gru(c.batch, n, c.width, c.width)),
        ]
    return attention + recurrent


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    torch.manual_seed(config.seed)
    peak_dtype = getattr(torch, config.peak_dtype)
    # The peak is measured before and after every pass and the highest figure kept: a neighbour's
    # load during one measurement would otherwise understate it and overstate every fraction of it.
    peaks = [flops.matmul_peak(device, peak_dtype, config.peak_size, config.peak_min_run_time)]
    passes = []
    for _ in range(config.passes):
        one_pass = []
        for layer in _layers(config):
            one_pass.append(_measure_layer(layer, config, device))
            advance(len(config.lengths))
        passes.append(one_pass)
        peaks.append(flops.matmul_peak(device, peak_dtype, config.peak_size, config.peak_min_run_time))
    return {
        "device": device,
        "width": config.width,
        "heads": config.heads,
        "batch": config.batch,
        "claim_length": config.claim_length,
        "dtypes": {"attention": config.attention_dtype, "rnn": config.rnn_dtype, "peak": config.peak_dtype},
        "passes": config.passes,
        "peak": {"flops_per_s": max(p["flops_per_s"] for p in peaks), "runs": peaks},
        "flop_formulas": _flop_formulas(),
        "series": [_fastest(runs) for runs in zip(*passes, strict=True)],
    }


def _fastest(runs: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """One layer's series from several passes, each point keeping its lowest median time.

    On a shared machine a neighbour's burst of work slows whatever runs at that moment; the
    undisturbed time is the one the layer itself sets, and the lowest of separate passes is the
    closest to it. A marker ("oom", "unsupported") stays only where no pass measured the point.
    """
    merged = {**runs[0], "notes": sorted({note for run in runs for note in run["notes"]})}
    merged["points"] = []
    for points in zip(*(run["points"] for run in runs), strict=True):
        point = dict(points[0])
        for mode in derived.MODES:
            timings = [p[mode] for p in points if isinstance(p[mode], dict)]
            point[mode] = min(timings, key=lambda t: t["median_s"]) if timings else points[0][mode]
        merged["points"].append(point)
    return merged


def _measure_layer(layer: Layer, config: Config, device: str) -> dict[str, Any]:
    dtype = getattr(torch, config.rnn_dtype if layer.family == "recurrent" else config.attention_dtype)
    module = layer.make(config, device, dtype)
    points, notes = [], []
    for length in config.lengths:
        forward_flops = layer.flops(config, length)
        point = {"length": length, "flops": {"forward": forward_flops,
                                             "train": flops.TRAINING_MULTIPLIER * forward_flops}}
        for mode in derived.MODES:
            if notes:  # unsupported once is unsupported at every length: do not retry
                point[mode] = "unsupported"
                continue
            run = partial(_time_mode, layer, module, config, device, dtype, length, mode)
            point[mode] = _guarded(run, device, notes)
        points.append(point)
    del module
    if device == "cuda":
        torch.cuda.empty_cache()
    return {"name": layer.name, "label": layer.label, "family": layer.family, "backend": layer.backend,
            "dtype": str(dtype).removeprefix("torch."), "points": points, "notes": notes}


def _time_mode(layer: Layer, module: nn.Module, config: Config, device: str, dtype: torch.dtype,
               length: int, mode: str) -> dict[str, float]:
    x = torch.randn(config.batch, length, config.width, device=device, dtype=dtype, requires_grad=True)
    if mode == "forward":
        def step() -> object:
            with layer.context(), torch.no_grad():
                return layer.call(module, x)
    else:
        inputs = [x, *module.parameters()]
        upstream = torch.randn_like(x)  # (B, T, d): the gradient arriving from the layers above

        def step() -> object:
            with layer.context():
                return torch.autograd.grad(layer.call(module, x), inputs, upstream)
    return time_call(step, config.min_run_time).as_dict()


def _guarded(run: Callable[[], dict], device: str, notes: list[str]) -> dict | str:
    """A timing, or the reason there is none, as data: "oom", or "unsupported" with a note why."""
    try:
        return run()
    except torch.OutOfMemoryError:
        if device == "cuda":
            torch.cuda.empty_cache()
        return "oom"
    except (RuntimeError, NotImplementedError) as err:  # e.g. a dtype this backend has no kernel for
        notes.append(f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
        return "unsupported"


def _flop_formulas() -> dict[str, dict[str, int]]:
    """The analytic FLOPs against torch.utils.flop_counter on a small float32 CPU case."""
    batch, length, width, heads = 2, 16, 32, 4
    small = Config(lengths=(length,), width=width, heads=heads, batch=batch, attention_dtype="float32",
                   rnn_dtype="float32", rnn_backends=("default",), peak_dtype="float32", peak_size=1,
                   min_run_time=0.0)
    x = torch.randn(batch, length, width)
    result = {}
    for layer in _layers(small):
        module = layer.make(small, "cpu", torch.float32)
        result[layer.name] = {"counted": flops.counted(partial(layer.call, module, x)),
                              "formula": layer.flops(small, length)}
    return result


# checks -------------------------------------------------------------------------------------------

# Linear in T, against quadratic (2). Readings below 1 come from the fixed cost of each call, which a
# short smoke sweep on a CPU does not amortise (0.65 seen on a quiet machine); above 1, from load.
RECURRENT_SLOPE = (0.5, 1.45)
# The attention core's FLOPs grow as T², but per-row work (softmax, loads of Q and the output) adds
# a linear part that still shows at T of a few thousand on a CPU: 1.5 keeps it clearly super-linear.
CORE_SLOPE = (1.5, 2.3)
SLOPE_GAP = 0.3  # the attention layer's slope must beat the LSTM's by at least this much
# A FLOP/s figure well above the device's measured matmul peak means a wrong formula (a factor of 2 or
# more); the margin allows for a peak measured low on a small or busy run.
PEAK_MARGIN = 1.25


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    recurrent = [s for s in data["series"] if s["family"] == "recurrent"]
    slopes = {f"{s['name']} {mode}": derived.slope(s, mode) for s in recurrent for mode in derived.MODES}
    linear = all(v is not None and RECURRENT_SLOPE[0] <= v <= RECURRENT_SLOPE[1] for v in slopes.values())
    shown = ", ".join(f"{k} {_number(v)}" for k, v in slopes.items())
    attention_gap = _difference(derived.slope(derived.series(data, "attention"), "train"),
                                derived.slope(derived.series(data, "lstm"), "train"))
    highest, where = derived.highest_fraction_of_peak(data)
    formula_error = max(abs(f["formula"] - f["counted"]) / f["counted"] for f in data["flop_formulas"].values())
    return [
        Check("recurrent_time_is_linear", linear,
              f"log-log slopes over the upper half of the sweep: {shown}; expected each between "
              f"{RECURRENT_SLOPE[0]:g} and {RECURRENT_SLOPE[1]:g}"),
        within("attention_core_is_near_quadratic",
               _nan_if_none(derived.slope(derived.series(data, "attention_core"), "forward")), *CORE_SLOPE,
               "log-log slope of the attention core's forward time, upper half of the sweep"),
        greater("attention_outgrows_lstm", _nan_if_none(attention_gap), SLOPE_GAP,
                "slope of self-attention's training step minus the LSTM's, upper half of the sweep"),
        within("flops_below_measured_peak", highest, 0.0, PEAK_MARGIN,
               f"highest achieved FLOP/s as a fraction of the measured matmul peak ({where})"),
        close("flop_formulas_match_counter", formula_error, 1e-12,
              "analytic FLOPs against torch.utils.flop_counter, worst layer, B=2 T=16 d=32"),
    ]


def _difference(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


def _nan_if_none(value: float | None) -> float:
    return float("nan") if value is None else value


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
