"""Looking references up in the rendered manifest: what it returns, and the sentence it gives when it cannot."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from site_src.manifest import LookupProblem, Manifest
from site_src.references import find


def source(**changes) -> dict:
    entry = {
        "result_file": "results/cpu/serial_depth.json",
        "device": "Test CPU (2 threads)",
        "device_kind": "cpu",
        "date": "2024-01-02",
        "torch": "2.0",
        "failed_checks": [],
        "figures": {"time_vs_length": {"light": "f-light.svg", "dark": "f-dark.svg", "alt": "a", "caption": "c"}},
        "tables": {"timings": {"markdown": "| a |\n| - |", "caption": "t"}},
        "values": {
            "loop_ns_per_step": {"value": 41.5, "format": ".0f", "unit": " ns", "label": "per step"},
            "largest_python_n": {"value": 100000, "format": ",d", "unit": "", "label": "longest"},
        },
    }
    entry.update(changes)
    return entry


DATA = {
    "experiments": {
        "serial_depth": {"question": "q", "shown": "cpu", "notes": [], "profiles": {"cpu": source()}},
        "other": {"question": "q", "shown": "cpu", "notes": [], "profiles": {"cpu": source()}},
    }
}


def manifest(change=None) -> Manifest:
    data = copy.deepcopy(DATA)
    if change:
        change(data["experiments"]["serial_depth"])
    return Manifest(data, Path("manifest.json"))


def resolve(reference: str, change=None):
    (ref,) = find(reference)
    return manifest(change).resolve(ref)


def problem(reference: str, change=None) -> str:
    with pytest.raises(LookupProblem) as raised:
        resolve(reference, change)
    return str(raised.value)


def test_a_known_value_resolves_to_its_item_and_source():
    resolved = resolve("{{ value:serial_depth.loop_ns_per_step }}")
    assert resolved.item["value"] == 41.5
    assert (resolved.experiment, resolved.profile) == ("serial_depth", "cpu")
    assert resolved.source["device"] == "Test CPU (2 threads)"


def test_an_unknown_experiment_names_the_known_ones():
    text = problem("{{ value:serial_dpeth.loop_ns_per_step }}")
    assert text == ("unknown experiment 'serial_dpeth' in value id 'serial_dpeth.loop_ns_per_step' "
                    "(experiments: other, serial_depth).")


def test_an_unknown_value_key_lists_the_known_values_of_that_experiment():
    text = problem("{{ value:serial_depth.no_such_value }}")
    assert text == ("unknown value id 'serial_depth.no_such_value'. Known values: "
                    "serial_depth.largest_python_n, serial_depth.loop_ns_per_step.")


def test_a_figure_key_used_as_a_value_is_unknown():
    text = problem("{{ value:serial_depth.time_vs_length }}")
    assert text.startswith("unknown value id 'serial_depth.time_vs_length'")


def test_an_unknown_table_key_lists_the_known_tables():
    assert problem("{{ table:serial_depth.nope }}").endswith("Known tables: serial_depth.timings.")


def test_a_result_with_failed_checks_is_refused_with_the_check_and_the_command_to_fix_it():
    def failed(entry):
        entry["profiles"]["cpu"]["failed_checks"] = [
            {"name": "python_loop_is_linear", "passed": False, "detail": "slope = 2, expected 1"}
        ]

    text = problem("{{ value:serial_depth.loop_ns_per_step }}", failed)
    assert "results/cpu/serial_depth.json" in text
    assert "python_loop_is_linear: slope = 2, expected 1" in text
    assert "python -m gen --only serial_depth --force" in text


def test_smoke_data_with_failed_checks_still_resolves_because_readers_never_see_it():
    def failed_smoke(entry):
        smoke = source(result_file="results/smoke/serial_depth.json",
                       failed_checks=[{"name": "python_loop_is_linear", "passed": False, "detail": "noisy"}])
        entry.update(shown="smoke", profiles={"smoke": smoke})

    resolved = resolve("{{ value:serial_depth.loop_ns_per_step }}", failed_smoke)
    assert resolved.profile == "smoke" and resolved.item["value"] == 41.5


def test_a_pinned_profile_that_was_not_rendered_is_a_problem_naming_it():
    text = problem("{{ value:serial_depth.loop_ns_per_step@gpu }}")
    assert text.startswith("no current result of 'serial_depth' for profile 'gpu' (")
    assert text.endswith("Run `make gen` to measure it.")


def test_an_experiment_with_no_current_result_passes_on_the_stale_note():
    def nothing_current(entry):
        entry.update(shown=None, profiles={}, notes=["results/gpu/serial_depth.json is stale (x changed)"])

    text = problem("{{ figure:serial_depth.time_vs_length }}", nothing_current)
    assert text == ("no current result of 'serial_depth' (results/gpu/serial_depth.json is stale (x changed)). "
                    "Run `make gen` to measure it.")


def test_notes_about_stale_results_go_with_the_shown_profile_only():
    def with_note(entry):
        entry["notes"] = ["results/gpu/serial_depth.json is stale"]
        entry["profiles"]["smoke"] = source()

    assert resolve("{{ value:serial_depth.loop_ns_per_step }}", with_note).notes == [
        "results/gpu/serial_depth.json is stale"
    ]
    assert resolve("{{ value:serial_depth.loop_ns_per_step@smoke }}", with_note).notes == []


def test_loading_a_missing_manifest_says_how_to_render_it(tmp_path):
    with pytest.raises(LookupProblem, match=r"manifest.json is missing: results have not been rendered\. Run `make"):
        Manifest.load(tmp_path / "manifest.json")


def test_a_loaded_manifest_resolves_like_one_built_in_memory(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(DATA))
    (ref,) = find("{{ table:serial_depth.timings }}")
    assert Manifest.load(path).resolve(ref).item["caption"] == "t"


def test_a_value_the_run_could_not_measure_shows_the_experiments_reason_not_a_number():
    from site_src.embed import value_html

    def unmeasured(data):
        data["profiles"]["cpu"]["values"]["loop_ns_per_step"].update(
            value=None, missing="beyond the measured lengths")

    ref = find("{{ value:serial_depth.loop_ns_per_step:.2f }}")[0]
    html = value_html(ref, manifest(unmeasured).resolve(ref))
    assert ">beyond the measured lengths</span>" in html
    assert "not measured in this run" in html and "None" not in html
