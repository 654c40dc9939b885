"""What an experiment's render.py returns: figures, tables and values, each under a short key.

A page refers to them as ``<experiment>.<key>``, e.g. ``serial_depth.time_vs_length``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypedDict, TypeVar

from matplotlib.figure import Figure as MplFigure

from gen.render.lead import Lead
from gen.render.numbers import measured_text
from gen.render.style import Theme

# What build/rendered/manifest.json holds for each item: written by the entry() methods below
# (gen/render/build.py), read by the site's hooks (site_src/manifest.py, site_src/embed.py).


class FigureEntry(TypedDict):
    light: str  # the SVG's path under build/rendered
    dark: str
    alt: str
    caption: str
    computed: bool


class TableEntry(TypedDict):
    markdown: str
    caption: str
    computed: bool


class ValueEntry(TypedDict):
    value: float | int | None
    format: str
    unit: str
    label: str
    missing: str
    computed: bool
    spread: float | None


@dataclass(frozen=True)
class Figure:
    key: str
    draw: Callable[[Theme], MplFigure]  # called once per theme (light, dark)
    alt: str  # what the figure shows, for readers who cannot see it
    caption: str  # how to read it; the device and date are appended by the site
    computed: bool = False  # arithmetic from formulas, not a measurement: the caption says "computed"
    # What to see, judged on the data (gen/render/lead.py): the caption opens with it. Every measured
    # figure has one (tests/gen/test_render_leads.py).
    lead: Lead | None = None

    @property
    def full_caption(self) -> str:
        return f"{self.lead.sentence} {self.caption}" if self.lead else self.caption

    def entry(self, files: dict[str, str]) -> FigureEntry:
        """The manifest's entry, given the SVG drawn for each theme (light, dark)."""
        return FigureEntry(light=files["light"], dark=files["dark"], alt=self.alt, caption=self.full_caption,
                           computed=self.computed)


@dataclass(frozen=True)
class Table:
    key: str
    columns: list[str]
    rows: list[list[str]]
    caption: str
    align: str = ""  # one of l, c, r per column; numbers default to right-aligned
    computed: bool = False  # arithmetic from formulas, not a measurement: the caption says "computed"

    def entry(self) -> TableEntry:
        return TableEntry(markdown=self.markdown(), caption=self.caption, computed=self.computed)

    def markdown(self) -> str:
        align = self.align or "l" + "r" * (len(self.columns) - 1)
        rule = {"l": ":--", "c": ":-:", "r": "--:"}
        lines = [
            "| " + " | ".join(_cell(c) for c in self.columns) + " |",
            "| " + " | ".join(rule[a] for a in align) + " |",
        ]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines)


@dataclass(frozen=True)
class Value:
    key: str
    value: float | int | None  # None: this run could not measure it (say why in `missing`)
    format: str  # a Python format spec, e.g. ".1f" or ",.0f"
    unit: str  # appended as is, e.g. "×" or " ns"
    label: str  # what the number is, shown on hover
    # Shown instead of the number when value is None, e.g. "beyond the sweep". A page that refers to a
    # value must build whatever a run measured: a noisy short run that finds no crossover is data too.
    missing: str = ""
    computed: bool = False  # arithmetic from formulas, not a measurement: the hover text says "computed"
    # Relative spread between repeated measurements (0.04: the passes disagreed by 4%). The text keeps
    # only the digits it supports (gen/render/numbers.py); None for counts, sizes and arithmetic.
    spread: float | None = None

    def text(self, spec: str | None = None) -> str:
        return measured_text(self.value, spec or self.format, self.unit, self.spread, self.missing)

    def entry(self) -> ValueEntry:
        return ValueEntry(value=self.value, format=self.format, unit=self.unit, label=self.label,
                          missing=self.missing, computed=self.computed, spread=self.spread)


Item = TypeVar("Item", Figure, Table, Value)


def computed(items: list[Item]) -> list[Item]:
    """The same items marked as computed from formulas, so that no caption calls them measured."""
    return [replace(item, computed=True) for item in items]


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
