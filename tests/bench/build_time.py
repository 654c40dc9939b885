"""Benchmark the build: a cold `make site` with an empty cache, a no-op `make site` right after, and a
bare `mkdocs build` of the same tree for comparison.

    make bench

It works on a copy of the tracked tree (mtimes kept) in a temporary folder, sharing this checkout's
.venv and node_modules so that installing is not timed; your own results/ and build/ are not touched.
Targets (issue 2): cold under 5 minutes on 2 cores; no-op within 1.3x of a bare mkdocs build.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "build" / "bench" / "build_time.md"
REPEATS = 5


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="rva-bench-") as tmp:
        tree = Path(tmp) / "tree"
        copy_tree(tree)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        env.pop("RVA_RESULTS", None)
        env.pop("RVA_RENDERED", None)
        cold = timed(["make", "site"], tree, env)
        noop = [timed(["make", "site"], tree, env) for _ in range(REPEATS)]
        bare = [timed([str(REPO / ".venv/bin/python"), "-m", "mkdocs", "build", "--strict", "--quiet"], tree, env)
                for _ in range(REPEATS)]
    noop_median, bare_median = statistics.median(noop), statistics.median(bare)
    lines = [
        "# Build benchmark",
        "",
        f"Machine: {os.cpu_count()} logical cores. Medians of {REPEATS} runs where repeated.",
        "",
        "| what | seconds | target |",
        "| --- | --: | --- |",
        f"| cold `make site` (empty cache, install excluded) | {cold:.1f} | under 300 |",
        f"| no-op `make site` | {noop_median:.2f} | within 1.3x of bare |",
        f"| bare `mkdocs build --strict` | {bare_median:.2f} | |",
        f"| no-op / bare | {noop_median / bare_median:.2f}x | at most 1.3x |",
    ]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\n(written to {REPORT.relative_to(REPO)})")
    return 0


def copy_tree(target: Path) -> None:
    """The files git knows about (tracked, or untracked and not ignored), with their mtimes."""
    listed = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    archive = target.parent / "tree.tar"
    with tarfile.open(archive, "w") as tar:
        for name in filter(None, listed):
            if (REPO / name).exists():
                tar.add(REPO / name, arcname=name)
    target.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="tar")
    for shared in (".venv", "node_modules"):
        (target / shared).symlink_to(REPO / shared)


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed in the benchmark copy:\n{done.stdout}{done.stderr}")
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
