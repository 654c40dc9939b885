"""The exact rounds and combines each hand-written scan must count: plain arithmetic, no torch.

Measuring code (hashed with scans.py and measure.py) that readings.py may import as well: the checks
hold the counts the scans report against these formulas.
"""

from __future__ import annotations

COUNTED = ("loop", "hillis_steele", "blelloch")  # the scans written here, which count their own work

Counts = tuple[int, int]  # (rounds, combines per row)


def ceil_log2(T: int) -> int:
    return (T - 1).bit_length()


def expected_counts(method: str, T: int) -> Counts:
    """Rounds and combines per row that each hand-written scan must report, for T >= 2."""
    k = ceil_log2(T)
    P = 2**k
    if method == "loop":
        return T, T
    if method == "hillis_steele":
        return k, k * T - (P - 1)  # sum over rounds of T - 2^j, j = 0 .. k-1
    if method == "blelloch":
        return 2 * k - 1, 2 * P - k - 2
    raise ValueError(f"no count formula for method {method!r}")
