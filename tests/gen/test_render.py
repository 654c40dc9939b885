"""Rendering smoke data: no torch, reproducible SVG bytes, distinct light and dark variants, no dates."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import run

RENDER = """
import json, sys
from gen.experiment import all_experiments
from gen.render.build import render_all
render_all(all_experiments())
print(json.dumps(sorted(m for m in sys.modules if m == "torch" or m.startswith("torch."))))
"""


def render_into(folder: Path, results: Path, env: dict) -> list[str]:
    """Render the results into folder in a fresh interpreter; the torch modules it ended up importing."""
    env = {k: v for k, v in env.items() if k != "RVA_EXPERIMENTS"}
    done = run([sys.executable, "-c", RENDER], {**env, "RVA_RESULTS": str(results), "RVA_RENDERED": str(folder)})
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def rendered(built_site, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("render")
    torch_modules = render_into(tmp / "first", built_site.results, built_site.env)
    render_into(tmp / "second", built_site.results, built_site.env)
    return {"first": tmp / "first", "second": tmp / "second", "torch_modules": torch_modules,
            "results": built_site.results, "env": built_site.env}


def svgs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.svg"))}


def test_rendering_imports_no_torch(rendered):
    assert rendered["torch_modules"] == []


def test_every_figure_is_rendered_in_a_light_and_a_dark_variant(rendered):
    manifest = json.loads((rendered["first"] / "manifest.json").read_text())
    expected = sorted(
        variant[theme]
        for experiment in manifest["experiments"].values()
        for figure in experiment["profiles"]["smoke"]["figures"].values()
        for variant in [figure, *figure.get("translations", {}).values()]  # English, and Chinese where translated
        if "light" in variant
        for theme in ("light", "dark")
    )
    assert "figures/serial_depth/time_vs_length.smoke-light.svg" in expected
    assert "figures/serial_depth/time_vs_length.smoke-zh-light.svg" in expected
    assert sorted(svgs(rendered["first"])) == expected
    assert all(name.endswith(("-light.svg", "-dark.svg")) for name in expected)


def test_rendering_the_same_data_twice_gives_byte_identical_svgs(rendered):
    first, second = svgs(rendered["first"]), svgs(rendered["second"])
    assert first and first == second


def test_rendering_the_same_data_twice_gives_an_identical_manifest(rendered):
    first = (rendered["first"] / "manifest.json").read_bytes()
    assert first == (rendered["second"] / "manifest.json").read_bytes()


def test_light_and_dark_variants_differ_and_use_their_themes_text_colour(rendered):
    files = svgs(rendered["first"])
    for name, light in files.items():
        if name.endswith("-light.svg"):
            dark = files[name.replace("-light.svg", "-dark.svg")]
            assert light != dark, name
            assert b"#1f2328" in light and b"#1f2328" not in dark, name
            assert b"#e6e6e6" in dark and b"#e6e6e6" not in light, name


def test_svgs_contain_no_date(rendered):
    measured_on = json.loads((rendered["results"] / "smoke" / "serial_depth.json").read_text())
    measured_on = measured_on["provenance"]["started_at"][:10]
    today = datetime.now(UTC).date().isoformat()
    for name, svg in svgs(rendered["first"]).items():
        text = svg.decode()
        assert "<dc:date>" not in text, name
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}", text), name
        assert measured_on not in text and today not in text, name


def test_rendering_again_into_the_same_folder_rewrites_no_figure(rendered, tmp_path):
    folder = tmp_path / "rendered"
    render_into(folder, rendered["results"], rendered["env"])
    figures = sorted(folder.rglob("*.svg"))
    for path in figures:
        path.write_bytes(b"left alone")  # a re-render would overwrite this
    render_into(folder, rendered["results"], rendered["env"])
    assert figures and all(p.read_bytes() == b"left alone" for p in figures)


def test_a_chinese_figure_has_its_glyphs_as_paths_and_an_english_one_keeps_its_text(rendered):
    files = svgs(rendered["first"])
    chinese = [name for name in files if "-zh-" in name]
    assert chinese
    for name in chinese:
        assert b"<text" not in files[name], f"{name}: a reader without a Chinese font would see boxes"
        english = files[name.replace("-zh-", "-")]
        assert b"<text" in english, name


def test_every_figure_is_drawn_in_chinese_and_every_computed_item_has_all_its_chinese_words(rendered):
    """Kept in step: a text changed or added in a render.py needs its entry in gen/render/translations/zh.yml.
    Every drawing must have it. Sentences written from measured data (which model wins, which method is
    fastest) can take a form that a noisy smoke run has and the catalog has not seen, so for measured
    items the words are held complete only where the data cannot change them: in computed items."""
    manifest = json.loads((rendered["first"] / "manifest.json").read_text())
    undrawn, unworded = [], []
    for name, experiment in manifest["experiments"].items():
        profile = experiment["profiles"]["smoke"]
        for key, figure in profile["figures"].items():
            chinese = figure.get("translations", {}).get("zh", {})
            if "light" not in chinese:
                undrawn.append(f"{name}.{key}")
            if figure["computed"] and not {"alt", "caption"} <= set(chinese):
                unworded.append(f"{name}.{key}")
        for kind in ("tables", "values"):
            unworded += [f"{name}.{key}" for key, item in profile[kind].items()
                         if item["computed"] and "zh" not in item.get("translations", {})]
    missing = sorted({text for experiment in manifest["experiments"].values()
                      for text in experiment["profiles"]["smoke"]["untranslated"]["zh"]})
    assert not undrawn and not unworded, (f"no Chinese drawing: {undrawn}; computed, with English words: "
                                          f"{unworded}; the catalog lacks: {missing}")
    assert sum("light" in f.get("translations", {}).get("zh", {}) for e in manifest["experiments"].values()
               for f in e["profiles"]["smoke"]["figures"].values()) > 20


def test_svg_paths_keep_two_decimals_and_no_repeated_line_command():
    from gen.render.style import _compact_paths

    svg = b'<path d="M 51.900412 22.8061 \n L 53.936635 28.4449 \n L 55.0 -0.0001 \n C 1 2 3 4 5 6 C 7 8 9 10 11 12"/>'
    assert _compact_paths(svg) == b'<path d="M 51.9 22.81 L 53.94 28.44 55.0 0 C 1 2 3 4 5 6 7 8 9 10 11 12"/>'
    # only path data: a transform's scale keeps all its digits
    kept = b'<g transform="scale(0.015625)"><path d="M 0 0"/></g>'
    assert _compact_paths(kept) == kept
