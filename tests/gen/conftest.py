"""Fixtures for gen's tests: results in a temporary folder, and the tiny experiments in tests/fixtures."""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import pytest

from gen.experiment import Experiment
from tests.gen.smoke import smoke_data

FIXTURE_EXPERIMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "experiments"


@pytest.fixture
def results_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point gen's results and rendered output at a temporary folder for this test."""
    monkeypatch.setenv("RVA_RESULTS", str(tmp_path / "results"))
    monkeypatch.setenv("RVA_RENDERED", str(tmp_path / "rendered"))
    return tmp_path / "results"


@pytest.fixture
def steady(monkeypatch: pytest.MonkeyPatch) -> Experiment:
    """tests/fixtures/experiments/fixture_steady, importable; edits to its PRESETS via monkeypatch."""
    monkeypatch.syspath_prepend(str(FIXTURE_EXPERIMENTS))
    return Experiment("fixture_steady")


@pytest.fixture
def editable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A private copy of fixture_steady whose source files a test may edit."""
    name = "fixture_editable"
    packages = tmp_path / "packages"
    shutil.copytree(FIXTURE_EXPERIMENTS / "fixture_steady", packages / name,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(packages))
    forget(name)
    importlib.invalidate_caches()
    yield Experiment(name)
    forget(name)


def forget(package: str) -> None:
    for module in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[module]


@pytest.fixture(scope="module")
def data(request: pytest.FixtureRequest) -> dict:
    """The smoke data of the experiment a test module names in EXPERIMENT: measured once per session
    (tests/gen/smoke.py), and a fresh copy per module, so a test may doctor it."""
    return smoke_data(request.module.EXPERIMENT)
