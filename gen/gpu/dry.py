"""What a dry run checks beyond measuring: the stored data survive a strict JSON round trip, render,
and produce every figure, table and value that a page of docs/ refers to.

Rendering needs matplotlib and reading the pages needs site_src: both are on a contributor's
machine, where the dry run is made, and neither is needed on the GPU machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gen.experiment import Experiment
from gen.paths import REPO_ROOT, shown
from gen.selection import state_of

_PLURAL = {"value": "values", "figure": "figures", "table": "tables"}


def rehearse(experiments: list[Experiment], out: Path, profile: str) -> dict[str, Any]:
    from gen.render.build import render_one

    problems: list[str] = []
    produced: dict[str, dict[str, Any]] = {}
    with _results_in(out / "results"):  # the dry run's own results, not the tree's
        states = {experiment.name: state_of(experiment, profile) for experiment in experiments}
    for experiment in experiments:
        state = states[experiment.name]
        if not state.exists:
            problems.append(f"{experiment.name}: no {profile} result to render (see logs/{experiment.name}.log)")
            continue
        text = json.dumps(state.result, allow_nan=False, sort_keys=True)
        if json.loads(text) != state.result:
            problems.append(f"{state.path}: does not survive a strict JSON round trip")
        try:
            produced[experiment.name] = render_one(experiment, state, out / "rendered")
        except Exception as err:  # a renderer that chokes on the gpu preset's data shape
            where = experiment.innermost_frame(err) or shown(experiment.folder / "render.py")
            problems.append(f"{where}: rendering the {profile} result failed: {type(err).__name__}: {err}")
    referenced = references_in_docs()
    for page, reference in referenced:
        entry = produced.get(reference.experiment) if reference.kind in _PLURAL else None
        if entry is not None and reference.key not in entry[_PLURAL[reference.kind]]:
            problems.append(f"{page}:{reference.line}: {reference.kind} '{reference.id}' is not produced "
                            f"from the {profile} preset's data")
    for problem in problems:
        print(f"dry run: {problem}")
    print(f"dry run: {len(produced)} rendered, {len(referenced)} page references checked, "
          f"{len(problems)} problem(s)", flush=True)
    return {"rendered": sorted(produced), "references": len(referenced), "problems": problems}


@contextmanager
def _results_in(folder: Path) -> Iterator[None]:
    """gen.paths reads the results folder from RVA_RESULTS (the tests' seam): point it at folder, then back."""
    before = os.environ.get("RVA_RESULTS")
    os.environ["RVA_RESULTS"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("RVA_RESULTS")
        else:
            os.environ["RVA_RESULTS"] = before


def references_in_docs() -> list[tuple[str, Any]]:
    from site_src.references import find

    found = []
    for page in sorted((REPO_ROOT / "docs").rglob("*.md")):
        found += [(shown(page), reference) for reference in find(page.read_text(encoding="utf-8"))]
    return found
