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


def binary_length_tick(n: float, _position: object = None) -> str:
    """Axis labels for powers-of-two lengths as ML papers write them: 512, 1K, 16K, 1M (K = 1,024)."""
    for scale, suffix in ((2**20, "M"), (2**10, "K")):
        if n >= scale:
            return f"{n / scale:g}{suffix}"
    return f"{n:g}"


def binary_bytes_tick(n: float, _position: object = None) -> str:
    """Axis labels for byte counts in powers of 1024: 256 KiB, 4 MiB, 1 GiB (a tick a hair below a
    power, from rounding in the locator, still takes its unit)."""
    for power, unit in ((4, "TiB"), (3, "GiB"), (2, "MiB"), (1, "KiB")):
        if n >= 1024**power * 0.999:
            return f"{n / 1024**power:g} {unit}"
    return f"{n:g} B"
