"""Concept diagrams: the dependency graphs of a recurrence and of attention, lesson 1's worked examples
as weights, and the causal mask. Drawn from the data the experiment computed (matplotlib only)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from gen.render.model import Figure, Table, Value, computed
from gen.render.style import Theme, new_figure

GRAPH_T = 6  # positions in the dependency graphs: enough to see a chain, few enough to read


def figures(data: dict[str, Any]) -> list[Figure]:
    weights = data["attention"]["weights"]
    return computed([
        Figure(
            "dependency_graphs", lambda theme: _dependency_graphs(theme),
            alt=f"Two graphs over {GRAPH_T} positions. Left, a recurrence: each state h_t depends on x_t and on "
            f"h_(t-1), so x_1 reaches h_{GRAPH_T} only along a chain of {GRAPH_T} steps. Right, self-attention: "
            "every output is connected to every input directly, so any input reaches any output in one step.",
            caption="What waits for what. In a recurrence every state waits for the one before it: the path "
            f"from the first input to the last state (highlighted) is {GRAPH_T} steps long, and so is the "
            "computation's depth. In self-attention every output reads every input at once: the path is one "
            "step, and all outputs can be computed together.",
        ),
        Figure(
            "worked_examples", lambda theme: _worked_examples(data, theme),
            alt="Left: a 4 by 4 grid of the weight each input x_s has in each state h_t of h = 0.5 h + x: 1 on "
            "the diagonal, halving with every step back (0.5, 0.25, 0.125), zero above the diagonal. Right: "
            f"the attention weights of lesson 1's example, {weights[0]:.3f}, {weights[1]:.3f} and "
            f"{weights[2]:.3f} for keys 1, 2 and 3.",
            caption=f"Lesson 1's two worked examples as weights. The recurrence's input x_1 counts "
            f"{data['influence'][-1][0]:g} in h_4: three halvings. Attention weighs keys 1 and 3 alike "
            f"({weights[0]:.3f}) because they match the query equally, wherever they stand; the output is "
            f"{data['attention']['output']:.1f}.",
        ),
        Figure(
            "causal_mask", lambda theme: _causal_mask(data, theme),
            alt=f"A {len(data['causal_weights'])} by {len(data['causal_weights'])} grid of attention weights "
            "with every cell above the diagonal masked: query i gives weight only to keys 1 to i, and each row "
            "sums to 1.",
            caption="The causal mask. Each row is one position's attention weights over the keys; cells above the "
            "diagonal (the future) are masked to zero before the softmax. In training every row is computed at "
            "once, one matrix product for the whole sequence, with each position predicting the next token. "
            "In generation the rows arrive one at a time: each new token adds one row, which reads the keys "
            "already in the KV cache.",
        ),
    ])


def tables(data: dict[str, Any]) -> list[Table]:
    return []


def values(data: dict[str, Any]) -> list[Value]:
    return computed([Value("graph_length", GRAPH_T, "d", "", "positions in the dependency graphs")])


# ---- drawing --------------------------------------------------------------------------------------


def _dependency_graphs(theme: Theme):
    fig, (left, right) = new_figure(theme, ncols=2)
    positions = np.arange(1, GRAPH_T + 1)
    quiet, chain, hop = theme.color("reference"), theme.color("recurrent"), theme.color("parallel")
    for ax in (left, right):
        ax.set_xlim(0.4, GRAPH_T + 0.6)
        ax.set_ylim(-0.5, 1.6)
        ax.axis("off")
    for t in positions:  # recurrence: x_t -> h_t, and h_(t-1) -> h_t
        left.annotate("", (t, 1), (t, 0), arrowprops={"arrowstyle": "-|>", "color": chain if t == 1 else quiet,
                                                      "linewidth": 1.8 if t == 1 else 0.9, "shrinkA": 9, "shrinkB": 9})
        if t > 1:
            left.annotate("", (t, 1), (t - 1, 1), arrowprops={"arrowstyle": "-|>", "color": chain, "linewidth": 1.8,
                                                              "shrinkA": 9, "shrinkB": 9})
    for i in positions:  # attention: every x_j -> every y_i
        for j in positions:
            highlight = (i, j) == (GRAPH_T, 1)
            right.plot([j, i], [0, 1], color=hop if highlight else quiet, linewidth=1.8 if highlight else 0.5,
                       alpha=1.0 if highlight else 0.6, zorder=2 if highlight else 1)
    for ax, top in ((left, "h"), (right, "y")):
        ax.scatter(positions, np.zeros(GRAPH_T), s=330, color=theme.color("builtin"), zorder=3)
        ax.scatter(positions, np.ones(GRAPH_T), s=330, color=theme.color("extra"), zorder=3)
        for t in positions:
            ax.annotate(f"x{_sub(t)}", (t, 0), ha="center", va="center", fontsize=8, color="#111111", zorder=4)
            ax.annotate(f"{top}{_sub(t)}", (t, 1), ha="center", va="center", fontsize=8, color="#111111", zorder=4)
    left.set_title(f"Recurrence: x₁ reaches h{_sub(GRAPH_T)} in {GRAPH_T} steps", fontsize=10)
    right.set_title(f"Self-attention: x₁ reaches y{_sub(GRAPH_T)} in 1 step", fontsize=10)
    return fig


def _worked_examples(data: dict[str, Any], theme: Theme):
    fig, (left, right) = new_figure(theme, ncols=2)
    influence = np.array(data["influence"])
    T = len(influence)
    _heat(left, influence, theme, masked=np.triu(np.ones((T, T), dtype=bool), 1), fmt="{:g}", masked_label="0")
    left.set_xticks(range(T), [f"x{_sub(s + 1)}" for s in range(T)])
    left.set_yticks(range(T), [f"h{_sub(t + 1)}" for t in range(T)])
    left.set_title(f"Weight of each input in each state, h = {data['decay']:g}·h + x", fontsize=9)
    weights = data["attention"]["weights"]
    bars = right.bar(range(1, len(weights) + 1), weights, color=theme.color("parallel"), width=0.6)
    for bar, weight, value in zip(bars, weights, data["attention"]["values"], strict=True):
        right.annotate(f"{weight:.3f}\n(value {value:g})", (bar.get_x() + bar.get_width() / 2, weight),
                       xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=8)
    right.set_xticks(range(1, len(weights) + 1), [f"key {j}" for j in range(1, len(weights) + 1)])
    right.set_ylim(0, max(weights) * 1.45)
    right.set_ylabel("attention weight")
    right.set_title(f"Attention weights, output {data['attention']['output']:.1f}", fontsize=9)
    return fig


def _causal_mask(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    weights = np.array(data["causal_weights"])
    T = len(weights)
    _heat(ax, weights, theme, masked=np.triu(np.ones((T, T), dtype=bool), 1), fmt="{:.2f}", masked_label="masked")
    ax.set_xticks(range(T), [f"key {j + 1}" for j in range(T)])
    ax.set_yticks(range(T), [f"query {i + 1}" for i in range(T)])
    ax.set_title("Causal attention weights: the future is masked", fontsize=10)
    return fig


def _heat(ax, grid: np.ndarray, theme: Theme, masked: np.ndarray, fmt: str, masked_label: str) -> None:
    """A grid of weights in shades of one colour, each cell labelled; masked cells left blank and marked."""
    ramp = LinearSegmentedColormap.from_list("weights", [theme.grid, theme.color("parallel")])
    shown = np.ma.masked_array(grid, mask=masked)
    ax.imshow(shown, cmap=ramp, vmin=0, vmax=max(1e-9, grid.max()), aspect="equal")
    for (i, j), value in np.ndenumerate(grid):
        if masked[i, j]:
            ax.annotate(masked_label, (j, i), ha="center", va="center", fontsize=6.5, color=theme.color("reference"))
        else:
            ink = "#ffffff" if value > 0.55 * grid.max() else theme.foreground
            ax.annotate(fmt.format(value), (j, i), ha="center", va="center", fontsize=7.5, color=ink)
    ax.grid(False)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
