"""Which devices measured what the build shows, as the home page and Reproduce say it (site_src/embed.py)."""

from __future__ import annotations

from site_src.embed import devices_html


def entry(shown: str | None, device: str = "Test CPU (2 cores, timed on 1 thread)") -> dict:
    return {"shown": shown, "profiles": {shown: {"device": device}} if shown else {}}


def test_the_devices_line_names_each_device_and_its_experiments_and_says_when_no_gpu_measured():
    html = devices_html({"b": entry("cpu"), "a": entry("cpu")})
    assert "Test CPU (2 cores, timed on 1 thread) (cpu profile): 2 experiments (a, b)" in html
    assert "No result on this site was measured on a GPU." in html


def test_a_gpu_result_is_named_and_the_no_gpu_sentence_goes():
    html = devices_html({"a": entry("gpu", "NVIDIA H200 (host CPU: x)"), "b": entry("cpu")})
    assert "NVIDIA H200 (host CPU: x) (gpu profile): 1 experiment (a)" in html and "No result" not in html


def test_device_names_are_escaped_and_an_empty_build_says_so():
    assert "&lt;b&gt;" in devices_html({"a": entry("cpu", "<b>")})
    assert "No results are rendered" in devices_html({"x": entry(None)})


def test_a_computed_item_is_captioned_computed_and_names_no_device():
    from site_src.embed import measured_on
    from site_src.manifest import Resolved

    source = {"device": "Test CPU", "torch": "2.0", "date": "2026-12-01"}
    computed = Resolved({"computed": True}, "size_arithmetic", "cpu", source, [])
    measured = Resolved({"computed": False}, "kv_cache", "cpu", source, [])
    assert measured_on(computed) == ("Computed from formulas, not measured (by the size_arithmetic experiment, "
                                     "2026-12-01).")
    assert measured_on(measured).startswith("Measured on Test CPU with torch 2.0")


def test_the_experiments_mark_arithmetic_as_computed():
    import json

    from gen.experiments.size_arithmetic import PRESETS, measure, render

    data = json.loads(json.dumps(measure.measure(PRESETS["smoke"], "cpu", lambda n: None)))
    assert all(item.computed for item in [*render.figures(data), *render.tables(data), *render.values(data)])


def test_a_chinese_page_shows_an_items_chinese_words_and_svgs_and_falls_back_to_english_without_them():
    from site_src.embed import figure_html, value_html
    from site_src.manifest import Resolved
    from site_src.references import Reference

    source = {"device": "Test CPU", "torch": "2.0", "date": "2026-12-01", "result_file": "r.json"}
    figure = {"light": "f-light.svg", "dark": "f-dark.svg", "alt": "Time per step", "caption": "Flat.",
              "computed": False, "translations": {"zh": {"light": "f-zh-light.svg", "dark": "f-zh-dark.svg",
                                                        "alt": "每步耗时", "caption": "持平。"}}}
    ref = Reference("figure", "e", "f", None, None, 1)
    chinese = figure_html(ref, Resolved(figure, "e", "cpu", source, []), lambda uri: uri, "zh")
    english = figure_html(ref, Resolved(figure, "e", "cpu", source, []), lambda uri: uri, "en")
    assert 'src="f-zh-light.svg#only-light"' in chinese and 'alt="每步耗时"' in chinese and "持平。" in chinese
    assert 'src="f-light.svg#only-light"' in english and "每步" not in english
    untranslated = {**figure, "translations": {}}
    assert 'src="f-light.svg' in figure_html(ref, Resolved(untranslated, "e", "cpu", source, []), str, "zh")
    value = {"value": 2.5, "format": ".1f", "unit": "×", "label": "speed-up", "missing": "", "computed": False,
             "spread": None, "translations": {"zh": {"label": "加速比", "missing": ""}}}
    assert 'title="加速比' in value_html(Reference("value", "e", "v", None, None, 1),
                                         Resolved(value, "e", "cpu", source, []), "zh")
