"""Measuring: run each experiment whose result is missing or stale, check it, store it atomically."""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from typing import Any

from gen.errors import GenError
from gen.experiment import Experiment
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


def measure_all(
    experiments: list[Experiment], profile: str, device: str, force: bool, show_traceback: bool
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
            result = measure_one(experiment, profile, device)
        except GenError as err:
            print(err.line(), file=sys.stderr)
            crashed += 1
            continue
        except Exception as err:  # an experiment's own bug: one line, previous data untouched
            print(crash_line(experiment, profile, err), file=sys.stderr)
            if show_traceback:
                traceback.print_exception(err)
            crashed += 1
            continue
        report_checks(experiment, result)
    return crashed


def measure_one(experiment: Experiment, profile: str, device: str) -> dict[str, Any]:
    config = experiment.config(profile)
    module = experiment.measuring_module()
    started_at, start = now_utc(), time.perf_counter()
    with progress(f"  {experiment.name}") as advance:
        data = module.measure(config, device, advance)
    checks = [check.as_dict() for check in module.checks(data, config)]
    provenance = describe_environment(device)
    provenance.update(
        experiment=experiment.name,
        profile=profile,
        started_at=started_at,
        wall_seconds=round(time.perf_counter() - start, 2),
        code_hash=experiment.code_hash(profile),
        hash_parts=experiment.hash_parts(profile),
    )
    result = {
        "experiment": experiment.name,
        "profile": profile,
        "provenance": provenance,
        "checks": checks,
        "data": data,
    }
    path = result_path(profile, experiment.name)
    try:
        write_json_atomically(path, result)
    except (TypeError, ValueError) as err:
        raise GenError(
            shown(experiment.folder / "measure.py"),
            f"experiment '{experiment.name}' returned data that JSON cannot hold ({err}).",
            "Return plain numbers, strings, lists and dicts (no NaN or tensors); nothing was written.",
        ) from None
    return result


def crash_line(experiment: Experiment, profile: str, err: BaseException) -> str:
    """file:line of the innermost frame inside the experiment (else the innermost), and what to do."""
    frames = traceback.extract_tb(err.__traceback__)
    inside = [f for f in frames if Path(f.filename).resolve().is_relative_to(experiment.folder.resolve())]
    frame = (inside or frames)[-1] if frames else None
    where = f"{shown(Path(frame.filename))}:{frame.lineno}" if frame else shown(experiment.folder)
    path = result_path(profile, experiment.name)
    kept = f"previous result kept in {shown(path)}" if path.exists() else "no result written"
    return (
        f"{where}: experiment '{experiment.name}' crashed: {type(err).__name__}: {err}. "
        f"Fix it and run `python -m gen --only {experiment.name}` ({kept}; add --traceback for details)."
    )


def report_checks(experiment: Experiment, result: dict[str, Any]) -> None:
    checks = result["checks"]
    failed = [c for c in checks if not c["passed"]]
    wall = result["provenance"]["wall_seconds"]
    print(f"{experiment.name} [{result['profile']}]: {len(checks) - len(failed)}/{len(checks)} "
          f"self-checks passed, {wall:.1f} s")
    for check in failed:
        print(f"  FAILED {check['name']}: {check['detail']}", file=sys.stderr)
