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

import yaml

from gen.errors import GenError
from gen.experiment import RENDER_PART_PREFIX, Experiment
from gen.paths import REPO_ROOT, rendered_root, shown
from gen.render.ids import KEY
from gen.render.lead import judge_leads
from gen.render.translate import (
    LANGUAGES,
    Catalog,
    catalog,
    catalog_path,
    figure_words,
    font_of,
    table_words,
    translate_drawn,
    value_words,
)
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
    _report_untranslated(manifest, root)
    return manifest


def _report_untranslated(manifest: dict[str, Any], root: Path) -> None:
    """Say which texts the catalogs lack, and write them out ready to be translated."""
    for language in LANGUAGES:
        if font_of(language) is None:
            print(f"{language}: figures not drawn in this language: its font is not installed (run 'npm ci'); "
                  "its pages show the English figures.")
            continue
        missing = sorted({text for entry in manifest["experiments"].values()
                          for profile in entry["profiles"].values()
                          for text in profile.get("untranslated", {}).get(language, [])})
        listing = root / f"untranslated.{language}.yml"
        if not missing:
            listing.unlink(missing_ok=True)
            continue
        listing.write_text(yaml.safe_dump({"texts": dict.fromkeys(missing, "")}, allow_unicode=True,
                                          width=1000, sort_keys=False), encoding="utf-8")
        print(f"{language}: {len(missing)} text(s) of figures, tables or values have no translation yet, so "
              f"those items show in English on the {language} pages; translate them from {shown(listing)} "
              f"into {shown(catalog_path(language))}.")


def _render_profile(experiment: Experiment, state: ResultState, old: dict | None,
                    root: Path | None = None) -> dict[str, Any]:
    root = root or rendered_root()
    inputs = _inputs_hash(experiment, state)
    if old and old.get("inputs_hash") == inputs and _files_exist(root, old):
        return old
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
    catalogs = {language: catalog(language) for language in LANGUAGES if font_of(language)}
    for figure in drawn:
        figures[figure.key] = figure.entry(_draw(figure, figures_dir, root, state.profile))
        for language, words in catalogs.items():
            # the drawing and the words each where the catalog has all of their texts
            translated = {**(_draw(figure, figures_dir, root, state.profile, language, words) or {}),
                          **figure_words(figure, words)}
            if translated:
                figures[figure.key].setdefault("translations", {})[language] = translated
    tables, values = {}, {}
    for table in module.tables(data):
        tables[table.key] = table.entry()
        _add_translations(tables[table.key], table, table_words, catalogs)
    for value in module.values(data):
        values[value.key] = value.entry()
        _add_translations(values[value.key], value, value_words, catalogs)
    _check_keys(experiment, [*figures, *tables, *values])
    return {
        "inputs_hash": inputs,
        "result_file": state.path,
        "device": _device_text(provenance),
        "device_translations": _device_translations(provenance, catalogs),
        "device_kind": provenance.get("device_kind"),
        "date": str(provenance.get("started_at", ""))[:10],
        "torch": provenance.get("torch"),
        "figures": figures,
        "tables": tables,
        "values": values,
        # what the catalogs lack, per language: the items that need it stay English on those pages
        "untranslated": {language: sorted(words.take_missing()) for language, words in catalogs.items()},
    }


def _draw(figure, folder: Path, root: Path, profile: str, language: str | None = None,
          words: Catalog | None = None) -> dict[str, str] | None:
    """The figure drawn in each theme, in English or translated with `words`: {theme: SVG path under
    root}; None when a text of it has no translation."""
    import matplotlib.pyplot as plt  # only when there is work

    from gen.render.style import THEMES, in_language, svg_bytes, themed

    files = {}
    for theme in THEMES:
        with themed(theme), in_language(language):
            drawn = figure.draw(theme)
            if words is not None and not translate_drawn(drawn, words):
                plt.close(drawn)
                return None
            svg = svg_bytes(drawn)
        variant = f"{language}-{theme.name}" if language else theme.name
        path = folder / f"{figure.key}.{profile}-{variant}.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(svg)
        files[theme.name] = path.relative_to(root).as_posix()
    return files


def _add_translations(entry: dict, item, words_of, catalogs: dict[str, Catalog]) -> None:
    for language, words in catalogs.items():
        text = words_of(item, words)
        if text is not None:
            entry.setdefault("translations", {})[language] = text




def _check_keys(experiment: Experiment, keys: list[str]) -> None:
    bad = [key for key in keys if not KEY.match(key)]  # what a page can write after "experiment."
    if bad:
        raise GenError(
            shown(experiment.folder / "render.py"),
            f"key '{bad[0]}' cannot be referenced from a page.",
            "Use lower-case letters, digits and underscores only.",
        )


# The device text around its names, in English; a catalog translates it as one entry, names kept.
DEVICE_TEXT = {"cpu": "{cpu} ({cores} cores, timed on {threads} thread)", "cuda": "{device} (host CPU: {cpu})"}


def _device_text(provenance: dict[str, Any], words: Catalog | None = None) -> str | None:
    """The device by name; on a GPU also the host CPU, which runs any pure-Python part of an experiment.
    In another language with `words`: None when its catalog lacks the text."""
    names = {"device": provenance.get("device_name"), "cpu": provenance.get("cpu"),
             "cores": provenance.get("logical_cores"), "threads": provenance.get("timing_threads")}
    kind = "cuda" if provenance.get("device_kind") == "cuda" else "cpu"
    if kind == "cpu" and None in (names["cpu"], names["cores"], names["threads"]):  # a result from before these
        return str(names["device"]) if words is None else None
    text = DEVICE_TEXT[kind] if words is None else words.text(DEVICE_TEXT[kind])
    return text.format(**names) if text is not None else None


def _device_translations(provenance: dict[str, Any], catalogs: dict[str, Catalog]) -> dict[str, str]:
    return {language: _device_text(provenance, words) or _device_text(provenance)
            for language, words in catalogs.items()}


def render_one(experiment: Experiment, state: ResultState, root: Path) -> dict[str, Any]:
    """One result's figures, tables and values rendered into root, outside the site's manifest
    (the GPU dry run renders its toy results this way)."""
    return _render_profile(experiment, state, None, root)


def _inputs_hash(experiment: Experiment, state: ResultState) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(state.result, sort_keys=True).encode())
    # render.py and the render_<part>.py it is split into (gen/experiment.py), the readings, the renderer
    rendering = sorted(experiment.folder.glob(f"{RENDER_PART_PREFIX}*.py"))
    for source in [experiment.folder / "render.py", *rendering, experiment.folder / "readings.py", *RENDER_SOURCES]:
        digest.update(source.read_bytes())
    for language in LANGUAGES:  # a new entry, or a font installed since, changes that language's figures
        digest.update(catalog_path(language).read_bytes() if catalog_path(language).is_file() else b"")
        digest.update(b"font" if font_of(language) else b"no font")
    return digest.hexdigest()[:16]


def _files_exist(root: Path, entry: dict[str, Any]) -> bool:
    variants = [v for f in entry.get("figures", {}).values() for v in [f, *f.get("translations", {}).values()]
                if "light" in v]  # a translation may have words only
    return all((root / variant[theme]).exists() for variant in variants for theme in ("light", "dark"))


def _load_manifest(root: Path) -> dict[str, Any]:
    try:
        return json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
