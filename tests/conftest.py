"""Shared fixtures: a complete site built once per test session from smoke-profile results.

Tests never touch the contributor's results/ or build/: measuring and rendering go to a temporary
folder through RVA_RESULTS and RVA_RENDERED, and the site is built into another.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Folders whose tests need a tool besides Python, by the marker `make test-fast` leaves out
TOOL_MARKERS = {REPO / "tests" / "browser": "browser", REPO / "tests" / "checks": "checker"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for folder, marker in TOOL_MARKERS.items():
            if folder in item.path.parents:
                item.add_marker(marker)


@dataclass(frozen=True)
class BuiltSite:
    results: Path  # results/<profile>/<experiment>.json
    rendered: Path  # manifest.json and figures
    site: Path  # the built HTML
    env: dict[str, str]  # the environment that points gen and the hooks at the folders above


def run(args: list[str], env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def isolated_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(RVA_RESULTS=str(tmp / "results"), RVA_RENDERED=str(tmp / "rendered"), NO_MKDOCS_2_WARNING="1")
    return env


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    tmp = tmp_path_factory.mktemp("built")
    env = isolated_env(tmp)
    measured = run([sys.executable, "-m", "gen", "--profile", "smoke", "--device", "cpu"], env)
    assert measured.returncode == 0, measured.stdout + measured.stderr
    built = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(tmp / "site")], env)
    assert built.returncode == 0, built.stdout + built.stderr
    return BuiltSite(tmp / "results", tmp / "rendered", tmp / "site", env)
