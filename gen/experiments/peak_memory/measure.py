"""Measure peak memory against sequence length: naive attention, each SDPA backend, an LSTM.

Each point is one call measured by gen.measuring.memory.peak_bytes: the inputs (and, for training,
the output gradient) are allocated beforehand and belong to the baseline, so a peak is the working
memory of the call: intermediates, the output, and, for training, what autograd saves and the
gradients it produces. A backend that PyTorch refuses to run on this device, dtype or shape is
recorded as "unsupported" with PyTorch's reason; a call that runs out of memory as "oom".
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

from gen.experiments.peak_memory import Config
from gen.measuring.memory import peak_bytes

UNSUPPORTED = "unsupported"
SKIPPED = "skipped"  # longer than the config's training_max_length: not measured
BACKENDS = {
    "math": SDPBackend.MATH,
    "flash": SDPBackend.FLASH_ATTENTION,
    "efficient": SDPBackend.EFFICIENT_ATTENTION,
    "cudnn": SDPBackend.CUDNN_ATTENTION,
}


def naive_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """softmax(QK^T/sqrt(d))V, every intermediate written out. q, k, v: (B, H, T, d)."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (B, H, T, T)
    weights = scores.softmax(dim=-1)  # (B, H, T, T): a second matrix while scores is still alive
    return weights @ v  # (B, H, T, d)


def sdpa(backend: SDPBackend) -> Callable[..., torch.Tensor]:
    def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        with sdpa_kernel(backend):  # only this backend: PyTorch raises rather than fall back
            return F.scaled_dot_product_attention(q, k, v)
    return attend


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    torch.manual_seed(config.seed)
    dtype = getattr(torch, config.dtype)
    methods = {"naive": naive_attention} | {name: sdpa(b) for name, b in BACKENDS.items()}
    reasons: dict[str, str] = {}
    attention = {}
    for name, attend in methods.items():
        points = []
        for t in config.lengths:
            points.append(_attention_point(attend, name, t, config, device, dtype, reasons))
            advance(1)
        attention[name] = points
    lstm = []
    with _one_cpu_thread(device):
        for t in config.lstm_lengths:
            lstm.append(_lstm_point(t, config, device, dtype))
            advance(1)
    return {
        "device": device,
        "dtype": config.dtype,
        "bytes_per_element": torch.empty((), dtype=dtype).element_size(),
        "batch": config.batch,
        "heads": config.heads,
        "head_dim": config.head_dim,
        "lstm_hidden": config.lstm_hidden,
        "lstm_layers": config.lstm_layers,
        "attention": attention,
        "unsupported": reasons,
        "lstm": lstm,
    }


def _attention_point(attend, name: str, t: int, config: Config, device: str, dtype: torch.dtype,
                     reasons: dict[str, str]) -> dict[str, Any]:
    shape = (config.batch, config.heads, t, config.head_dim)  # (B, H, T, d)
    q, k, v = (torch.randn(shape, device=device, dtype=dtype, requires_grad=True) for _ in range(3))
    grad_out = torch.randn(shape, device=device, dtype=dtype)

    def forward() -> None:
        with torch.no_grad():
            attend(q, k, v)

    def training() -> None:
        attend(q, k, v).backward(grad_out)
        q.grad = k.grad = v.grad = None  # so that every call starts from the same baseline

    point = {"t": t, "forward": _guarded(forward, name, device, reasons)}
    if t > config.training_max_length:
        point["training"] = SKIPPED
    elif point["forward"] == UNSUPPORTED:
        point["training"] = UNSUPPORTED
    else:
        point["training"] = _guarded(training, name, device, reasons)
    return point


def _guarded(fn: Callable[[], None], name: str, device: str, reasons: dict[str, str]) -> int | str:
    """peak_bytes(fn), or UNSUPPORTED when a forced SDPA backend refuses; the reason is kept."""
    if name == "naive":
        return peak_bytes(fn, device)
    with warnings.catch_warnings(record=True) as caught:
        # PyTorch gives the reason a backend cannot run as warnings, then raises a bare RuntimeError.
        warnings.simplefilter("always")
        try:
            return peak_bytes(fn, device)
        except RuntimeError as error:
            said = [str(w.message) for w in caught] + [str(error)]
            reasons.setdefault(name, " | ".join(line.strip().splitlines()[0] for line in said if line.strip()))
            return UNSUPPORTED


def _lstm_point(t: int, config: Config, device: str, dtype: torch.dtype) -> dict[str, Any]:
    lstm = torch.nn.LSTM(config.lstm_hidden, config.lstm_hidden, config.lstm_layers)
    lstm = lstm.to(device=device, dtype=dtype)
    x = torch.randn(t, config.batch, config.lstm_hidden, device=device, dtype=dtype)  # (T, B, in)
    grad_out = torch.randn(t, config.batch, config.lstm_hidden, device=device, dtype=dtype)  # (T, B, h)

    def forward() -> None:
        with torch.no_grad():
            lstm(x)

    def streaming() -> None:
        with torch.no_grad():
            state = None
            for step in x.split(1):  # (1, B, in) views: one token at a time, only the state carried
                _, state = lstm(step, state)

    def training() -> None:
        output, _ = lstm(x)  # autograd keeps every step's gates and states for the backward pass
        output.backward(grad_out)
        lstm.zero_grad(set_to_none=True)

    return {
        "t": t,
        "forward": peak_bytes(forward, device),
        "streaming": peak_bytes(streaming, device) if t <= config.streaming_max_length else SKIPPED,
        "training": peak_bytes(training, device),
    }


@contextmanager
def _one_cpu_thread(device: str):
    """Run the LSTM on one CPU thread: its thousands of small steps each end in a barrier between
    threads, which on a shared machine can cost ten times the work. The bytes it allocates do not
    depend on the thread count."""
    threads = torch.get_num_threads()
    if device == "cpu":
        torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
