"""Which inputs a result's hash covers, why a stored result is stale, and which result the site shows."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from gen.checks import TIMING, Check
from gen.experiment import Experiment
from gen.paths import REPO_ROOT
from gen.runner import measure_one
from gen.selection import ResultState, all_states, notes_for_site, shown_profile, state_of
from tests.gen.conftest import FIXTURE_EXPERIMENTS


def change_preset(monkeypatch, experiment: Experiment, profile: str) -> None:
    presets = experiment.spec.PRESETS
    monkeypatch.setitem(presets, profile, dataclasses.replace(presets[profile], scale=2.5))


def append_to(path, text: str) -> None:
    path.write_text(path.read_text() + text)


# code_hash -----------------------------------------------------------------------------------------


def test_the_code_hash_of_an_unchanged_experiment_is_the_same_in_a_fresh_process(steady):
    """Nothing process-specific (a set's order, an id, a path) may leak into the hash."""
    code = "from gen.experiment import Experiment; print(Experiment('fixture_steady').code_hash('cpu'))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(FIXTURE_EXPERIMENTS)]),
           "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == steady.code_hash("cpu")


def test_each_profile_has_its_own_code_hash(steady):
    assert len({steady.code_hash(p) for p in ("smoke", "cpu", "gpu")}) == 3


def test_changing_a_profiles_config_changes_its_code_hash(steady, monkeypatch):
    before = steady.code_hash("cpu")
    change_preset(monkeypatch, steady, "cpu")
    assert steady.code_hash("cpu") != before


def test_changing_another_profiles_preset_leaves_the_code_hash_alone(steady, monkeypatch):
    before = steady.code_hash("cpu")
    change_preset(monkeypatch, steady, "gpu")
    monkeypatch.setitem(steady.spec.PRESETS, "extra", steady.spec.PRESETS["smoke"])
    assert steady.code_hash("cpu") == before


def test_editing_measure_py_changes_the_code_hash_of_every_profile(editable):
    before = {p: editable.code_hash(p) for p in ("smoke", "cpu", "gpu")}
    append_to(editable.folder / "measure.py", "\n# a harmless edit\n")
    assert all(editable.code_hash(p) != before[p] for p in before)


def test_editing_render_py_changes_no_code_hash(editable):
    before = editable.code_hash("cpu")
    append_to(editable.folder / "render.py", "\n# rendering is not an input to measuring\n")
    assert editable.code_hash("cpu") == before


def test_editing_a_render_part_re_renders_and_measures_nothing_again(editable):
    """render.py may be split into render_<part>.py files: an edit to one is an edit to rendering, so the
    figures are drawn again (the render inputs' hash changes) and no result goes stale."""
    from types import SimpleNamespace

    from gen.render.build import _inputs_hash

    part = editable.folder / "render_extra.py"
    part.write_text("# a part of render.py\n")
    state = SimpleNamespace(result={"data": {}, "provenance": {}})
    before_render, before_code = _inputs_hash(editable, state), editable.code_hash("cpu")
    append_to(part, "# an edit\n")
    assert _inputs_hash(editable, state) != before_render
    assert editable.code_hash("cpu") == before_code


def test_asking_for_a_profile_without_a_preset_is_a_gen_error_naming_the_file(steady, monkeypatch):
    from gen.errors import GenError

    monkeypatch.delitem(steady.spec.PRESETS, "gpu")
    with pytest.raises(GenError, match="fixture_steady/__init__.py: experiment 'fixture_steady' has no 'gpu'"):
        steady.code_hash("gpu")


# stale_reasons -------------------------------------------------------------------------------------


def test_a_fresh_result_is_current(steady, results_dir):
    measure_one(steady, "cpu", "cpu")
    state = state_of(steady, "cpu")
    assert state.current and state.stale_reasons == ()
    assert state.describe().endswith("is current")


def test_a_result_never_measured_is_missing(steady, results_dir):
    state = state_of(steady, "gpu")
    assert not state.exists and not state.current
    assert state.describe().endswith("fixture_steady.json is missing")


def test_a_config_change_makes_that_profile_stale_and_says_so(steady, results_dir, monkeypatch):
    measure_one(steady, "cpu", "cpu")
    change_preset(monkeypatch, steady, "cpu")
    assert state_of(steady, "cpu").stale_reasons == ("the config of this profile changed since it was measured",)


def test_a_config_change_of_another_profile_keeps_this_one_current(steady, results_dir, monkeypatch):
    measure_one(steady, "cpu", "cpu")
    change_preset(monkeypatch, steady, "smoke")
    assert state_of(steady, "cpu").current


def test_an_edit_to_measure_py_names_that_file_as_the_reason(editable, results_dir):
    measure_one(editable, "smoke", "cpu")
    append_to(editable.folder / "measure.py", "\n# a harmless edit\n")
    (reason,) = state_of(editable, "smoke").stale_reasons
    assert reason == f"{editable.folder / 'measure.py'} changed since it was measured"


def test_a_change_to_shared_measuring_code_names_that_file(steady, results_dir):
    measure_one(steady, "cpu", "cpu")
    path = results_dir / "cpu" / "fixture_steady.json"
    result = json.loads(path.read_text())
    result["provenance"]["hash_parts"]["gen/measuring/timing.py"] = "0" * 16  # as if timing.py was edited since
    path.write_text(json.dumps(result))
    assert state_of(steady, "cpu").stale_reasons == ("gen/measuring/timing.py changed since it was measured",)


def test_a_removed_preset_makes_its_stored_result_stale(steady, results_dir, monkeypatch):
    measure_one(steady, "gpu", "cpu")
    monkeypatch.delitem(steady.spec.PRESETS, "gpu")
    assert state_of(steady, "gpu").stale_reasons == ("the experiment has no 'gpu' preset any more",)


# which result the site shows -----------------------------------------------------------------------


def state(profile: str, exists: bool = True, stale: tuple[str, ...] = (), passes: bool = True) -> ResultState:
    result = {"data": {}} if exists else None
    checks = (Check("slope_in_range", passes, "slope 1.2", TIMING),) if exists else ()
    return ResultState("x", profile, f"results/{profile}/x.json", result, stale, checks)


@pytest.mark.parametrize("current, shown", [
    ({"gpu", "cpu", "smoke"}, "gpu"),
    ({"cpu", "smoke"}, "cpu"),
    ({"smoke"}, "smoke"),
    ({"gpu", "smoke"}, "gpu"),
    (set(), None),
])
def test_the_site_shows_the_most_preferred_current_profile(current, shown):
    states = {p: state(p, exists=p in current) for p in ("smoke", "cpu", "gpu")}
    assert shown_profile(states) == shown


@pytest.mark.parametrize("failing, shown", [
    ({"gpu"}, "cpu"),  # a GPU check that fails never breaks the site: the build's own CPU result is shown
    ({"gpu", "cpu"}, "cpu"),  # a failing CPU result is still chosen, so that the build stops and says why
    ({"cpu"}, "gpu"),
])
def test_a_gpu_result_whose_checks_fail_is_passed_over_for_the_cpu_result(failing, shown):
    states = {p: state(p, exists=p != "smoke", passes=p not in failing) for p in ("smoke", "cpu", "gpu")}
    assert shown_profile(states) == shown


def test_the_site_notes_the_failing_gpu_file_and_its_failed_check():
    states = {p: state(p, exists=p != "smoke", passes=p != "gpu") for p in ("smoke", "cpu", "gpu")}
    assert notes_for_site(states) == ["results/gpu/x.json is current but its self-checks failed "
                                      "(slope_in_range: slope 1.2); showing the cpu result instead."]


def test_a_stale_gpu_result_is_never_shown(steady, results_dir, monkeypatch):
    for profile in ("smoke", "cpu", "gpu"):
        measure_one(steady, profile, "cpu")
    assert shown_profile(all_states(steady)) == "gpu"
    change_preset(monkeypatch, steady, "gpu")
    assert shown_profile(all_states(steady)) == "cpu"


def test_the_site_notes_a_stale_gpu_result_and_why_it_is_stale(steady, results_dir, monkeypatch):
    for profile in ("cpu", "gpu"):
        measure_one(steady, profile, "cpu")
    change_preset(monkeypatch, steady, "gpu")
    (note,) = notes_for_site(all_states(steady))
    assert note == (f"{results_dir / 'gpu' / 'fixture_steady.json'} is stale (the config of this profile "
                    "changed since it was measured); showing the cpu result instead.")


def test_with_nothing_current_the_note_says_there_is_nothing_to_show(steady, results_dir, monkeypatch):
    measure_one(steady, "gpu", "cpu")
    change_preset(monkeypatch, steady, "gpu")
    states = all_states(steady)
    assert shown_profile(states) is None
    (note,) = notes_for_site(states)
    assert note.endswith("is stale (the config of this profile changed since it was measured); "
                         "no current result to show.")


def test_a_stale_result_less_preferred_than_the_shown_one_is_not_noted(steady, results_dir, monkeypatch):
    for profile in ("smoke", "gpu"):
        measure_one(steady, profile, "cpu")
    change_preset(monkeypatch, steady, "smoke")
    states = all_states(steady)
    assert shown_profile(states) == "gpu"
    assert notes_for_site(states) == []
