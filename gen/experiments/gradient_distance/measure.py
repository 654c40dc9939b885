"""Measure gradient norm against distance: one float64 backward pass per model and seed.

y_T = r . output_T, with r a fixed random unit vector; the gradient of y_T with respect to the whole
input sequence holds dy_T/dx_t for every t at once, and k = T - t is the distance back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from gen.experiments.gradient_distance import Config
from gen.measuring.seeding import deterministic, generator

RECURRENT = ("rnn", "lstm", "lstm_forget_bias_1", "gru")
MODELS = (*RECURRENT, "attention", "linear")
STORED_POINTS = 512  # curves are stored at about this many distances; fits use every distance
NEAR_STORED = 128  # ...and at every distance up to here, where the recurrent nets' gradients vanish
DTYPE = torch.float64  # float32 underflows near 1e-38, which the vanilla RNN's gradient reaches in ~100 steps


# Models: each maps x (1, T, width) to outputs (1, T, width) ------------------------------------------


class Outputs(nn.Module):
    """A torch RNN's per-step outputs, without its final state."""

    def __init__(self, rnn: nn.Module):
        super().__init__()
        self.rnn = rnn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.rnn(x)[0]


class CausalAttention(nn.Module):
    """One layer of multi-head self-attention in which each position sees itself and the past."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.attention = nn.MultiheadAttention(width, heads, batch_first=True, dtype=DTYPE)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        steps = x.shape[1]
        hidden = torch.ones(steps, steps, dtype=torch.bool, device=x.device).triu(1)  # (T, T): True = masked
        return self.attention(x, x, x, attn_mask=hidden, need_weights=False)[0]


class LinearRecurrence(nn.Module):
    """h_t = a*h_(t-1) + x_t per channel, so dy_T/dx_(T-k) = a^k r, of norm exactly a^k as |r| = 1."""

    def __init__(self, decay: float):
        super().__init__()
        self.decay = decay

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.zeros_like(x[:, 0])  # (1, width)
        states = []
        for t in range(x.shape[1]):
            h = self.decay * h + x[:, t]
            states.append(h)
        return torch.stack(states, dim=1)  # (1, T, width)


def lstm_forget_bias_1(width: int) -> nn.LSTM:
    """The common fix (Gers et al. 2000; Jozefowicz et al. 2015): forget gate f = sigmoid(1 + ...).

    PyTorch adds two bias vectors, gates ordered (input, forget, cell, output): the forget gate's
    total bias is 1 with bias_ih = 1 and bias_hh = 0 on that slice; every other weight is default.
    """
    lstm = nn.LSTM(width, width, batch_first=True, dtype=DTYPE)
    with torch.no_grad():
        lstm.bias_ih_l0[width:2 * width] = 1.0
        lstm.bias_hh_l0[width:2 * width] = 0.0
    return lstm


def build(name: str, config: Config) -> nn.Module:
    width = config.width
    if name == "attention":
        return CausalAttention(width, config.heads)
    if name == "linear":
        return LinearRecurrence(config.decay)
    return Outputs({
        "rnn": lambda: nn.RNN(width, width, nonlinearity="tanh", batch_first=True, dtype=DTYPE),
        "lstm": lambda: nn.LSTM(width, width, batch_first=True, dtype=DTYPE),
        "lstm_forget_bias_1": lambda: lstm_forget_bias_1(width),
        "gru": lambda: nn.GRU(width, width, batch_first=True, dtype=DTYPE),
    }[name]())


# Measuring ------------------------------------------------------------------------------------------


def gradient_norms(model: nn.Module, x: torch.Tensor, r: torch.Tensor) -> np.ndarray:
    """||dy_T/dx_(T-k)|| for k = 0..T-1 from one backward pass, y_T = r . output_T."""
    x = x.clone().requires_grad_(True)  # (1, T, width)
    y = model(x)[0, -1] @ r  # scalar
    (grad,) = torch.autograd.grad(y, x)  # (1, T, width)
    return scaled_norm(grad[0]).flip(0).cpu().numpy()  # (T,): index k is the distance back from T


def mean_forget_gate(lstm: nn.LSTM, x: torch.Tensor) -> float:
    """The forget gate f_t = sigmoid(W_if x_t + W_hf h_(t-1) + biases), averaged over units and steps."""
    width = lstm.hidden_size
    forget = slice(width, 2 * width)  # gate order: input, forget, cell, output
    with torch.no_grad():
        h, _ = lstm(x)  # (1, T, width)
        previous = torch.cat([torch.zeros_like(h[:, :1]), h[:, :-1]], dim=1)  # (1, T, width): h_(t-1), h_0 = 0
        gate = (x @ lstm.weight_ih_l0[forget].T + lstm.bias_ih_l0[forget]
                + previous @ lstm.weight_hh_l0[forget].T + lstm.bias_hh_l0[forget])  # (1, T, width)
        return float(torch.sigmoid(gate).mean())


def scaled_norm(rows: torch.Tensor) -> torch.Tensor:
    """Euclidean norm of each row, divided by the row's largest entry first and multiplied back after.

    A plain norm squares its entries, and the square of anything below 1e-154 underflows float64: the
    gradients would read as zero from there on, long before the gradients themselves underflow at 1e-308.
    """
    scale = rows.abs().amax(dim=-1, keepdim=True)  # (T, 1)
    safe = torch.where(scale > 0, scale, torch.ones_like(scale))
    return (rows / safe).norm(dim=-1) * scale.squeeze(-1)  # (T,)


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    steps = config.max_distance + 1
    curves: dict[str, list[np.ndarray]] = {name: [] for name in MODELS}  # relative norms, one per seed
    forget_gates: dict[str, list[float]] = {"lstm": [], "lstm_forget_bias_1": []}  # mean gate, one per seed
    # cuDNN off: this measures values, not speed, and the native kernels take float64 on any device.
    with torch.backends.cudnn.flags(enabled=False):
        for seed in config.seeds:
            inputs = generator(seed)  # the same input and projection for every model of this seed
            x = torch.randn(1, steps, config.width, generator=inputs, dtype=DTYPE).to(device)  # (1, T, width)
            r = torch.randn(config.width, generator=inputs, dtype=DTYPE)
            r = (r / r.norm()).to(device)  # (width,), unit length
            for name in MODELS:
                # Re-seeded per model: both LSTMs get the same weights bar the forget-gate bias.
                with deterministic(device, seed):
                    model = build(name, config).to(device)
                    norms = gradient_norms(model, x, r)
                curves[name].append(norms / norms[0])
                if name in forget_gates:
                    forget_gates[name].append(mean_forget_gate(model.rnn, x))
            advance(1)
    exact = config.decay ** np.arange(steps, dtype=np.float64)
    return {
        "max_distance": config.max_distance,
        "seeds": list(config.seeds),
        "width": config.width,
        "decay": config.decay,
        "threshold": config.threshold,
        "models": {name: summarise(curves[name], config) for name in MODELS},
        "mean_forget_gate": forget_gates,
        "linear_max_relative_error": float(max(np.max(np.abs(c - exact) / exact) for c in curves["linear"])),
        "linear_at_quoted_distance": _at(curves["linear"], config.quoted_distance),
        "quoted_distance": config.quoted_distance,
    }


def summarise(curves: list[np.ndarray], config: Config) -> dict[str, Any]:
    """Per-seed decay fits and reach, and the curve across seeds (median, min, max) for plotting."""
    stack = np.stack(curves)  # (seeds, T)
    k = stored_distances(config.max_distance)
    median = np.median(stack, axis=0)
    fits = [fit_decay(c, config.floor) for c in curves]
    return {
        "slopes": [f[0] for f in fits],
        "fit_until": [f[1] for f in fits],
        "reach": [reach(c, config.threshold) for c in curves],
        "max_over_min": [float(c[1:].max() / c[1:].min()) if c[1:].min() > 0 else None for c in curves],
        "median_max_over_min": float(median[1:].max() / median[1:].min()) if median[1:].min() > 0 else None,
        "far_level": float(np.median(stack[:, 1:])),  # typical gradient at k >= 1, relative to k = 0
        "k": k.tolist(),
        "median": _rounded(median[k]),
        "low": _rounded(stack.min(axis=0)[k]),
        "high": _rounded(stack.max(axis=0)[k]),
    }


def stored_distances(max_distance: int) -> np.ndarray:
    """Every k up to NEAR_STORED, then every stride-th to K, and K itself: about STORED_POINTS in all."""
    stride = max(1, max_distance // STORED_POINTS)
    k = set(range(min(max_distance, NEAR_STORED) + 1)) | set(range(0, max_distance + 1, stride)) | {max_distance}
    return np.array(sorted(k))


def fit_decay(relative: np.ndarray, floor: float) -> tuple[float, int]:
    """Least-squares slope of ln(norm) per step over k = 1.. the last k before the norm drops below floor.

    k = 0 is left out: there the last input also reaches y_T directly (attention's query, a gated
    net's output path), which is not the step-to-step decay.
    """
    below = np.flatnonzero(relative < floor)
    end = int(below[0]) - 1 if below.size else len(relative) - 1
    k = np.arange(1, end + 1)
    slope, _ = np.polyfit(k, np.log(relative[k]), 1)
    return float(slope), end


def reach(relative: np.ndarray, threshold: float) -> int | None:
    """The first distance k at which the gradient is below threshold times its k = 0 value; None: beyond K."""
    below = np.flatnonzero(relative < threshold)
    return int(below[0]) if below.size else None


def _at(curves: list[np.ndarray], k: int) -> float | None:
    return float(np.median([c[k] for c in curves])) if k < len(curves[0]) else None


def _rounded(values: np.ndarray) -> list[float]:
    """Six significant digits: plenty for a plot, and the stored JSON stays small."""
    return [float(f"{v:.6g}") for v in values]
