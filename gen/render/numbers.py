"""A value as a page shows it: its format, cut to the digits its spread supports.

A timed number moves between repeated runs. Quoting 3,753.5 ns when the passes ranged over ±4%
claims four digits nobody measured. So a measured value carries its relative spread (how far its
passes disagreed), and the text keeps only the digits down to the place where that disagreement
starts: 3,753.5 ns ± 4% is about ± 150 ns, so it reads "3,800 ns". Counts, sizes and computed
arithmetic have no spread and keep their format as written.

This is the one place a value becomes text: the site's embed and Value.text both call it.
"""

from __future__ import annotations

import math
import re

NOT_MEASURED = "not measured"

# A Python format spec's parts that matter here: optional grouping, precision and type (".1f", ",.3g").
_SPEC = re.compile(r"^(?P<head>[^.]*?)(?:\.(?P<precision>\d+))?(?P<type>[fg%])$")


def supported_place(value: float, spread: float) -> int:
    """The decimal place (10**place) of the first digit the spread makes uncertain.

    The absolute uncertainty is |value| * spread; its leading digit's place is the last one kept.
    """
    uncertainty = abs(value) * spread
    return math.floor(math.log10(uncertainty))


def measured_text(value: float | int | None, spec: str, unit: str, spread: float | None = None,
                  missing: str = "") -> str:
    """The value formatted with `spec`, then `unit`; digits beyond what `spread` supports are cut."""
    if value is None:
        return missing or NOT_MEASURED
    if spread and value and math.isfinite(value):
        spec, value = _cut(value, spec, spread)
    return f"{format(value, spec)}{unit}"


def spread_note(spread: float | None) -> str:
    """How a hover text states the spread: '±4% between repeated passes'."""
    if not spread:
        return ""
    return f"±{_percent(spread)} between repeated passes"


def _cut(value: float | int, spec: str, spread: float) -> tuple[str, float | int]:
    """The spec and the value rounded so that no digit finer than the spread supports is shown."""
    match = _SPEC.match(spec)
    if not match:  # a spec this does not understand ("d", "e"): shown as written
        return spec, value
    place = supported_place(value, spread)
    head, kind = match["head"], match["type"]
    precision = int(match["precision"]) if match["precision"] is not None else 6
    if kind == "%":  # a fraction shown as a percentage: count places in percent, not in the fraction
        percent_place = place + 2
        decimals = min(precision, max(0, -percent_place))
        rounded = round(value * 100, -percent_place) / 100 if percent_place > 0 else value
        return f"{head}.{decimals}%", rounded
    if kind == "g" and place < 0:  # significant figures: as many as lie above the uncertain place
        figures = max(1, math.floor(math.log10(abs(value))) - place + 1)
        return f"{head}.{min(precision, figures)}g", value
    if kind == "g" and value >= 10 ** precision:  # "g" would show an exponent anyway: leave it so
        return spec, value
    # Whole numbers stay whole ("80", not "8e+01"): "g" becomes "f" with no decimals.
    decimals = min(precision, max(0, -place)) if kind == "f" else 0
    rounded = round(value, -place) if place > 0 else value  # 3,753.5 at place 2 -> 3,800
    return f"{head}.{decimals}f", rounded


def _percent(fraction: float) -> str:
    percent = fraction * 100
    return f"{percent:.0f}%" if percent >= 1.95 else f"{percent:.1g}%"
