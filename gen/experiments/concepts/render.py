"""Concept diagrams: the dependency graphs of a recurrence and of attention, lesson 1's worked examples
as weights, and the causal mask. Drawn from the data the experiment computed (matplotlib only)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from gen.experiments.concepts import render_mechanisms as mechanisms
from gen.experiments.concepts.readings import chunked_rounds
from gen.render.model import Figure, Table, Value, computed
from gen.render.style import Theme, new_figure
from gen.render.units import binary_bytes_tick

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
            "diagonal (the future) are set to −∞ before the softmax, so their weights are zero. "
            "In training every row is computed at "
            "once, one matrix product for the whole sequence, with each position predicting the next token. "
            "In generation the rows arrive one at a time: each new token adds one row, which reads the keys "
            "already in the KV cache.",
        ),
        *_mechanism_figures(data),
    ])


def _mechanism_figures(data: dict[str, Any]) -> list[Figure]:
    layer, growth, scan = data["transformer_layer"], data["kv_growth"], data["chunked_scan"]
    T, d = layer["input"]
    h, _, dk = layer["keys"]
    model, state = growth["model"], growth["state"]
    per_token, steps = binary_bytes_tick(growth["bytes_per_token"]), len(growth["steps"])
    rounds, combines = chunked_rounds(scan)
    counts, loop = scan["counts"], scan["expected"]["loop"]
    chunks = scan["T"] // scan["chunk"]
    return [
        Figure(
            "lstm_cell", lambda theme: mechanisms.lstm_cell(theme),
            alt="An LSTM cell. Along the top, the cell state runs in a straight line from c_(t-1) to c_t, "
            "passing only a multiplication by the forget gate f and an addition of i times g. Below, the "
            "previous hidden state h_(t-1) and the input x_t feed four boxes: the forget, input and output "
            "gates f, i and o (sigmoid) and the candidate g (tanh). On the right, tanh of c_t is multiplied "
            "by o to give h_t.",
            caption="Follow the top line: the cell state goes from c_(t-1) to c_t through one element-wise "
            "multiplication by the forget gate and one addition, with no weight matrix and no squashing on "
            "the way, so the gradient along it is f itself. Every gate reads h_(t-1) and x_t; h_t is the "
            "output gate times tanh(c_t). The equations drawn are those of PyTorch's nn.LSTMCell (gate "
            "blocks in the order i, f, g, o), checked against it on a seeded step.",
        ),
        Figure(
            "gru_cell", lambda theme: mechanisms.gru_cell(theme),
            alt="A GRU cell. Along the top, the hidden state runs in a straight line from h_(t-1) to h_t, "
            "multiplied by the update gate z and then added to (1 - z) times the candidate h~. Below, "
            "h_(t-1) and x_t feed the update gate z and the reset gate r (sigmoid) and the candidate h~ "
            "(tanh); r scales what the candidate reads of h_(t-1).",
            caption="Follow the top line: the new state is a blend, h_t = z ⊙ h_(t-1) + (1 − z) ⊙ h~, so "
            "the old state reaches h_t through one multiplication by z and one addition. The convention "
            "is Cho et al. 2014's and PyTorch's nn.GRUCell's, z being the share of the old state kept; "
            "some texts swap z and 1 − z. PyTorch applies r to the product W h_(t-1) + b rather than to "
            "h_(t-1) itself; the drawn equations in PyTorch's form are checked against nn.GRUCell on a "
            "seeded step.",
        ),
        Figure(
            "transformer_layer", lambda theme: mechanisms.transformer_layer(data, theme),
            alt="A pre-norm decoder layer drawn left to right. The residual stream runs straight along "
            "the bottom from x to y, shape (T, d). A first branch leaves it, passes LayerNorm and causal "
            "multi-head attention, whose keys and values have shape (h, T, d_k), and is added back; a "
            "second branch passes LayerNorm and an MLP widening to (T, 4d) and back to d, and is added back.",
            caption="Follow the bottom line: the residual stream carries a (T, d) matrix straight through "
            "the layer, and each sublayer reads a normalised copy and adds its result back. Attention splits "
            "the width into h heads of d_k = d / h and is the only part where positions exchange "
            "information; the MLP widens each position to 4d and back. The sizes are those PyTorch reports "
            f"inside one layer of the kv_cache experiment's toy decoder: T = {T} tokens, d = {d}, "
            f"h = {h} heads of d_k = {dk}.",
        ),
        Figure(
            "kv_cache_growth", lambda theme: mechanisms.kv_cache_growth(data, theme),
            alt=f"Top: over decode steps 1 to {steps}, one layer's KV cache drawn as two stacks, K and V, "
            f"each gaining one row per step, the newest highlighted; the whole cache is {per_token} per token "
            f"for a {model['name']} shape, {binary_bytes_tick(growth['steps'][-1]['cache_bytes'])} after "
            f"{steps} tokens. Bottom: a recurrent state of one fixed size, {binary_bytes_tick(state['bytes'])} "
            "for a Mamba-2.8B-like shape, replaced by a new state of the same size at every step.",
            caption=f"Compare the two rows: the cache keeps one more K row and V row per token in each of "
            f"{model['layers']} layers ({model['kv_heads']} key/value heads of {model['head_dim']} numbers "
            f"in 2 bytes: {per_token} a token for a {model['name']} shape, by the kv_cache experiment's "
            f"formula), while the state of a {state['name']} shape stays at "
            f"{binary_bytes_tick(state['bytes'])} and is overwritten. The state starts larger; the cache "
            f"passes it at {growth['crossover_tokens']} tokens and keeps growing. Blocks are not to scale.",
        ),
        Figure(
            "chunked_scan", lambda theme: mechanisms.chunked_scan(data, theme),
            alt=f"A scan of h_t = a_t h_(t-1) + b_t over {scan['T']} elements in {chunks} chunks of "
            f"{scan['chunk']}, time running downwards. Step 1: inside every chunk at once, a "
            f"{counts['local'][0]}-round scan. Step 2: arrows carry the state from each chunk's last "
            "element to the next chunk's last element, one chunk after another. Step 3: in one round, "
            "each chunk's other elements take in the state that entered their chunk. Green nodes hold "
            "their final state.",
            caption=f"Read it top to bottom: T = {scan['T']}, chunks of C = {scan['chunk']}. Step 1 scans "
            f"every chunk at the same time ({counts['local'][0]} rounds, {counts['local'][1]} combines "
            f"per chunk); step 2 is the only sequential part, {counts['carry'][0]} hand-offs from chunk to "
            f"chunk (T/C); step 3 corrects the other elements in one round ({counts['correct'][1]} "
            f"combines). In all {rounds} rounds and {combines} combines, against the loop's {loop[0]} and "
            f"{loop[1]}. Computed with the parallel_scan experiment's combine, schedules and count formulas "
            "on random a_t and b_t; the result equals its sequential loop's.",
        ),
    ]


def tables(data: dict[str, Any]) -> list[Table]:
    return []


def values(data: dict[str, Any]) -> list[Value]:
    growth, scan = data["kv_growth"], data["chunked_scan"]
    rounds, combines = chunked_rounds(scan)
    return computed([
        Value("graph_length", GRAPH_T, "d", "", "positions in the dependency graphs"),
        Value("kv_growth_crossover_tokens", growth["crossover_tokens"], ",d", " tokens",
              f"tokens at which a {growth['model']['name']} KV cache outgrows a {growth['state']['name']} state"),
        Value("chunked_scan_rounds", rounds, "d", "", f"rounds of the chunked scan of T = {scan['T']}, "
              f"C = {scan['chunk']} (the loop: {scan['expected']['loop'][0]})"),
        Value("chunked_scan_combines", combines, "d", "", f"combines of the chunked scan of T = {scan['T']}, "
              f"C = {scan['chunk']} (the loop: {scan['expected']['loop'][1]})"),
    ])


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


# ---- mechanism diagrams ---------------------------------------------------------------------------


