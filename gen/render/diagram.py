"""Boxes, wires and operator nodes for block diagrams, in the site's style: a blank canvas in data
coordinates, so a diagram is laid out on a grid of plain numbers and reads the same in both themes.

Text is large on purpose: figures shrink to about 350 px on a phone, half their drawn width.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from gen.render.style import Theme

LABEL = 14  # box and wire labels: about 10 px on a phone
SMALL = 12  # shapes and notes


def canvas(width: float, height: float, size: tuple[float, float]):
    """A figure with one axes spanning (0, width) x (0, height), equal scales, no frame."""
    plt.rcParams["mathtext.fontset"] = "dejavusans"  # inside themed(): restored afterwards
    fig = plt.figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def box(ax, theme: Theme, centre: tuple[float, float], size: tuple[float, float], text: str, role: str,
        fontsize: float = LABEL) -> None:
    """A rounded box tinted with the role's colour, its outline in that colour, the text in the theme's."""
    (x, y), (w, h) = centre, size
    colour = theme.color(role)
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.12",
                                facecolor=colour + "33", edgecolor=colour, linewidth=1.6, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=theme.foreground, zorder=4)


def operator(ax, theme: Theme, centre: tuple[float, float], symbol: str, role: str = "reference",
             radius: float = 0.24) -> None:
    """A circle holding an element-wise operation: × or +."""
    colour = theme.color(role)
    ax.add_patch(Circle(centre, radius, facecolor=theme.color(role) + "22", edgecolor=colour, linewidth=1.6,
                        zorder=3))
    ax.text(*centre, symbol, ha="center", va="center_baseline", fontsize=LABEL, color=theme.foreground, zorder=4)


def wire(ax, theme: Theme, points: Sequence[tuple[float, float]], role: str = "reference", width: float = 1.5,
         arrow: bool = True, gap: float = 0.0) -> None:
    """A polyline through points; an arrowhead at the end, stopping `gap` short of it (a node's radius)."""
    colour = theme.color(role)
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1e-9)
    points = [*points[:-1], (x1 - gap * (x1 - x0) / length, y1 - gap * (y1 - y0) / length)]
    xs, ys = zip(*points, strict=True)
    if len(points) > 2:
        ax.plot(xs[:-1], ys[:-1], color=colour, linewidth=width, solid_capstyle="round", zorder=2)
    if arrow:
        ax.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle="-|>", mutation_scale=12 + 2 * width,
                                     color=colour, linewidth=width, shrinkA=0, shrinkB=0, zorder=2))
    else:
        ax.plot(xs[-2:], ys[-2:], color=colour, linewidth=width, solid_capstyle="round", zorder=2)


def label(ax, theme: Theme, xy: tuple[float, float], text: str, fontsize: float = LABEL, role: str | None = None,
          **kwargs) -> None:
    """Text at xy in the theme's colour, or in a role's colour."""
    kwargs = {"ha": "center", "va": "center", **kwargs}
    ax.text(*xy, text, fontsize=fontsize, color=theme.color(role) if role else theme.foreground, zorder=5, **kwargs)
