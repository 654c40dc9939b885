"""The parallel_scan experiment on its smoke preset: counted work, errors, timings, checks and rendering."""

from __future__ import annotations

import copy
import importlib
from dataclasses import replace

import pytest
import torch

from gen.checks import EXACT, TIMING
from gen.experiments.parallel_scan import PRESETS, formulas, scans
from gen.experiments.parallel_scan.measure import time_length
from gen.experiments.parallel_scan.render import tables, values
from tests.gen.smoke import check_outcomes, judged

CONFIG = PRESETS["smoke"]


EXPERIMENT = "parallel_scan"  # the `data` fixture (tests/gen/conftest.py) measures it once per module



def test_self_checks_cover_counts_accuracy_the_broken_shortcut_and_speed(data):
    assert set(check_outcomes(EXPERIMENT, data)) == {
        "loop_counts_match_formula", "hillis_steele_counts_match_formula", "blelloch_counts_match_formula",
        "stable_scans_match_float64_loop", "log_space_shortcut_breaks", "best_parallel_scan_beats_loop",
    }


def test_only_the_speedup_check_is_a_timing_check(data):
    kinds = {check.name: check.kind for check in judged(EXPERIMENT, data)}
    assert kinds == {name: TIMING if name == "best_parallel_scan_beats_loop" else EXACT for name in kinds}


@pytest.mark.parametrize("T", [2, 3, 5, 8, 100, 1000])
def test_hand_written_scans_match_the_loop_at_lengths_that_are_not_powers_of_two(T):
    a, b = torch.rand(3, T, dtype=torch.float64) * 0.5 + 0.5, torch.randn(3, T, dtype=torch.float64)
    expected, _ = scans.sequential(a, b, torch.empty_like(b))
    for scan in (scans.hillis_steele, scans.blelloch):
        h, counts = scan(a, b)
        torch.testing.assert_close(h, expected)
        assert counts == formulas.expected_counts(scan.__name__, T)


def test_scans_do_not_modify_their_inputs():
    a, b = torch.rand(2, 16), torch.randn(2, 16)
    a_before, b_before = a.clone(), b.clone()
    scans.hillis_steele(a, b)
    scans.blelloch(a, b)
    assert torch.equal(a, a_before) and torch.equal(b, b_before)


def test_pointwise_associative_scan_is_recorded_as_unsupported_on_cpu(data):
    assert "builtin_pointwise" not in data["timing"]
    assert "CUDA" in data["unsupported"]["builtin_pointwise"]


def test_each_method_is_timed_at_its_configured_lengths(data):
    assert [p["T"] for p in data["timing"]["loop"]] == list(CONFIG.loop_lengths)
    for name in ("hillis_steele", "blelloch", "builtin_generic", "log_space"):
        assert [p["T"] for p in data["timing"][name]] == list(CONFIG.scan_lengths), name
    assert all(len(p["pass_medians_s"]) == CONFIG.rounds for points in data["timing"].values() for p in points)


def test_the_counts_are_kept_at_every_timed_and_error_length(data):
    for name in formulas.COUNTED:
        lengths = CONFIG.loop_lengths if name == "loop" else CONFIG.scan_lengths
        assert [p["T"] for p in data["counts"][name]] == sorted(set(lengths) | set(CONFIG.error_lengths)), name


def test_a_library_scan_failing_while_timed_is_data_and_a_hand_written_one_failing_is_a_bug():
    def fails(a, b):
        raise RuntimeError("no kernel at this length\ndetails")

    small = replace(CONFIG, min_run_time=0.001, rounds=2)
    points = time_length(small, {"builtin_generic": fails, "log_space": lambda a, b: (a * b, None)}, 64, "cpu", {})
    assert points["builtin_generic"] == {"T": 64, "status": "unsupported",
                                         "reason": "RuntimeError: no kernel at this length"}
    assert points["log_space"]["median_s"] > 0 and len(points["log_space"]["pass_medians_s"]) == 2
    with pytest.raises(RuntimeError, match="no kernel"):
        time_length(small, {"blelloch": fails}, 64, "cpu", {})


def test_the_closed_form_is_accurate_until_it_turns_non_finite(data):
    errors = {p["T"]: p["error"] for p in data["errors"]["log_space"]}
    broken = data["log_space"]["first_broken_T"]
    assert all(e == "nonfinite" or e > 1e-3 for T, e in errors.items() if T >= broken)
    assert all(e != "nonfinite" and e < 1e-5 for T, e in errors.items() if T < broken)


def test_float64_only_postpones_the_closed_form_breaking(data):
    assert data["log_space"]["first_broken_T_float64"] > 4 * data["log_space"]["first_broken_T"]


# Doctored data: each self-check must be able to fail -------------------------------------------------


def hillis_steele_one_round_short(data: dict) -> None:
    data["counts"]["hillis_steele"][-1]["rounds"] -= 1


def blelloch_extra_combine(data: dict) -> None:
    data["counts"]["blelloch"][0]["combines"] += 1


def loop_miscounted(data: dict) -> None:
    data["counts"]["loop"][3]["rounds"] = 1


def blelloch_inaccurate(data: dict) -> None:
    data["errors"]["blelloch"][-1]["error"] = 1e-2


def hillis_steele_nonfinite(data: dict) -> None:
    data["errors"]["hillis_steele"][0]["error"] = "nonfinite"


def shortcut_never_breaks(data: dict) -> None:
    data["log_space"]["first_broken_T"] = None


def parallel_scans_slow(data: dict) -> None:
    for name in ("hillis_steele", "blelloch", "builtin_generic"):
        for point in data["timing"][name]:
            point["median_s"] = 1e3


@pytest.mark.parametrize("doctor, failing", [
    (hillis_steele_one_round_short, "hillis_steele_counts_match_formula"),
    (blelloch_extra_combine, "blelloch_counts_match_formula"),
    (loop_miscounted, "loop_counts_match_formula"),
    (blelloch_inaccurate, "stable_scans_match_float64_loop"),
    (hillis_steele_nonfinite, "stable_scans_match_float64_loop"),
    (shortcut_never_breaks, "log_space_shortcut_breaks"),
    (parallel_scans_slow, "best_parallel_scan_beats_loop"),
])
def test_doctored_data_fails_exactly_the_check_about_it(data, doctor, failing):
    doctored = copy.deepcopy(data)
    doctor(doctored)
    failed_before = {name for name, passed in check_outcomes(EXPERIMENT, data).items() if not passed}
    failed = {name for name, passed in check_outcomes(EXPERIMENT, doctored).items() if not passed}
    assert failed - failed_before == {failing}


# Rendering -------------------------------------------------------------------------------------------


def test_it_renders_the_figures_the_pages_refer_to(data):
    """Drawing each in both themes, with alt text and a caption, is tests/gen/test_every_experiment_smoke.py's job."""
    keys = {figure.key for figure in importlib.import_module("gen.experiments.parallel_scan.render").figures(data)}
    assert keys == {'error_vs_length', 'time_vs_length', 'scan_trees'}


def test_the_work_table_shows_counted_rounds_and_combines(data):
    table = {t.key: t for t in tables(data)}["rounds_and_work"]
    first = table.rows[0]
    T = int(first[0].replace(",", ""))
    assert int(first[3]) == formulas.ceil_log2(T)
    assert int(first[6].replace(",", "")) == formulas.expected_counts("blelloch", T)[1]


def test_values_quote_rounds_work_the_break_and_the_speedup(data):
    got = {v.key: v for v in values(data)}
    for key in ("largest_t", "hillis_steele_rounds_at_largest_t", "blelloch_rounds_at_largest_t",
                "work_ratio_hs_over_blelloch", "log_space_breaks_at_t", "log_space_breaks_at_t_float64",
                "cumprod_underflows_at_t", "speedup_best_parallel_over_loop", "max_stable_error",
                "log_space_error_before_break"):
        assert key in got, key
    largest = max(CONFIG.scan_lengths + CONFIG.error_lengths)
    assert got["hillis_steele_rounds_at_largest_t"].value == formulas.ceil_log2(largest)
    assert got["blelloch_rounds_at_largest_t"].value == 2 * formulas.ceil_log2(largest) - 1


@pytest.mark.parametrize("T", [2, 5, 8, 13, 16, 64])
def test_the_diagrams_schedules_are_the_scans_own(T):
    """The scan-tree figure draws formulas.py's schedules: applied pair by pair they give the torch
    scans' results, and at powers of two their rounds and combines are the counts the scans report."""
    import torch

    from gen.experiments.parallel_scan import scans
    from gen.experiments.parallel_scan.formulas import blelloch_schedule, hillis_steele_schedule, holds_after

    generator = torch.Generator().manual_seed(T)
    a = torch.rand(1, T, dtype=torch.float64, generator=generator)
    b = torch.rand(1, T, dtype=torch.float64, generator=generator)
    for schedule, scan in ((hillis_steele_schedule(T), scans.hillis_steele), (blelloch_schedule(T), scans.blelloch)):
        pairs = [(a[0, i].item(), b[0, i].item()) for i in range(T)]
        for combines in schedule:
            before = list(pairs)
            for source, target in combines:
                (a1, b1), (a2, b2) = before[source], before[target]
                pairs[target] = (a1 * a2, a2 * b1 + b2)
        result, (rounds, combines_counted) = scan(a.clone(), b.clone())
        assert [p[1] for p in pairs] == pytest.approx(result[0].tolist(), rel=1e-12)
        assert holds_after(schedule, T)[-1] == [(0, i) for i in range(T)]
        if T & (T - 1) == 0:  # padding adds combines the diagram leaves out, so compare at powers of two
            assert (len(schedule), sum(map(len, schedule))) == (rounds, combines_counted)
