"""`python -m gen run-gpu --out DIR --deadline SECONDS`: every experiment's gpu preset, one process each.

    python -m gen run-gpu --out /tmp/gpu --deadline 400     # on the GPU machine (also: make gpu OUT=...)
    python -m gen run-gpu --dry-run --out /tmp/dry          # every GPU code path on the CPU, toy sizes

Each experiment runs as `python -m gen measure --only NAME` in a process of its own, under a time cap
of its own and the run's deadline, so a crash, a hang or an out-of-memory of one is recorded and the
others still run. Nothing is rendered and nothing is written inside the tree: results go to
DIR/results/<profile>/, with DIR/summary.json, DIR/logs/ and DIR/gpu-results.tar.gz beside them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from gen.errors import GenError
from gen.experiment import Experiment
from gen.gpu import archive, plan, preflight
from gen.judging import CHECKS_RAN, failed, judge
from gen.paths import REPO_ROOT
from gen.store import read_result, write_json_atomically

# An experiment may run this many times its estimate (plus the start of a process) before it is
# stopped: room for a slower device, never enough to eat the next experiment's share.
CAP_FACTOR = 2.5
CAP_EXTRA_S = 30
MIN_START_S = 5  # with less than this left, an experiment is skipped rather than started


def run_gpu(experiments: list[Experiment], out: Path, deadline_s: float, dry_run: bool) -> int:
    """Measure every experiment within the deadline; 0 when every one measured and passed its checks."""
    started = time.monotonic()
    profile, device = ("dry", "cpu") if dry_run else ("gpu", _cuda_or_fail())
    out.mkdir(parents=True, exist_ok=True)
    machine = preflight.describe(device)
    print(preflight.line(machine), flush=True)
    problems = plan.lint(experiments)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    planned = plan.plan(experiments)
    print(plan.estimate_line(planned) + f"; deadline {deadline_s:.0f} s", flush=True)
    records = []
    for index, item in enumerate(planned, start=1):
        left = deadline_s - (time.monotonic() - started)
        record = _run_one(item, profile, device, out, left, dry_run)
        records.append(record)
        print(f"[{index}/{len(planned)}] {item.name}: {_outcome(record)}", flush=True)
    summary = {"profile": profile, "preflight": machine, "deadline_s": deadline_s,
               "wall_s": round(time.monotonic() - started, 1), "experiments": records}
    if dry_run:
        from gen.gpu.dry import rehearse  # renders, so it needs matplotlib: never on the GPU machine

        summary["rehearsal"] = rehearse(experiments, out, profile)
    write_json_atomically(out / "summary.json", summary)
    packed = archive.pack(out, profile)
    print(f"wrote {out / 'summary.json'} and {packed} in {summary['wall_s']:.0f} s", flush=True)
    ok = all(r["status"] == "ok" for r in records)
    return 0 if ok and not summary.get("rehearsal", {}).get("problems") else 1


def _cuda_or_fail() -> str:
    import torch

    if not torch.cuda.is_available():
        raise GenError("run-gpu", "no CUDA device is visible to torch.",
                       "Run it on the GPU machine, or rehearse here with --dry-run.")
    return "cuda"


def _run_one(item: plan.Planned, profile: str, device: str, out: Path, left: float,
             dry_run: bool) -> dict[str, Any]:
    record: dict[str, Any] = {"experiment": item.name, "estimate_s": item.estimate_s, "seconds": 0.0,
                              "failed_checks": []}
    needed = MIN_START_S if dry_run else item.estimate_s
    if left < needed:
        return {**record, "status": "skipped", "message": f"needs about {needed:.0f} s, {max(left, 0):.0f} s left"}
    cap = min(left, CAP_FACTOR * item.estimate_s + CAP_EXTRA_S)
    log = out / "logs" / f"{item.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "gen", "measure", "--only", item.name, "--profile", profile,
               "--device", device, "--force", "--attempts", "1"]
    path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "RVA_RESULTS": str(out / "results"), "PYTHONPATH": path}
    start = time.monotonic()
    with open(log, "w", encoding="utf-8") as handle:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # its own group: a hang is stopped whole
        try:
            code = process.wait(timeout=cap)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            code = None
    record["seconds"] = round(time.monotonic() - start, 1)
    if code is None:
        return {**record, "status": "timed_out", "message": f"stopped after its cap of {cap:.0f} s ({log.name})"}
    judged = _judged(item.experiment, profile, out, code, log)
    if dry_run and judged["status"] == "failed_checks" and not judged["crashed_checks"]:
        # Toy sizes on a CPU in the GPU's dtypes show no slope, crossover or fixed-buffer-free memory
        # line: a dry run asks that every check runs on the data the gpu code path returns, and
        # reports their verdicts without judging them. Tuning toy sizes until they pass would test nothing.
        judged.update(status="ok", message=f"{len(judged['failed_checks'])} check(s) fail at toy sizes: "
                      "reported, not judged")
    return {**record, **judged}


def _judged(experiment: Experiment, profile: str, out: Path, code: int, log: Path) -> dict[str, Any]:
    """ok, failed_checks or crashed, from the exit code and the stored result judged by today's checks."""
    path = out / "results" / profile / f"{experiment.name}.json"
    last_line = next((line for line in reversed(log.read_text(errors="replace").splitlines()) if line.strip()), "")
    try:
        result = read_result(path)
    except GenError as err:
        return {"status": "crashed", "message": err.line()}
    if code != 0 or result is None:
        return {"status": "crashed", "message": last_line or f"exit code {code}"}
    failures = failed(judge(experiment, profile, result["data"]))
    names = [f"{c.name} ({c.kind}): {c.detail}" for c in failures]
    return {"status": "failed_checks" if failures else "ok", "failed_checks": names, "message": "",
            "crashed_checks": any(c.name == CHECKS_RAN for c in failures)}


def _outcome(record: dict[str, Any]) -> str:
    status = record["status"]
    timing = f"{record['seconds']:.1f} s (estimated {record['estimate_s']:.0f} s)"
    if status == "ok":
        return f"ok, {timing}"
    if status == "failed_checks":
        return f"{len(record['failed_checks'])} check(s) failed, {timing}: " + "; ".join(record["failed_checks"])
    return f"{status}, {timing}: {record['message']}"
