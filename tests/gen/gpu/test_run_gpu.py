"""`python -m gen run-gpu` on the fixture experiments: one process each, caps, deadline, summary, archive.

A real run needs CUDA; the runner is the same for --dry-run, which these tests use on the CPU.
"""

from __future__ import annotations

import json
import sys
import tarfile

import pytest

from tests.conftest import run
from tests.gen.running import gen_env

BOTH = "fixture_steady,fixture_fragile"


def run_gpu(tmp_path, *args, env=None):
    env = env or gen_env(tmp_path, BOTH)
    done = run([sys.executable, "-m", "gen", "run-gpu", "--dry-run", "--out", str(tmp_path / "out"), *args], env)
    summary_path = tmp_path / "out" / "summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else None
    return done, summary


def statuses(summary) -> dict[str, str]:
    return {r["experiment"]: r["status"] for r in summary["experiments"]}


def test_a_good_run_prints_preflight_and_plan_first_one_line_per_experiment_and_exits_zero(tmp_path):
    done, summary = run_gpu(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("preflight: ") and "torch " in lines[0] and "C compiler" in lines[0]
    assert lines[1].startswith("plan: 2 experiments, estimated 3 s on one H100/H200 (fixture_steady 1 s, "
                               "fixture_fragile 2 s)")
    assert lines[2].startswith("[1/2] fixture_steady: ok, ") and lines[3].startswith("[2/2] fixture_fragile: ok, ")
    assert statuses(summary) == {"fixture_steady": "ok", "fixture_fragile": "ok"}
    assert all(r["seconds"] > 0 for r in summary["experiments"])


def test_the_archive_holds_the_results_the_summary_and_the_logs_and_nothing_of_the_tree(tmp_path):
    run_gpu(tmp_path)
    with tarfile.open(tmp_path / "out" / "gpu-results.tar.gz") as tar:
        assert sorted(tar.getnames()) == [
            "logs/fixture_fragile.log", "logs/fixture_steady.log",
            "results/dry/fixture_fragile.json", "results/dry/fixture_steady.json", "summary.json"]
        assert {m.mtime for m in tar.getmembers()} == {0}


def test_a_crash_of_one_experiment_is_recorded_and_the_others_still_run(tmp_path):
    env = gen_env(tmp_path, "fixture_fragile,fixture_steady")
    env["RVA_FIXTURE_CRASH"] = "1"
    done, summary = run_gpu(tmp_path, env=env)
    assert done.returncode == 1
    record = next(r for r in summary["experiments"] if r["experiment"] == "fixture_fragile")
    assert record["status"] == "crashed" and "the fixture was told to crash" in record["message"]
    assert statuses(summary)["fixture_steady"] == "ok"
    assert "Traceback" not in done.stdout + done.stderr


def test_a_hang_is_stopped_by_the_deadline_and_what_is_left_is_skipped(tmp_path):
    env = gen_env(tmp_path, BOTH)
    env["RVA_FIXTURE_HANG"] = "1"
    done, summary = run_gpu(tmp_path, "--deadline", "12", env=env)
    assert done.returncode == 1
    record = next(r for r in summary["experiments"] if r["experiment"] == "fixture_fragile")
    assert record["status"] == "timed_out" and record["seconds"] < 30
    assert summary["wall_s"] < 60


def test_an_experiment_that_cannot_start_before_the_deadline_is_skipped_not_started(tmp_path):
    done, summary = run_gpu(tmp_path, "--deadline", "0")
    assert statuses(summary) == {"fixture_steady": "skipped", "fixture_fragile": "skipped"}
    assert "skipped" in done.stdout and done.returncode == 1


def test_a_real_run_without_cuda_is_a_one_line_error(tmp_path):
    done = run([sys.executable, "-m", "gen", "run-gpu", "--out", str(tmp_path / "out")], gen_env(tmp_path, BOTH))
    assert done.returncode == 1 and done.stderr.strip() == (
        "run-gpu: no CUDA device is visible to torch. Run it on the GPU machine, or rehearse here with --dry-run.")


@pytest.mark.parametrize("args", [["run-gpu"], ["import-gpu"]])
def test_a_missing_folder_or_archive_is_a_one_line_error(tmp_path, args):
    done = run([sys.executable, "-m", "gen", *args], gen_env(tmp_path, BOTH))
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1 and "needs" in done.stderr
