"""The decision map: the picker's family for each (sequence length, device memory), as two panels."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from gen.experiments.decision_map import readings
from gen.render.axes import log_axis
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value, computed
from gen.render.style import Theme, new_figure
from gen.render.units import count_tick

# Each family in its model's colour (gen/render/style.py); the windowed Transformer in attention's.
ROLE = {"transformer": "transformer", "window": "attention", "ssm": "ssm", "hybrid": "hybrid", "rnn": "lstm"}
PANELS = {"local": "the task is local", "recall": "the task needs exact lookup"}


def figures(data: dict[str, Any]) -> list[Figure]:
    shown = {task: readings.families_shown(data, task) for task in data["maps"]}
    others = {task: [data["families"][k] for k in keys if k != "transformer"] for task, keys in shown.items()}
    # the corner with the shortest context and the most memory: where full attention fits if anywhere
    corner = {task: rows[-1][0]["family"] for task, rows in data["maps"].items()}
    holds = all(family == "transformer" for family in corner.values()) and all(others.values())
    choices = "; ".join(f"when {PANELS[task]}, {_listed([data['families'][k] for k in keys])}"
                        for task, keys in shown.items())
    return computed([Figure(
        "decision_map", lambda theme: _map(data, theme),
        alt="Two maps of sequence length (x, log scale) against device memory (y, log scale), coloured by "
        f"the architecture the picker chooses for a model of {data['params'] / 1e9:g} billion parameters: {choices}.",
        caption=f"What the picker (lesson 6's form, gen/picker/rules.yaml) chooses for a {data['params'] / 1e9:g}-"
        "billion-parameter model as the context and the device's memory change, every other input at its default. "
        "Drawn by asking the picker itself on every cell, so the map and the form cannot disagree.",
        lead=lead("Full attention is the choice where contexts are short and memory plentiful; elsewhere the "
                  "picker turns to "
                  + " and to ".join(f"{_listed(names)} when {PANELS[task]}" for task, names in others.items())
                  + ".",
                  holds, f"family at the shortest context and most memory: {corner}; other families: {others}"),
    )])


def _listed(names: list[str]) -> str:
    return " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)


def tables(data: dict[str, Any]) -> list[Table]:
    return []


def values(data: dict[str, Any]) -> list[Value]:
    return computed([Value(f"families_{task}", len(readings.families_shown(data, task)), "d", "",
                           f"architectures the map shows when {PANELS[task]}") for task in data["maps"]])


def _map(data: dict[str, Any], theme: Theme):
    fig, axes = new_figure(theme, ncols=2)
    keys = list(data["families"])
    colours = ListedColormap([theme.color(ROLE.get(key, "reference")) for key in keys])
    x, y = np.array(data["seq_lens"], float), np.array(data["memories_gib"], float)
    shown = set()
    for ax, task in zip(axes, data["maps"], strict=True):
        codes = np.array([[keys.index(cell["family"]) for cell in row] for row in data["maps"][task]])
        ax.pcolormesh(_edges(x), _edges(y), codes, cmap=colours, vmin=-0.5, vmax=len(keys) - 0.5, shading="flat",
                      rasterized=True)  # one image: vector cells leave hairline seams in browsers
        shown |= set(readings.families_shown(data, task))
        log_axis(ax, "x", count_tick)
        log_axis(ax, "y", lambda v, _: f"{v:g} GiB", subs=(1.0, 3.0))  # three decades: label 1 and 3 in each
        ax.set_title(f"When {PANELS[task]}", fontsize=10)
        ax.set_xlabel("longest sequence (tokens)")
        ax.grid(False)
    axes[0].set_ylabel("device memory")
    handles = [Patch(color=theme.color(ROLE.get(key, "reference")), label=data["families"][key])
               for key in keys if key in shown]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges halfway (in log) between grid points, so each point sits in the middle of its cell."""
    logs = np.log10(centres)
    middle = (logs[:-1] + logs[1:]) / 2
    return 10 ** np.concatenate([[logs[0] - (middle[0] - logs[0])], middle, [logs[-1] + (logs[-1] - middle[-1])]])
