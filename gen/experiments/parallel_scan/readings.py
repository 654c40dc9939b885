"""Readings of the parallel_scan data (the speed-up over the loop, the worst stable error) and the
self-checks judged from them.

Torch-free and outside the measuring hash: render.py shows these readings and checks() judges them,
so the speed-up on a page is the speed-up a check passed, and a changed tolerance re-judges stored data.

A point under data["timing"][method] holds "median_s" where it was timed and a "status" ("oom",
"unsupported") where it was not; a point under data["errors"][method] holds "error" (a number, or
"nonfinite") or a status. Every reading here skips the points with a status.
"""

from __future__ import annotations

from typing import Any

from gen.checks import EXACT, TIMING, Check, greater
from gen.experiments.parallel_scan import Config
from gen.experiments.parallel_scan.formulas import COUNTED, expected_counts

PARALLEL = ("hillis_steele", "blelloch", "builtin_generic", "builtin_pointwise")  # the safe parallel scans
STABLE_TOLERANCE = 1e-4  # float32 scans agree with float64 to ~1e-6; the closed form is off by 1e0 or NaN


# Readings --------------------------------------------------------------------------------------------


def best_speedup(data: dict[str, Any]) -> tuple[int, float, str]:
    """Loop time over the fastest safe parallel scan's time, at the largest T timed for both; the T,
    the speed-up and which scan was the fastest."""
    loop = {p["T"]: p["median_s"] for p in data["timing"]["loop"] if "median_s" in p}
    parallel = [(p["T"], p["median_s"], name) for name in PARALLEL for p in data["timing"].get(name, [])
                if p["T"] in loop and "median_s" in p]
    T = max(length for length, _, _ in parallel)
    seconds, best = min((s, name) for length, s, name in parallel if length == T)
    return T, loop[T] / seconds, best


def error_value(error: float | str) -> float:
    """A relative error as a number: a non-finite output is infinitely wrong."""
    return float("inf") if error == "nonfinite" else error


def worst_stable_error(data: dict[str, Any]) -> tuple[float, str, int]:
    """The largest relative error against the float64 loop of the loop and the parallel scans (every
    method but the closed form), over all T; with the method and the T it came from."""
    return max((error_value(p["error"]), name, p["T"]) for name, points in data["errors"].items()
               if name != "log_space" for p in points if "error" in p)


# Checks ----------------------------------------------------------------------------------------------


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    result = [counts_match_formula(data, name) for name in COUNTED]
    worst, name, T = worst_stable_error(data)
    result.append(Check(
        "stable_scans_match_float64_loop", worst <= STABLE_TOLERANCE,
        f"largest relative error of the loop and the parallel scans (float32) against the float64 loop: "
        f"{worst:.2e} ({name} at T = {T}; tolerance {STABLE_TOLERANCE:.0e})", EXACT))
    broken = data["log_space"]["first_broken_T"]
    result.append(Check(
        "log_space_shortcut_breaks", broken is not None,
        f"the closed form A_t cumsum(b_t / A_t) in float32 first breaks at T = {broken} "
        f"(checked up to T = {data['log_space']['checked_up_to']})", EXACT))
    T, speedup, _ = best_speedup(data)
    result.append(greater("best_parallel_scan_beats_loop", speedup, 1.0,
                          f"loop time / fastest parallel scan's time at T = {T}", kind=TIMING))
    return result


def counts_match_formula(data: dict[str, Any], name: str) -> Check:
    points = data["counts"][name]
    wrong = [p["T"] for p in points if (p["rounds"], p["combines"]) != expected_counts(name, p["T"])]
    return Check(f"{name}_counts_match_formula", bool(points) and not wrong,
                 f"rounds and combines counted by the {name} scan against the formulas at {len(points)} "
                 f"lengths: {len(wrong)} differ" + (f" (first T = {wrong[0]})" if wrong else ""), EXACT)
