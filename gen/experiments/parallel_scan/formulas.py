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


# Which element takes in which, round by round: the schedules that scans.py carries out as whole-tensor
# operations, written out pair by pair for the scan-tree diagram. A combine (source, target) replaces
# target's map by "source's map, then target's". tests/gen/test_parallel_scan_smoke.py checks that
# these schedules give the scans' own counts and results.

Schedule = list[list[tuple[int, int]]]  # per round: the (source, target) combines made in it


def hillis_steele_schedule(T: int) -> Schedule:
    """Round k: every element i >= 2^k takes in element i - 2^k (all reading the previous round)."""
    rounds, d = [], 1
    while d < T:
        rounds.append([(i - d, i) for i in range(d, T)])
        d *= 2
    return rounds


def blelloch_schedule(T: int) -> Schedule:
    """Up-sweep: in each block of 2d, the last element takes in the first half's total; down-sweep: the
    middle of each block takes in the total that ends the block before it. T padded to a power of two;
    combines that touch only the padding are left out, as they change nothing."""
    P = 1 << ceil_log2(T)
    rounds, d = [], 1
    while d < P:
        rounds.append([(start + d - 1, start + 2 * d - 1) for start in range(0, P, 2 * d)])
        d *= 2
    d = P // 4
    while d >= 1:
        rounds.append([(start - 1, start + d - 1) for start in range(2 * d, P, 2 * d)])
        d //= 2
    return [[(s, t) for s, t in one if t < T] for one in rounds]


def holds_after(schedule: Schedule, T: int) -> list[list[tuple[int, int]]]:
    """For each round (and before the first), the range of inputs (first, last) each element's map
    has absorbed: after a full scan, element i holds (0, i)."""
    span = [(i, i) for i in range(T)]
    states = [list(span)]
    for combines in schedule:
        previous = list(span)
        for source, target in combines:
            span[target] = (previous[source][0], previous[target][1])
        states.append(list(span))
    return states
