"""Render every current result and write the manifest that the site's hooks read.

The manifest (build/rendered/manifest.json) is the only thing the site knows about results: for each
experiment, which profile is shown, notes about stale results, and per profile the figures, tables
and values with their provenance. A profile is re-rendered only when its data or the rendering code
changed, so a no-op build stays fast.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from gen.errors import GenError
from gen.experiment import Experiment
from gen.paths import REPO_ROOT, rendered_root, shown
from gen.render.ids import KEY
from gen.render.lead import judge_leads
from gen.selection import ResultState, all_states, notes_for_site, shown_profile
from gen.store import write_json_atomically

MANIFEST_NAME = "manifest.json"
# What rendering reads besides an experiment's own render.py and readings.py.
RENDER_SOURCES = [*sorted((REPO_ROOT / "gen" / "render").glob("*.py")), REPO_ROOT / "gen" / "analysis.py"]


def render_all(experiments: list[Experiment]) -> dict[str, Any]:
    root = rendered_root()
    previous = _load_manifest(root).get("experiments", {})
    manifest: dict[str, Any] = {"experiments": {}}
    for experiment in experiments:
        states = all_states(experiment)
        entry = {
            "question": experiment.question,
            "shown": shown_profile(states),
            "notes": notes_for_site(states),
            "profiles": {},
        }
        old_profiles = previous.get(experiment.name, {}).get("profiles", {})
        for profile, state in states.items():
            if state.current:
                rendered = _render_profile(experiment, state, old_profiles.get(profile))
                for check in state.checks:
                    if not check.passed:
                        print(f"{experiment.name} [{profile}]: FAILED {check.name} ({check.kind}): {check.detail}")
                # judged anew at every render, never reused: today's checks decide (gen/judging.py)
                entry["profiles"][profile] = {**rendered, "failed_checks": state.failed_checks}
        for note in entry["notes"]:
            print(f"{experiment.name}: note: {note}")
        manifest["experiments"][experiment.name] = entry
    write_json_atomically(root / MANIFEST_NAME, manifest)
    return manifest


def _render_profile(experiment: Experiment, state: ResultState, old: dict | None,
                    root: Path | None = None) -> dict[str, Any]:
    root = root or rendered_root()
    inputs = _inputs_hash(experiment, state)
    if old and old.get("inputs_hash") == inputs and _files_exist(root, old):
        return old
    from gen.render.style import THEMES, svg_bytes, themed  # matplotlib: only when there is work

    module = experiment.rendering_module()
    result = state.result
    data = result["data"]
    provenance = result["provenance"]
    figures_dir = root / "figures" / experiment.name
    for stale in figures_dir.glob(f"*.{state.profile}-*.svg"):
        stale.unlink()
    drawn = module.figures(data)
    # Before drawing anything, a caption the data no longer bear out stops the build. A result whose checks
    # failed is reported by render_all and never shown (a GPU one gives way to the CPU's), so it is not judged.
    if not state.failed_checks:
        judge_leads(experiment.name, shown(experiment.folder / "render.py"), state.profile, drawn)
    figures = {}
    for figure in drawn:
        files = {}
        for theme in THEMES:
            with themed(theme):
                svg = svg_bytes(figure.draw(theme))
            path = figures_dir / f"{figure.key}.{state.profile}-{theme.name}.svg"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(svg)
            files[theme.name] = path.relative_to(root).as_posix()
        figures[figure.key] = figure.entry(files)
    tables = {t.key: t.entry() for t in module.tables(data)}
    values = {v.key: v.entry() for v in module.values(data)}
    _check_keys(experiment, [*figures, *tables, *values])
    return {
        "inputs_hash": inputs,
        "result_file": state.path,
        "device": _device_text(provenance),
        "device_kind": provenance.get("device_kind"),
        "date": str(provenance.get("started_at", ""))[:10],
        "torch": provenance.get("torch"),
        "figures": figures,
        "tables": tables,
        "values": values,
    }




def _check_keys(experiment: Experiment, keys: list[str]) -> None:
    bad = [key for key in keys if not KEY.match(key)]  # what a page can write after "experiment."
    if bad:
        raise GenError(
            shown(experiment.folder / "render.py"),
            f"key '{bad[0]}' cannot be referenced from a page.",
            "Use lower-case letters, digits and underscores only.",
        )


def _device_text(provenance: dict[str, Any]) -> str:
    """The device by name; on a GPU also the host CPU, which runs any pure-Python part of an experiment."""
    name = str(provenance.get("device_name"))
    if provenance.get("device_kind") == "cuda":
        return f"{name} (host CPU: {provenance.get('cpu')})"
    return name


def render_one(experiment: Experiment, state: ResultState, root: Path) -> dict[str, Any]:
    """One result's figures, tables and values rendered into root, outside the site's manifest
    (the GPU dry run renders its toy results this way)."""
    return _render_profile(experiment, state, None, root)


def _inputs_hash(experiment: Experiment, state: ResultState) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(state.result, sort_keys=True).encode())
    for source in [experiment.folder / "render.py", experiment.folder / "readings.py", *RENDER_SOURCES]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _files_exist(root: Path, entry: dict[str, Any]) -> bool:
    return all((root / f[t]).exists() for f in entry.get("figures", {}).values() for t in ("light", "dark"))


def _load_manifest(root: Path) -> dict[str, Any]:
    try:
        return json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
