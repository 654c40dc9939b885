"""The CPU dry run of every gpu preset (`python -m gen run-gpu --dry-run`), as `make test` runs it, so
that the first GPU minute is never spent on a typo: every experiment measures through the same
per-process runner in the gpu preset's dtypes and flags, its data survive strict JSON, its checks run,
it renders, and every id the pages refer to is produced."""

from __future__ import annotations

import json
import sys

import pytest

from gen.experiments import names
from tests.conftest import isolated_env, run


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dry")
    done = run([sys.executable, "-m", "gen", "run-gpu", "--dry-run", "--out", str(tmp / "out")], isolated_env(tmp))
    return done, json.loads((tmp / "out" / "summary.json").read_text()), tmp / "out" / "results" / "dry"


def test_the_dry_run_passes_and_runs_every_experiment(dry_run):
    done, summary, _ = dry_run
    assert done.returncode == 0, done.stdout + done.stderr
    assert {r["experiment"]: r["status"] for r in summary["experiments"]} == {name: "ok" for name in names()}


def test_every_dry_result_renders_and_every_page_reference_is_produced(dry_run):
    _, summary, _ = dry_run
    assert summary["rehearsal"]["rendered"] == sorted(names())
    assert summary["rehearsal"]["problems"] == [] and summary["rehearsal"]["references"] > 300


def test_the_dry_run_measures_in_the_gpu_presets_dtypes_and_backends(dry_run):
    _, _, results = dry_run
    latency = json.loads((results / "latency_vs_length.json").read_text())["data"]
    assert latency["dtypes"] == {"attention": "bfloat16", "rnn": "float16", "peak": "bfloat16"}
    assert {s["backend"] for s in latency["series"]} == {"default", "no_cudnn"}
    assert json.loads((results / "kv_cache.json").read_text())["data"]["dtype"] == "bfloat16"
