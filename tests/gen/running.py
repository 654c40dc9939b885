"""Running `python -m gen` in a test, against the tiny experiments in tests/fixtures/experiments."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.conftest import REPO, isolated_env, run

FIXTURE_EXPERIMENTS = REPO / "tests" / "fixtures" / "experiments"
SMOKE_ON_CPU = ("--profile", "smoke", "--device", "cpu")


def gen_env(tmp: Path, experiments: str = "fixture_steady", python_path: tuple[Path, ...] = ()) -> dict:
    env = isolated_env(tmp)
    env.pop("RVA_FIXTURE_CRASH", None)
    env["RVA_EXPERIMENTS"] = experiments
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (*python_path, FIXTURE_EXPERIMENTS))
    return env


def gen(*args: str, env: dict):
    return run([sys.executable, "-m", "gen", *args], env)
