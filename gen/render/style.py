"""One look for every figure of the site, in a light and a dark variant, saved reproducibly."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display; and importing pyplot must never try to open one
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gen.render.translate import font_of  # noqa: E402

# Okabe-Ito colours stay distinguishable for the common colour-vision deficiencies; each role keeps
# its hue in both themes, lightened where the dark background needs it.
_ROLES_LIGHT = {
    "recurrent": "#D55E00",  # step-by-step loops
    "parallel": "#0072B2",  # one vectorised operation
    "builtin": "#009E73",  # a built-in reduction
    "extra": "#CC79A7",
    "reference": "#6b6b6b",  # guide lines, claims we test
}
_ROLES_DARK = {
    "recurrent": "#FF8A3D",
    "parallel": "#56B4E9",
    "builtin": "#3FD0A4",
    "extra": "#E7A3CB",
    "reference": "#a0a0a0",
}


# One colour per model, the same in every figure of the site, so that a reader who has learnt that the
# LSTM is vermillion finds it so everywhere (Okabe-Ito hues and two darker companions). Variants of a
# model (cuDNN off, a forget bias, grouped-query attention) keep its colour and change the line style.
_MODELS_LIGHT = {
    "rnn": "#E69F00", "lstm": "#D55E00", "gru": "#CC79A7",
    "attention": "#009E73", "attention_core": "#56B4E9", "transformer": "#0072B2",
    "ssm": "#9A7B00", "linear_attention": "#6A3D9A", "hybrid": "#882255",
}
_MODELS_DARK = {
    "rnn": "#F5B83D", "lstm": "#FF8A3D", "gru": "#E7A3CB",
    "attention": "#3FD0A4", "attention_core": "#8FD3F7", "transformer": "#5FA8FF",
    "ssm": "#E6C34D", "linear_attention": "#B79CE0", "hybrid": "#E27BA8",
}
_ROLES_LIGHT |= _MODELS_LIGHT  # a model's name is a colour role like "reference"
_ROLES_DARK |= _MODELS_DARK


@dataclass(frozen=True)
class Theme:
    name: str  # "light" or "dark"
    foreground: str
    grid: str
    roles: dict[str, str]

    def color(self, role: str) -> str:
        return self.roles[role]

    def rc(self) -> dict[str, object]:
        return {
            "figure.figsize": (7.2, 3.8),
            "figure.dpi": 100,
            "font.family": "sans-serif",
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.which": "major",
            "grid.color": self.grid,
            "grid.linewidth": 0.6,
            "lines.linewidth": 1.8,
            "lines.markersize": 4.5,
            "text.color": self.foreground,
            "axes.labelcolor": self.foreground,
            "axes.edgecolor": self.foreground,
            "axes.titlecolor": self.foreground,
            "xtick.color": self.foreground,
            "ytick.color": self.foreground,
            "axes.facecolor": "none",
            "figure.facecolor": "none",
            "savefig.facecolor": "none",
            # Text stays text (small files, crisp, searchable); ids are salted, so output is stable.
            "svg.fonttype": "none",
            "svg.hashsalt": "recurrence-vs-attention",
        }


LIGHT = Theme("light", foreground="#1f2328", grid="#e3e3e3", roles=_ROLES_LIGHT)
DARK = Theme("dark", foreground="#e6e6e6", grid="#3a3d45", roles=_ROLES_DARK)
THEMES = (LIGHT, DARK)


def new_figure(theme: Theme, ncols: int = 1) -> tuple[Figure, list]:
    """A figure in the site's style; call inside `themed(theme)`."""
    fig, axes = plt.subplots(1, ncols, layout="constrained")
    return fig, list(axes) if ncols > 1 else [axes]


def themed(theme: Theme):
    return plt.rc_context(theme.rc())


def in_language(language: str | None):
    """Inside `themed()`: draw in the language's font (gen/render/translate.py) with its glyphs written
    as paths, so a reader needs no such font; English (None) keeps its text as text."""
    if language is None:
        return contextlib.nullcontext()
    font = font_of(language)
    if font is None:
        raise FileNotFoundError(font)
    _register(font)
    family = font_manager.FontProperties(fname=font).get_name()
    # DejaVu Sans (matplotlib's own) draws the few signs Noto Sans SC lacks, such as ᵀ
    return plt.rc_context({"font.family": [family, "DejaVu Sans"], "svg.fonttype": "path"})


_registered: set[Path] = set()


def _register(font: Path) -> None:
    if font not in _registered:
        font_manager.fontManager.addfont(str(font))
        _registered.add(font)


def svg_bytes(fig: Figure) -> bytes:
    """The figure as SVG with no date or software version in it, so equal data gives equal bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    plt.close(fig)
    return _compact_paths(buffer.getvalue())


# matplotlib writes path coordinates to a millionth of a point, one command a line. A hundredth of a
# point is a fortieth of a pixel at the largest a figure is shown, so paths keep two decimals, on one
# line, with no repeated line command: the largest figure (gradient_vs_distance) shrinks by a third.
_PATH_DATA = re.compile(rb'(\sd=")([^"]*)(")')
_LONG_DECIMAL = re.compile(rb"(-?\d+\.\d{3,})")
_REPEATABLE = {b"L", b"C", b"Q"}  # a repeated M would mean a line, so it stays


def _compact_paths(svg: bytes) -> bytes:
    def rounded(number: re.Match) -> bytes:
        text = b"%.2f" % float(number.group(1))
        text = text.rstrip(b"0").rstrip(b".")
        return b"0" if text in (b"-0", b"") else text

    def compact(match: re.Match) -> bytes:
        tokens, last = [], None
        for token in _LONG_DECIMAL.sub(rounded, match.group(2)).split():
            if token == last and token in _REPEATABLE:  # "L 1 2 L 3 4" is "L 1 2 3 4"
                continue
            if token.isalpha():
                last = token
            tokens.append(token)
        return match.group(1) + b" ".join(tokens) + match.group(3)

    return _PATH_DATA.sub(compact, svg)
