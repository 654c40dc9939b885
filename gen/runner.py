"""Measuring: run each experiment whose result is missing or stale, check it, store it atomically."""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from typing import Any

from gen.checks import Check
from gen.errors import GenError
from gen.experiment import Experiment
from gen.judging import failed, judge, only_timing_failed
from gen.paths import result_path, shown
from gen.progress import progress
from gen.provenance import describe_environment, now_utc
from gen.selection import state_of
from gen.store import write_json_atomically


def resolve_device(device: str) -> str:
    if device in ("cpu", "cuda"):
        if device == "cuda":
            import torch

            if not torch.cuda.is_available():
                raise GenError("--device cuda", "no CUDA device is visible to torch.", "Use --device cpu.")
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def resolve_profile(profile: str, device: str) -> str:
    if profile == "auto":
        return "gpu" if device == "cuda" else "cpu"
    if profile == "gpu" and device != "cuda":
        raise GenError("--profile gpu", "the gpu profile needs a CUDA device.", "Run it on a GPU machine.")
    return profile


MAX_ATTEMPTS = 3  # a first measurement and at most two more when only timing-sensitive checks fail


def measure_all(
    experiments: list[Experiment], profile: str, device: str, force: bool, show_traceback: bool,
    attempts: int = MAX_ATTEMPTS,
) -> int:
    """Measure what needs measuring; the number of experiments that crashed is the failure count."""
    to_run = []
    for experiment in experiments:
        state = state_of(experiment, profile)
        if state.current and not force:
            print(f"{experiment.name} [{profile}]: current, reused ({state.path})")
        else:
            why = "forced" if force and state.current else state.describe()
            to_run.append((experiment, why))
    crashed = 0
    for experiment, why in to_run:
        print(f"{experiment.name} [{profile}]: measuring on {device} ({why})", flush=True)
        try:
            measure_until_judged(experiment, profile, device, attempts)
        except GenError as err:
            print(err.line(), file=sys.stderr)
            crashed += 1
        except Exception as err:  # an experiment's own bug: one line, previous data untouched
            print(crash_line(experiment, profile, err), file=sys.stderr)
            if show_traceback:
                traceback.print_exception(err)
            crashed += 1
    return crashed


def measure_until_judged(experiment: Experiment, profile: str, device: str,
                         attempts: int = MAX_ATTEMPTS) -> list[Check]:
    """Measure, store, judge; measure again (`attempts` in all) while only timing checks fail.

    A timing check can fail because a neighbour's load bent the curve, and measuring again is the
    cure; an exact check (a formula, a count) fails the same way every time, so it is never retried.
    """
    for attempt in range(1, attempts + 1):
        result = measure_one(experiment, profile, device)
        checks = judge(experiment, profile, result["data"])
        failures = failed(checks)
        if not only_timing_failed(checks) or attempt == attempts:
            break
        print(f"{experiment.name} [{profile}]: timing-sensitive checks failed "
              f"({', '.join(c.name for c in failures)}); measuring again, attempt {attempt + 1} of "
              f"{attempts}", flush=True)
    wall = result["provenance"]["wall_seconds"]
    print(f"{experiment.name} [{profile}]: {len(checks) - len(failures)}/{len(checks)} "
          f"self-checks passed, {wall:.1f} s")
    for check in failures:
        print(f"  FAILED {check.name} ({check.kind}): {check.detail}", file=sys.stderr)
    if failures:
        retried = f" after {attempt} measurements" if attempt > 1 else ""
        advice = ("Re-measure on a quieter machine: "
                  if only_timing_failed(checks) else "Fix the experiment or its checks, then run ")
        print(f"{shown(result_path(profile, experiment.name))}: experiment '{experiment.name}' failed "
              f"{len(failures)} self-check(s){retried}. {advice}"
              f"`python -m gen --only {experiment.name} --force`.", file=sys.stderr)
    return checks


def measure_one(experiment: Experiment, profile: str, device: str) -> dict[str, Any]:
    """Measure once and store the data at once; what comes after the measuring cannot lose it.

    The data are written first (atomically), with the hash that says which code measured them. The
    environment's description is added afterwards, in a second atomic write: if that fails, the
    measurement stays on disk and one line says what is missing.
    """
    config = experiment.config(profile)
    module = experiment.measuring_module()
    hash_parts = experiment.hash_parts(profile)
    started_at, start = now_utc(), time.perf_counter()
    with progress(f"  {experiment.name}") as advance:
        data = module.measure(config, device, advance)
    provenance = {
        "experiment": experiment.name,
        "profile": profile,
        "device_kind": device,
        "device_name": f"unrecorded {device} device",
        "started_at": started_at,
        "wall_seconds": round(time.perf_counter() - start, 2),
        "code_hash": experiment.code_hash(profile),
        "hash_parts": hash_parts,
    }
    result = {"experiment": experiment.name, "profile": profile, "provenance": provenance, "data": data}
    path = result_path(profile, experiment.name)
    try:
        write_json_atomically(path, result)
    except (TypeError, ValueError) as err:
        raise GenError(
            shown(experiment.folder / "measure.py"),
            f"experiment '{experiment.name}' returned data that JSON cannot hold ({err}).",
            "Return plain numbers, strings, lists and dicts (no NaN or tensors); nothing was written.",
        ) from None
    try:
        provenance.update(describe_environment(device))
        write_json_atomically(path, result)
    except Exception as err:  # a bug or an odd machine: the measurement itself is safe on disk
        print(f"{shown(path)}: the device and versions could not be recorded ({type(err).__name__}: "
              f"{err}); the measured data are kept.", file=sys.stderr)
    return result


def crash_line(experiment: Experiment, profile: str, err: BaseException) -> str:
    """file:line of the innermost frame inside the experiment (else the innermost), and what to do."""
    frames = traceback.extract_tb(err.__traceback__)
    innermost = f"{shown(Path(frames[-1].filename))}:{frames[-1].lineno}" if frames else None
    where = experiment.innermost_frame(err) or innermost or shown(experiment.folder)
    path = result_path(profile, experiment.name)
    kept = f"previous result kept in {shown(path)}" if path.exists() else "no result written"
    return (
        f"{where}: experiment '{experiment.name}' crashed: {type(err).__name__}: {err}. "
        f"Fix it and run `python -m gen --only {experiment.name}` ({kept}; add --traceback for details)."
    )
