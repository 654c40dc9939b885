"""Figures, table and values of the gradient-distance experiment (matplotlib and NumPy only)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter

from gen.experiments.gradient_distance.readings import (
    ATTENTION_FLAT_BOUND,
    RECURRENT,
    decay_per_step,
    decay_per_step_by_seed,
    median_reach,
)
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value
from gen.render.style import Theme, new_figure
from gen.render.units import count_tick

LABELS = {
    "rnn": "vanilla RNN (tanh)",
    "lstm": "LSTM, default init",
    "lstm_forget_bias_1": "LSTM, forget bias 1",
    "gru": "GRU",
    "attention": "causal self-attention",
    "linear": "linear, h = a·h + x",
}
# (colour: the model's own, gen/render/style.py; line style; marker): the LSTM's two initialisations
# share its colour and differ in line style.
LOOKS = {
    "rnn": ("rnn", "-", "o"),
    "lstm": ("lstm", "-", "s"),
    "lstm_forget_bias_1": ("lstm", "--", "D"),
    "gru": ("gru", "-", "^"),
    "attention": ("attention", "-", "v"),
    "linear": ("reference", ":", None),
}
# The same models named in a sentence (alt texts, leads), where the legend's commas would not read.
PROSE = {
    "rnn": "vanilla RNN", "lstm": "default LSTM", "lstm_forget_bias_1": "LSTM with forget bias 1", "gru": "GRU",
    "attention": "causal self-attention", "linear": "linear recurrence",
}
NEAR = 100  # the left panel's range of distances: where the recurrent nets' gradients vanish
INIT_ONLY = ("Measured on untrained weights: training moves forget gates and recurrent weights, so a "
             "trained LSTM or GRU can decay far more slowly; this is the starting point, not the end.")


def figures(data: dict[str, Any]) -> list[Figure]:
    models = data["models"]
    recurrent = {name: decay_per_step(models[name]) for name in RECURRENT if name in models}
    decaying = all(max(models[name]["slopes"]) < 0 for name in recurrent)
    attention = models["attention"]
    flat = (attention["median_max_over_min"] or math.inf) <= ATTENTION_FLAT_BOUND
    fastest, slowest = min(recurrent, key=recurrent.get), max(recurrent, key=recurrent.get)
    factors = ", ".join(f"{decay_per_step(model):.2f} for the {PROSE[name]}" for name, model in _in_order(models))
    now = (f"largest per-seed slope per step {max(max(models[n]['slopes']) for n in recurrent):.3g} over the "
           f"recurrent nets (decay needs below 0); attention's max ÷ min over k >= 1 "
           f"{attention['median_max_over_min'] or math.inf:.3g} (flat up to {ATTENTION_FLAT_BOUND:g})")
    return [
        Figure(
            "gradient_vs_distance",
            lambda theme: _curves(data, theme),
            alt="Two plots of gradient norm, relative to distance 0, against distance k back from the last "
            f"step, log y axis. The {len(recurrent)} recurrent nets fall along straight lines, that is "
            f"exponentially: the {PROSE[fastest]} fastest, the {PROSE[slowest]} slowest. Self-attention stays "
            f"on a flat band about {1 / attention['far_level']:,.0f} times below its k = 0 value at every "
            f"distance. The linear recurrence falls slowly, as {data['decay']:g} to the k.",
            caption="Gradient of the last output with respect to each earlier input, relative to the "
            "last input's, at initialisation in float64: median over seeds, shaded from the lowest to the "
            "highest seed. A straight line on this log axis is exponential decay. Left: the first "
            f"{NEAR} steps, with the 1e-3 level dashed. Right: the whole sequence. " + INIT_ONLY,
            lead=lead("Every recurrent net's gradient shrinks exponentially with distance, while "
                      "self-attention's stays level however far back the input is.",
                      decaying and flat, now),
        ),
        Figure(
            "decay_per_step",
            lambda theme: _factors(data, theme),
            alt=f"Per-step decay factor of the gradient for each model, one dot per seed (medians): {factors}.",
            caption="How much of the gradient survives each step back: e raised to the fitted slope "
            "of ln(norm) against distance, one dot per seed. A factor f leaves f^k after k steps. " + INIT_ONLY,
            lead=lead(f"Each recurrent net keeps only a fraction of its gradient at every step back, from "
                      f"{recurrent[fastest]:.2f} (the {PROSE[fastest]}) to {recurrent[slowest]:.2f} "
                      f"(the {PROSE[slowest]}), while self-attention keeps "
                      f"{decay_per_step(attention):.2f}.",
                      decaying and flat, now),
        ),
    ]


def tables(data: dict[str, Any]) -> list[Table]:
    rows = []
    for name, model in _in_order(data["models"]):
        factors = decay_per_step_by_seed(model)
        rows.append([
            _label(name, data),
            f"{decay_per_step(model):.3f} ({min(factors):.3f}–{max(factors):.3f})",
            _reach_text(model["reach"], data["max_distance"]),
            _relative_at(model, 10),
            _relative_at(model, 100),
            _relative_at(model, data["max_distance"]),
        ])
    k_max = data["max_distance"]
    return [
        Table(
            "decay_summary",
            ["model", "decay per step (seed range)", "falls below 1e-3 at k", "relative at k = 10",
             "at k = 100", f"at k = {k_max:,}"],
            rows,
            caption=f"Gradient of the last output against distance, at initialisation, float64, width "
            f"{data['width']}, {len(data['seeds'])} seeds (medians). Self-attention's k = 0 includes the "
            "direct path through the last query, so every later distance sits at one flat, lower level.",
        )
    ]


def values(data: dict[str, Any]) -> list[Value]:
    models = data["models"]
    result = [
        Value(f"{name}_decay_per_step", decay_per_step(model), ".3f", "",
              f"per-step decay factor of the gradient, {_label(name, data)}, median over seeds")
        for name, model in _in_order(models)
    ]
    for name in (*RECURRENT, "linear"):
        k = median_reach(models[name]["reach"])
        if k is not None:
            result.append(Value(f"{name}_steps_to_1e3", k, "d", " steps",
                                f"distance at which the gradient falls below 1e-3 of its k = 0 value, {LABELS[name]}"))
    for name, gates in data["mean_forget_gate"].items():
        result.append(Value(f"{name}_forget_gate_mean", float(np.mean(gates)), ".2f", "",
                            f"average forget-gate value at initialisation, {LABELS[name]} (1 = keep everything)"))
    attention = models["attention"]
    result += [
        Value("attention_max_over_min", attention["median_max_over_min"], ".1f", "×",
              "largest over smallest attention gradient over k >= 1 (median over seeds)"),
        Value("attention_seed_max_over_min", max(attention["max_over_min"]), ".0f", "×",
              "largest max/min over k >= 1 within a single seed's attention gradient"),
        Value("attention_near_over_far", 1 / attention["far_level"], ".0f", "×",
              "attention gradient at k = 0 over its typical value at k >= 1"),
        Value("power_at_quoted_distance", data["decay"] ** data["quoted_distance"], ".5f", "",
              f"{data['decay']}^{data['quoted_distance']}, computed"),
        Value("max_distance", data["max_distance"], ",d", " steps", "longest distance measured"),
        Value("seed_count", len(data["seeds"]), "d", "", "initialisations per model"),
        Value("width", data["width"], "d", "", "hidden width of every model"),
        Value("linear_max_relative_error", data["linear_max_relative_error"], ".1e", "",
              f"largest relative gap between the linear recurrence's gradient and {data['decay']}^k"),
    ]
    if data["linear_at_quoted_distance"] is not None:
        result.append(Value("linear_at_quoted_distance", data["linear_at_quoted_distance"], ".5f", "",
                            f"measured gradient of the linear recurrence at k = {data['quoted_distance']}"))
    return result


# helpers ------------------------------------------------------------------------------------------


def _curves(data: dict[str, Any], theme: Theme):
    fig, (near, far) = new_figure(theme, ncols=2)
    for name, model in _in_order(data["models"]):
        role, style, _ = LOOKS[name]
        color = theme.color(role)
        k = np.asarray(model["k"])
        label = _label(name, data)
        for ax, keep in ((near, k <= NEAR), (far, k >= 0)):
            ks = k[keep]
            median = _positive(model["median"], keep)
            ax.plot(ks, median, color=color, linestyle=style, label=label, linewidth=1.5)
            ax.fill_between(ks, _positive(model["low"], keep), _positive(model["high"], keep),
                            color=color, alpha=0.15, linewidth=0)
    for ax in (near, far):
        ax.set_yscale("log")  # before the locators: setting the scale resets them
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("distance back from the last step, k (steps)")
    near.axhline(data["threshold"], color=theme.color("reference"), linewidth=0.8, linestyle="--")
    near.set_xlim(0, NEAR)
    near.set_ylim(1e-16, 3)
    near.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
    near.set_title(f"first {NEAR} steps")
    far.set_xlim(0, data["max_distance"])
    far.set_ylim(1e-300, 10)  # float64 underflows at about 1e-308
    far.yaxis.set_major_locator(FixedLocator([10.0 ** -e for e in range(0, 301, 50)]))
    far.xaxis.set_major_formatter(FuncFormatter(count_tick))
    far.set_title(f"whole sequence, to k = {data['max_distance']:,}")
    near.set_ylabel("gradient norm ÷ norm at k = 0")
    fig.legend(*near.get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=8.5)
    return fig


def _factors(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    names = [name for name, _ in _in_order(data["models"])]
    for row, name in enumerate(names):
        role, _, marker = LOOKS[name]
        factors = decay_per_step_by_seed(data["models"][name])
        ax.plot(factors, [row] * len(factors), linestyle="none", marker=marker or "o", markersize=6,
                color=theme.color(role), alpha=0.8)
    ax.set_yticks(range(len(names)), [_label(n, data) for n in names])
    ax.set_xlim(0, 1.05)
    ax.axvline(1.0, color=theme.color("reference"), linewidth=0.8)
    ax.set_xlabel("gradient kept per step back (factor, 1 = no decay)")
    ax.invert_yaxis()
    return fig


def _label(name: str, data: dict[str, Any]) -> str:
    return LABELS[name].replace("a·h", f"{data['decay']:g}·h")


def _in_order(models: dict[str, Any]) -> list[tuple[str, Any]]:
    """Models in LABELS order (stored JSON sorts its keys): recurrent nets first, then the references."""
    return [(name, models[name]) for name in LABELS if name in models]


def _positive(values: list[float], keep: np.ndarray) -> np.ndarray:
    """Zeros (underflow past 1e-308) become NaN, which a log axis leaves out instead of failing."""
    array = np.asarray(values, dtype=float)[keep]
    return np.where(array > 0, array, np.nan)


def _reach_text(reaches: list[int | None], max_distance: int) -> str:
    k = median_reach(reaches)
    if k is None:
        return f"beyond {max_distance:,}"
    found = [r for r in reaches if r is not None]
    spread = f" ({min(found)}–{max(found)})" if len(found) == len(reaches) and min(found) != max(found) else ""
    return f"{k}{spread}"


def _relative_at(model: dict[str, Any], k: int) -> str:
    by_k = dict(zip(model["k"], model["median"], strict=True))
    value = by_k.get(k)
    if value is None:
        return "—"
    return "below 1e-308" if value == 0 else f"{value:.2g}"  # 0: float64 underflowed
