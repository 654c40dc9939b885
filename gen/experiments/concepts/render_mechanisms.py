"""The five mechanism diagrams of the concepts experiment: the LSTM and GRU cells, a Transformer
layer, a KV cache growing beside a fixed state, and a chunked scan (render.py puts them in figures)."""

from __future__ import annotations

from typing import Any

from matplotlib.patches import FancyArrowPatch, Rectangle

from gen.experiments.concepts.readings import chunked_rounds
from gen.experiments.parallel_scan.formulas import holds_after
from gen.render.diagram import SMALL, box, canvas, label, operator, wire
from gen.render.style import Theme
from gen.render.units import binary_bytes_tick


def lstm_cell(theme: Theme):
    fig, ax = canvas(10, 5.4, (7.2, 3.9))
    top, gates, bus = 4.4, 2.1, 0.8
    label(ax, theme, (0.5, top), r"$c_{t-1}$")
    label(ax, theme, (9.5, top), r"$c_t$")
    label(ax, theme, (0.5, bus), r"$h_{t-1}$")
    label(ax, theme, (1.7, 0.15), r"$x_t$")
    label(ax, theme, (9.5, gates), r"$h_t$")
    # the cell path: one multiplication by f and one addition, nothing else between c_(t-1) and c_t
    _state_path(ax, theme, "lstm", top, (2.6, 4.6), r"$c_t = f \odot c_{t-1} + i \odot g$")
    wire(ax, theme, [(1.0, bus), (6.6, bus)], arrow=False)  # [h_(t-1), x_t] feeds every gate
    wire(ax, theme, [(1.7, 0.4), (1.7, bus)], arrow=False)
    for x, text in ((2.6, "f (σ)"), (3.7, "i (σ)"), (5.3, "g (tanh)"), (6.6, "o (σ)")):
        wire(ax, theme, [(x, bus), (x, gates - 0.35)])
        box(ax, theme, (x, gates), (1.45 if "tanh" in text else 0.95, 0.7), text, "lstm")
    wire(ax, theme, [(2.6, gates + 0.35), (2.6, top)], gap=0.24)
    operator(ax, theme, (4.6, 3.3), "×")
    wire(ax, theme, [(3.7, gates + 0.35), (3.7, 3.3), (4.6, 3.3)], gap=0.24)
    wire(ax, theme, [(5.3, gates + 0.35), (5.3, 3.3), (4.6, 3.3)], gap=0.24)
    wire(ax, theme, [(4.6, 3.3), (4.6, top)], gap=0.24)
    box(ax, theme, (7.9, 3.35), (1.05, 0.55), "tanh", "reference", SMALL)
    wire(ax, theme, [(7.9, top), (7.9, 3.62)])
    wire(ax, theme, [(7.9, 3.08), (7.9, gates)], gap=0.24)
    operator(ax, theme, (7.9, gates), "×")
    wire(ax, theme, [(7.075, gates), (7.9, gates)], gap=0.24)
    wire(ax, theme, [(7.9, gates), (9.0, gates)], gap=0.24)
    label(ax, theme, (8.3, 1.2), r"$h_t = o \odot \tanh(c_t)$", SMALL)
    return fig


def _state_path(ax, theme: Theme, role: str, y: float, at: tuple[float, float], formula: str) -> None:
    """A gated cell's state path, the thick line along the top from x = 1 to 9: one multiplication
    (at[0]) and one addition (at[1]) on it and nothing else, with the update's formula above it."""
    times, plus = at
    wire(ax, theme, [(1.0, y), (times, y)], role, 3.5, gap=0.24)
    wire(ax, theme, [(times, y), (plus, y)], role, 3.5, gap=0.24)
    wire(ax, theme, [(plus, y), (9.0, y)], role, 3.5)
    operator(ax, theme, (times, y), "×", role)
    operator(ax, theme, (plus, y), "+", role)
    label(ax, theme, (5.0, 5.1), formula, role=role)


def gru_cell(theme: Theme):
    fig, ax = canvas(10, 5.4, (7.2, 3.9))
    top, mid, gates, bus = 4.4, 3.3, 2.0, 0.8
    label(ax, theme, (0.5, top), r"$h_{t-1}$")
    label(ax, theme, (9.5, top), r"$h_t$")
    label(ax, theme, (1.8, 0.15), r"$x_t$")
    # the state path: scaled by z, then the candidate's share added; no matrix between h_(t-1) and h_t
    _state_path(ax, theme, "gru", top, (2.3, 7.6), r"$h_t = z \odot h_{t-1} + (1 - z) \odot \tilde h$")
    wire(ax, theme, [(1.3, top), (1.3, bus), (6.2, bus)], arrow=False)  # [h_(t-1), x_t]
    wire(ax, theme, [(1.8, 0.4), (1.8, bus)], arrow=False)
    box(ax, theme, (2.3, gates), (0.95, 0.7), "z (σ)", "gru")
    box(ax, theme, (3.8, gates), (0.95, 0.7), "r (σ)", "gru")
    box(ax, theme, (6.2, gates), (1.5, 0.7), r"$\tilde h$ (tanh)", "gru")
    for x in (2.3, 3.8, 6.2):
        wire(ax, theme, [(x, bus), (x, gates - 0.35)])
    wire(ax, theme, [(2.3, gates + 0.35), (2.3, top)], gap=0.24)  # z keeps a share of the old state
    operator(ax, theme, (3.6, mid), "1−", radius=0.36)
    wire(ax, theme, [(2.3, mid), (3.6, mid)], gap=0.36)
    wire(ax, theme, [(3.96, mid), (7.6, mid)], gap=0.24)
    operator(ax, theme, (7.6, mid), "×")
    operator(ax, theme, (4.9, gates), "×")  # r scales what the candidate reads of h_(t-1)
    wire(ax, theme, [(3.8 + 0.475, gates), (4.9, gates)], gap=0.24)
    wire(ax, theme, [(4.9, bus), (4.9, gates)], gap=0.24)
    wire(ax, theme, [(4.9, gates), (6.2 - 0.75, gates)])
    wire(ax, theme, [(6.95, gates), (7.6, gates), (7.6, mid)], gap=0.24)
    wire(ax, theme, [(7.6, mid), (7.6, top)], gap=0.24)
    return fig


def transformer_layer(data: dict[str, Any], theme: Theme):
    layer = data["transformer_layer"]
    fig, ax = canvas(14.0, 4.9, (7.2, 2.6))
    spine, branch = 1.0, 2.75
    T, d = layer["input"]
    h, _, dk = layer["keys"]
    hidden = layer["mlp_hidden"][1]
    label(ax, theme, (0.3, spine), r"$x$")
    label(ax, theme, (13.75, spine), r"$y$")
    wire(ax, theme, [(0.6, spine), (7.3, spine)], "transformer", 3.5, gap=0.24)  # the residual stream
    wire(ax, theme, [(7.3, spine), (12.9, spine)], "transformer", 3.5, gap=0.24)
    wire(ax, theme, [(12.9, spine), (13.45, spine)], "transformer", 3.5)
    operator(ax, theme, (7.3, spine), "+", "transformer")
    operator(ax, theme, (12.9, spine), "+", "transformer")
    # (start on the stream, LayerNorm's centre, the sublayer's centre and width, where it adds back)
    for start, norm, block, width, end, text in ((1.1, 2.3, 5.2, 2.3, 7.3, "causal\nmulti-head\nattention"),
                                                 (7.8, 9.0, 11.4, 2.1, 12.9, "MLP\nd → 4d → d")):
        wire(ax, theme, [(start, spine), (start, branch), (norm - 1.0, branch)])
        box(ax, theme, (norm, branch), (2.0, 0.8), "LayerNorm", "reference", SMALL)
        wire(ax, theme, [(norm + 1.0, branch), (block - width / 2, branch)])
        box(ax, theme, (block, branch), (width, 1.6), text, "transformer", SMALL)
        wire(ax, theme, [(block + width / 2, branch), (end, branch), (end, spine)], gap=0.24)
    for x in (4.0, 10.1):
        label(ax, theme, (x, spine - 0.5), f"$(T, d)$  {T} × {d}", SMALL)
    label(ax, theme, (5.2, 4.2), f"$(h, T, d_k)$  {h} × {T} × {dk}", SMALL)
    label(ax, theme, (11.4, 4.2), f"$(T, 4d)$  {T} × {hidden}", SMALL)
    return fig


def kv_cache_growth(data: dict[str, Any], theme: Theme):
    growth = data["kv_growth"]
    steps = growth["steps"]
    fig, ax = canvas(12, 7.0, (7.2, 4.2))
    row_h, col_w, base = 0.3, 0.42, 3.5
    cache, state = theme.color("transformer"), theme.color("ssm")
    label(ax, theme, (0.2, 6.6), f"KV cache, one layer of {growth['model']['layers']}: "
          f"+{binary_bytes_tick(growth['bytes_per_token'])} a token", ha="left")
    label(ax, theme, (0.2, 2.6), f"Fixed state: {binary_bytes_tick(growth['state']['bytes'])}, overwritten",
          ha="left")
    for n, step in enumerate(steps):
        cx = 1.2 + n * 1.95
        for row in range(step["tokens"]):  # one K row and one V row per token; the newest one strong
            newest = row == step["tokens"] - 1
            for dx in (-col_w / 2 - 0.03, col_w / 2 + 0.03):
                ax.add_patch(Rectangle((cx + dx - col_w / 2, base + row * row_h), col_w, row_h * 0.85,
                                       facecolor=cache if newest else cache + "55", edgecolor="none"))
        if n == 0:
            label(ax, theme, (cx - col_w / 2 - 0.03, base - 0.3), "K", SMALL)
            label(ax, theme, (cx + col_w / 2 + 0.03, base - 0.3), "V", SMALL)
        label(ax, theme, (cx, base + len(steps) * row_h + 0.3), binary_bytes_tick(step["cache_bytes"]), SMALL)
        ax.add_patch(Rectangle((cx - 0.5, 1.1), 1.0, 1.0, facecolor=state + "55", edgecolor=state, linewidth=1.6))
        label(ax, theme, (cx, 1.6), f"$h_{step['tokens']}$")
        if n:
            wire(ax, theme, [(cx - 1.4, 1.6), (cx - 0.55, 1.6)], "ssm")
        label(ax, theme, (cx, 0.35), f"step {step['tokens']}", SMALL)
    return fig


def chunked_scan(data: dict[str, Any], theme: Theme):
    scan = data["chunked_scan"]
    T, C = scan["T"], scan["chunk"]
    K, schedule, counts = T // C, scan["local_schedule"], scan["counts"]
    rounds, combines = chunked_rounds(scan)
    fig, ax = canvas(16.9, 6.6, (7.2, 3.4))
    xs = [5.0 + i * 0.66 + (i // C) * 0.45 for i in range(T)]
    ys = [5.2, 4.4, 3.6, 2.3, 0.9]  # inputs, step 1's rounds, step 2, step 3
    # final once an element's map holds every input up to its own: in step 1 only chunk 1's can be
    local = [{i for i, (first, last) in enumerate(spans) if first == 0} for spans in holds_after(schedule, C)]
    done_after = [*local, local[-1] | set(range(C - 1, T, C)), set(range(T))]
    quiet, hop = theme.color("reference"), theme.color("parallel")
    for r, combine_pairs in enumerate(schedule, start=1):  # step 1: the same schedule in every chunk
        pairs = [(k * C + s, k * C + t) for k in range(K) for s, t in combine_pairs]
        targets = {t for _, t in pairs}
        for i in range(T):
            colour, width = (hop, 1.4) if i in targets else (quiet, 0.8)
            ax.plot([xs[i], xs[i]], [ys[r - 1], ys[r]], color=colour, linewidth=width, alpha=1 if i in targets else 0.5)
        for s, t in pairs:
            ax.plot([xs[s], xs[t]], [ys[r - 1], ys[r]], color=hop, linewidth=1.4)
    ends = [k * C + C - 1 for k in range(K)]
    for i in range(T):  # steps 2 and 3: elements not updated keep their maps
        ax.plot([xs[i], xs[i]], [ys[2], ys[3]], color=quiet, linewidth=0.8, alpha=0.5)
        if i < C or i in ends:
            ax.plot([xs[i], xs[i]], [ys[3], ys[4]], color=quiet, linewidth=0.8, alpha=0.5)
    carry = theme.color("recurrent")
    for k in range(1, K):  # step 2: one chunk after another
        ax.add_patch(FancyArrowPatch((xs[ends[k - 1]], ys[3]), (xs[ends[k]], ys[3]), arrowstyle="-|>",
                                     connectionstyle="arc3,rad=-0.35", mutation_scale=14, color=carry, linewidth=1.8,
                                     shrinkA=7, shrinkB=7, zorder=2))
        for j in range(C - 1):  # step 3: the state entering chunk k, applied to its other elements at once
            ax.plot([xs[ends[k - 1]], xs[k * C + j]], [ys[3], ys[4]], color=hop, linewidth=1.2)
    for r, y in enumerate(ys):
        for i, x in enumerate(xs):
            ax.scatter([x], [y], s=110, zorder=3, edgecolors="none",
                       color=theme.color("builtin" if i in done_after[r] else "extra"))
    for k in range(K):
        label(ax, theme, ((xs[k * C] + xs[k * C + C - 1]) / 2, 5.85), f"chunk {k + 1}", SMALL)
    label(ax, theme, (0.1, ys[0]), "inputs", SMALL, ha="left")
    label(ax, theme, (0.1, (ys[1] + ys[2]) / 2), f"step 1: {_rounds(counts['local'][0])}\nall chunks at once", SMALL,
          ha="left")
    label(ax, theme, (0.1, ys[3]), f"step 2: {_rounds(counts['carry'][0])}\nchunk to chunk", SMALL, ha="left")
    label(ax, theme, (0.1, ys[4]), f"step 3: {_rounds(counts['correct'][0])}", SMALL, ha="left")
    loop = scan["expected"]["loop"]
    label(ax, theme, (xs[-1], 0.15), f"{rounds} rounds, {combines} combines; the loop: {loop[0]} and {loop[1]}",
          SMALL, ha="right")
    return fig


def _rounds(n: int) -> str:
    return f"{n} round" + ("" if n == 1 else "s")
