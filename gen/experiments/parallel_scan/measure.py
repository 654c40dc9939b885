"""Measure the scans of h_t = a_t h_{t-1} + b_t: rounds and work counted, time over T, error against float64.

All methods run in float32 on (batch x channels) rows. The reference is the same loop in float64 on
the same float32 inputs, so an error measures a method's arithmetic, not the rounding of its inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch

from gen.experiments.parallel_scan import Config, scans
from gen.measuring.checks import Check, greater
from gen.measuring.seeding import deterministic, generator
from gen.measuring.timing import time_call

COUNTED = ("loop", "hillis_steele", "blelloch")  # the scans written here, which count their own work
BUILTIN = ("builtin_generic", "builtin_pointwise")
PARALLEL = ("hillis_steele", "blelloch", *BUILTIN)  # safe parallel scans
STABLE_TOLERANCE = 1e-4  # float32 scans agree with float64 to ~1e-6; the closed form is off by 1e0 or NaN


def make_inputs(config: Config, T: int, device: str) -> tuple[torch.Tensor, torch.Tensor]:
    """a in (a_low, a_high), b standard normal; both (batch x channels, T) float32. Drawn time-major from
    one generator each, so the inputs of length T are the first T steps of any longer ones."""
    rows = config.batch * config.channels
    draw_a, draw_b = generator(config.seed), generator(config.seed + 1)
    a = torch.empty(T, rows).uniform_(config.a_low, config.a_high, generator=draw_a)  # (T, rows)
    b = torch.randn(T, rows, generator=draw_b)  # (T, rows)
    return a.T.contiguous().to(device), b.T.contiguous().to(device)  # (rows, T): time contiguous


def runners(config: Config, device: str) -> tuple[dict[str, Callable], dict[str, str]]:
    """Each method as fn(a, b) -> (h, counts or None), and the reason for each one this device lacks."""
    methods = {
        "loop": lambda a, b: scans.sequential(a, b, torch.empty_like(b)),
        "hillis_steele": scans.hillis_steele,
        "blelloch": scans.blelloch,
        "builtin_generic": lambda a, b: (scans.builtin(a, b, "generic"), None),
        "log_space": lambda a, b: (scans.log_space(a, b), None),
    }
    pointwise = scans.builtin_pointwise  # uncompiled, it checks its inputs and fails off CUDA
    if device == "cuda" and config.compile_builtin:  # inductor turns it into one Triton scan kernel
        pointwise = torch.compile(pointwise, dynamic=True)  # dynamic: one compile for every T
    methods["builtin_pointwise"] = lambda a, b: (pointwise(a, b), None)
    unsupported = {}
    probe = make_inputs(config, 64, device)
    for name in BUILTIN:  # try each library mode once: an unsupported backend is data, not a crash
        outcome = attempt(name, partial(methods[name], *probe))
        if isinstance(outcome, dict):
            unsupported[name] = outcome.get("reason", outcome["status"])
            del methods[name]
    return methods, unsupported


def attempt(name: str, fn: Callable[[], Any]) -> Any:
    """fn()'s result, or a status dict where it ran out of GPU memory or where a library scan failed
    (a backend this device lacks, a compiled kernel that fails at some length). A failure of a scan
    written here is a bug, and raises."""
    try:
        return fn()
    except torch.OutOfMemoryError:
        torch.cuda.empty_cache()
        return {"status": "oom"}
    except Exception as err:
        if name not in BUILTIN:
            raise
        return {"status": "unsupported", "reason": f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"}


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    # One thread on a CPU: on a busy 2-core machine a descheduled second thread stalls every
    # multithreaded op (we saw 1000x slowdowns); a CPU scan's speed here comes from vectorised ops and
    # fewer steps, not from a second core. On a GPU this only seeds.
    with deterministic(device, config.seed):
        threads = torch.get_num_threads()
        methods, unsupported = runners(config, device)
        counts = {name: {} for name in COUNTED}
        timing = time_sweep(config, methods, device, counts, advance)
        errors, log_space = error_sweep(config, methods, device, counts)
        advance(1)
    return {
        "rows": config.batch * config.channels, "batch": config.batch, "channels": config.channels,
        "a_range": [config.a_low, config.a_high],
        "cpu_threads": threads,
        "timing_rounds": config.rounds,
        "timing": timing,
        "counts": {name: [{"T": T, "rounds": r, "combines": w} for T, (r, w) in sorted(c.items())]
                   for name, c in counts.items()},
        "errors": errors,
        "log_space": log_space,
        "unsupported": unsupported,
    }


def time_sweep(config: Config, methods: dict[str, Callable], device: str, counts: dict,
               advance: Callable[[int], object]) -> dict[str, list[dict]]:
    """Each method timed at its lengths. Load from elsewhere on a shared machine comes in bursts: we
    pass over the lengths `rounds` times and keep each point's fastest round."""
    best: dict[str, dict[int, dict]] = {name: {} for name in methods}
    lengths = sorted(set(config.loop_lengths) | set(config.scan_lengths))
    for _ in range(config.rounds):
        for T in lengths:
            a, b = make_inputs(config, T, device)
            for name, method in methods.items():
                if T not in (config.loop_lengths if name == "loop" else config.scan_lengths):
                    continue
                point = time_point(name, method, a, b, T, config, counts.get(name))
                kept = best[name].get(T)
                if kept is None or point.get("median_s", float("inf")) < kept.get("median_s", float("inf")):
                    best[name][T] = point
            del a, b
            advance(1)
    return {name: [points[T] for T in sorted(points)] for name, points in best.items()}


def time_point(name: str, method: Callable, a, b, T: int, config: Config, counts: dict | None) -> dict:
    """Median time of one scan at length T; the counts the scan reports are kept by T."""
    def run():
        h, counted = method(a, b)
        if counts is not None:
            counts[T] = counted
        return h
    outcome = attempt(name, partial(time_call, run, config.min_run_time))
    return {"T": T, **(outcome if isinstance(outcome, dict) else outcome.as_dict())}


def relative_error(h: torch.Tensor, reference: torch.Tensor) -> float | str:
    if not torch.isfinite(h).all():
        return "nonfinite"  # JSON has no NaN or inf
    return float((h.double() - reference).abs().max() / reference.abs().max())


def error_sweep(config: Config, methods: dict[str, Callable], device: str, counts: dict) -> tuple[dict, dict]:
    """Every method against the float64 loop at each error length; where the closed form first breaks."""
    longest = max(config.error_lengths)
    a, b = make_inputs(config, longest, device)
    reference, _ = scans.sequential(a.double(), b.double(), torch.empty_like(b, dtype=torch.float64))
    errors = {name: [] for name in methods}
    for T in config.error_lengths:
        a_T, b_T = a[:, :T].contiguous(), b[:, :T].contiguous()  # (rows, T)
        for name, method in methods.items():
            outcome = attempt(name, partial(method, a_T, b_T))
            if isinstance(outcome, dict):
                errors[name].append({"T": T, **outcome})
                continue
            h, counted = outcome
            if name in counts:
                counts[name][T] = counted
            errors[name].append({"T": T, "error": relative_error(h, reference[:, :T])})
    return errors, {
        "threshold": config.break_threshold,
        "checked_up_to": longest,
        "first_broken_T": first_broken(scans.log_space(a, b), reference, config.break_threshold),
        "first_broken_T_float64": first_broken(scans.log_space(a.double(), b.double()), reference,
                                               config.break_threshold),
        "underflow_T": first_true(torch.cumprod(a, dim=1).lt(torch.finfo(torch.float32).tiny).any(0)),
    }


def first_broken(h: torch.Tensor, reference: torch.Tensor, threshold: float) -> int | None:
    """The shortest T whose last output h_{T-1} is non-finite or off by more than `threshold` (relative
    to the largest |h_{T-1}| over rows); None if no T up to the sweep's end breaks."""
    per_t = (h.double() - reference).abs().amax(0) / reference.abs().amax(0)  # (T,)
    broken = ~torch.isfinite(h).all(0) | ~(per_t <= threshold)  # NaN compares False: broken
    return first_true(broken)


def first_true(mask: torch.Tensor) -> int | None:
    """1 + the index of the first True in a 1-D mask (a length T, not an index), or None."""
    hits = torch.nonzero(mask)
    return int(hits[0, 0]) + 1 if len(hits) else None


# Checks --------------------------------------------------------------------------------------------


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    result = [counts_match_formula(data, name) for name in COUNTED]
    stable = [(error_value(p["error"]), name, p["T"]) for name, points in data["errors"].items()
              if name != "log_space" for p in points if "error" in p]
    worst, name, T = max(stable)
    result.append(Check(
        "stable_scans_match_float64_loop", worst <= STABLE_TOLERANCE,
        f"largest relative error of the loop and the parallel scans (float32) against the float64 loop: "
        f"{worst:.2e} ({name} at T = {T}; tolerance {STABLE_TOLERANCE:.0e})"))
    broken = data["log_space"]["first_broken_T"]
    result.append(Check(
        "log_space_shortcut_breaks", broken is not None,
        f"the closed form A_t cumsum(b_t / A_t) in float32 first breaks at T = {broken} "
        f"(checked up to T = {data['log_space']['checked_up_to']})"))
    T, speedup = best_speedup(data)
    result.append(greater("best_parallel_scan_beats_loop", speedup, 1.0,
                          f"loop time / fastest parallel scan's time at T = {T}"))
    return result


def error_value(error: float | str) -> float:
    return float("inf") if error == "nonfinite" else error


def counts_match_formula(data: dict[str, Any], name: str) -> Check:
    points = data["counts"][name]
    wrong = [p["T"] for p in points if (p["rounds"], p["combines"]) != scans.expected_counts(name, p["T"])]
    return Check(f"{name}_counts_match_formula", bool(points) and not wrong,
                 f"rounds and combines counted by the {name} scan against the formulas at {len(points)} "
                 f"lengths: {len(wrong)} differ" + (f" (first T = {wrong[0]})" if wrong else ""))


def best_speedup(data: dict[str, Any]) -> tuple[int, float]:
    """Loop time over the fastest safe parallel scan's time, at the largest T timed for both."""
    loop = {p["T"]: p["median_s"] for p in data["timing"]["loop"] if "median_s" in p}
    parallel = [(p["T"], p["median_s"]) for name in PARALLEL for p in data["timing"].get(name, [])
                if p["T"] in loop and "median_s" in p]
    T = max(T for T, _ in parallel)
    return T, loop[T] / min(seconds for length, seconds in parallel if length == T)
