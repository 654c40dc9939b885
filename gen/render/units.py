"""Numbers as readers like them: times with a unit prefix, three significant figures."""

from __future__ import annotations

import math

_TIME_UNITS = ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns"))


def format_seconds(seconds: float) -> str:
    """0.0000231 -> '23.1 µs'; 1.5 -> '1.50 s'."""
    for scale, unit in _TIME_UNITS:
        if seconds >= scale or scale == 1e-9:
            value = seconds / scale
            digits = max(0, 2 - int(math.floor(math.log10(value)))) if value > 0 else 0
            return f"{value:.{digits}f} {unit}"
    raise AssertionError("unreachable")


def seconds_tick(seconds: float, _position: object = None) -> str:
    """Axis labels on a log axis of seconds: '1 µs', '10 ms'."""
    for scale, unit in _TIME_UNITS:
        if seconds >= scale * 0.999 or scale == 1e-9:
            return f"{seconds / scale:g} {unit}"
    raise AssertionError("unreachable")


def count_tick(n: float, _position: object = None) -> str:
    """Axis labels for lengths: 1, 10, 100, 1k, 10k, 1M."""
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= scale:
            return f"{n / scale:g}{suffix}"
    return f"{n:g}"
