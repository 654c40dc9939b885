"""Log axes as the site's figures draw them: one helper, so that every figure labels them alike.

    log_axis(ax, "x", count_tick)                       # powers of ten, labelled 1k, 10k, ...
    log_axis(ax, "x", binary_length_tick, base=2, locator=None)   # lengths 64, 1K, 16K
    log_axis(ax, "y", seconds_tick, subs=(1.0, 2.0, 5.0))  # 1-2-5 ticks on a short axis

The tick labels themselves live in gen/render/units.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter


def log_axis(ax, which: str, label: Callable[[float, object], str], *, base: float = 10,
             locator: int | str | None = 10, subs: Sequence[float] | None = None, numticks: int = 12,
             hide_minor_labels: bool = True) -> None:
    """Make one axis ("x" or "y") logarithmic in `base`, with major ticks at powers of `locator`
    (None: matplotlib's own ticks for the base) labelled by `label`, and unlabelled minor ticks.

    The scale is set first because setting a scale resets the axis's locators and formatters.
    """
    (ax.set_xscale if which == "x" else ax.set_yscale)("log", base=base)
    axis = ax.xaxis if which == "x" else ax.yaxis
    if locator is not None:
        axis.set_major_locator(LogLocator(base=locator, subs=subs, numticks=numticks) if subs
                               else LogLocator(base=locator, numticks=numticks))
    axis.set_major_formatter(FuncFormatter(label))
    if hide_minor_labels:
        axis.set_minor_formatter(NullFormatter())
