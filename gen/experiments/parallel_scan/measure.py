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
from gen.experiments.parallel_scan.formulas import COUNTED
from gen.measuring.seeding import deterministic, generator
from gen.measuring.timing import time_interleaved

BUILTIN = ("builtin_generic", "builtin_pointwise")  # torch's associative_scan, which may fail as data


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
    """fn()'s result, or the status dict of its failure (failure_status)."""
    try:
        return fn()
    except Exception as err:
        return failure_status(name, err)


def failure_status(name: str, error: Exception) -> dict[str, str]:
    """Why a run failed, as data: it ran out of GPU memory, or a library scan failed (a backend this
    device lacks, a compiled kernel that fails at some length). A failure of a scan written here is a
    bug, and raises again."""
    if isinstance(error, torch.OutOfMemoryError):
        torch.cuda.empty_cache()
        return {"status": "oom"}
    if name not in BUILTIN:
        raise error
    return {"status": "unsupported", "reason": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    with deterministic(device, config.seed):
        methods, unsupported = runners(config, device)
        counts = {name: {} for name in COUNTED}
        timing = time_sweep(config, methods, device, counts, advance)
        errors, log_space = error_sweep(config, methods, device, counts)
        advance(1)
    return {
        "rows": config.batch * config.channels, "batch": config.batch, "channels": config.channels,
        "a_range": [config.a_low, config.a_high],
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
    """Each method timed at its lengths; the counts the hand-written scans report are kept by T.

    What the pages read is one method's time against another's at the same T (the loop over the
    fastest scan), so at each T the methods are timed in turn, `rounds` passes round, each keeping
    its fastest pass (time_interleaved): a burst of load from elsewhere slows one pass of one method.
    """
    points: dict[str, list[dict]] = {name: [] for name in methods}
    for T in sorted(set(config.loop_lengths) | set(config.scan_lengths)):
        here = {name: method for name, method in methods.items() if T in lengths_of(config, name)}
        for name, point in time_length(config, here, T, device, counts).items():
            points[name].append(point)
        advance(config.rounds)
    return points


def lengths_of(config: Config, method: str) -> tuple[int, ...]:
    """The lengths a method is timed at: the loop's one step per t caps its sweep."""
    return config.loop_lengths if method == "loop" else config.scan_lengths


def time_length(config: Config, methods: dict[str, Callable], T: int, device: str,
                counts: dict) -> dict[str, dict]:
    """Every method's point at length T: its timing, or the status of its failure."""
    a, b = make_inputs(config, T, device)
    failures: dict[str, dict[str, str]] = {}

    def failed(name: str, error: Exception) -> str:  # time_interleaved's on_error: a marker, or raise
        failures[name] = failure_status(name, error)
        return failures[name]["status"]

    runs = {name: partial(counted_run, method, a, b, T, counts.get(name)) for name, method in methods.items()}
    timed = time_interleaved(runs, config.min_run_time, config.rounds, on_error=failed)
    return {name: {"T": T, **(failures[name] if isinstance(timing, str) else timing.as_dict())}
            for name, timing in timed.items()}


def counted_run(method: Callable, a: torch.Tensor, b: torch.Tensor, T: int, counts: dict | None) -> torch.Tensor:
    """One scan at length T, what is timed; a hand-written scan's counts of its work are kept by T."""
    h, counted = method(a, b)
    if counts is not None:
        counts[T] = counted
    return h


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
