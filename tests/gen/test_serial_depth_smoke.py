"""The serial_depth experiment on its smoke preset: the data it returns and the self-checks it makes."""

from __future__ import annotations

import copy

import pytest

from gen.checks import EXACT, TIMING
from gen.experiments.serial_depth import PRESETS
from gen.experiments.serial_depth.measure import measure
from gen.experiments.serial_depth.readings import checks
from tests.gen.smoke import check_outcomes

CONFIG = PRESETS["smoke"]


EXPERIMENT = "serial_depth"  # the `data` fixture (tests/gen/conftest.py) measures it once per module



def test_self_checks_cover_linearity_agreement_and_speedup(data):
    assert set(check_outcomes(EXPERIMENT, data)) == {
        "python_loop_is_linear", "torch_loop_is_linear", "closed_form_matches_loop",
        "cumsum_matches_loop", "scan_beats_loop_at_largest_n",
    }


def test_timing_checks_are_the_ones_read_off_wall_clock_times(data):
    assert {c.name: c.kind for c in checks(data, CONFIG)} == {
        "python_loop_is_linear": TIMING, "torch_loop_is_linear": TIMING, "closed_form_matches_loop": EXACT,
        "cumsum_matches_loop": EXACT, "scan_beats_loop_at_largest_n": TIMING,
    }


def test_each_series_has_one_point_per_configured_length(data):
    assert [p["n"] for p in data["python"]] == list(CONFIG.python_lengths)
    assert [p["n"] for p in data["torch_loop"]] == list(CONFIG.torch_loop_lengths)
    assert [p["n"] for p in data["torch_scan"]] == list(CONFIG.torch_scan_lengths)


def test_python_points_time_the_loop_the_sum_and_the_closed_form(data):
    for point in data["python"]:
        for variant in ("loop", "sum", "closed_form"):
            timing = point[variant]
            assert timing["median_s"] > 0 and timing["iqr_s"] >= 0 and timing["runs"] >= 1, (point["n"], variant)


def test_every_compared_variant_is_timed_in_every_pass(data):
    timings = [p[v] for p in data["python"] for v in ("loop", "sum", "closed_form")]
    for timing in timings + data["torch_loop"] + data["torch_scan"]:
        assert len(timing["pass_medians_s"]) == CONFIG.passes
        assert timing["median_s"] == min(timing["pass_medians_s"])  # the fastest pass is kept


def test_data_records_the_config_it_was_measured_with(data):
    assert data["decay"] == CONFIG.decay
    assert data["torch_width"] == CONFIG.torch_width
    assert data["passes"] == CONFIG.passes


def test_the_fast_forms_agree_with_the_loops_to_rounding_error(data):
    assert data["agreement"]["closed_form_vs_loop"] < 1e-12
    assert data["agreement"]["cumsum_vs_loop"] < 1e-12


def test_progress_advances_once_per_point():
    steps = []
    small = type(CONFIG)(python_lengths=(1, 10), torch_loop_lengths=(10,), torch_scan_lengths=(10,),
                         torch_width=4, min_run_time=0.001)
    measure(small, "cpu", steps.append)
    assert sum(steps) == 4


# Doctored data: each self-check must be able to fail -------------------------------------------------


def quadratic_python_loop(data: dict) -> None:
    for point in data["python"]:
        point["loop"]["median_s"] = 1e-9 * point["n"] ** 2


def quadratic_torch_loop(data: dict) -> None:
    for point in data["torch_loop"]:
        point["median_s"] = 1e-9 * point["n"] ** 2


def closed_form_disagrees(data: dict) -> None:
    data["agreement"]["closed_form_vs_loop"] = 1e-3


def cumsum_disagrees(data: dict) -> None:
    data["agreement"]["cumsum_vs_loop"] = 1e-6


def scan_slower_than_loop(data: dict) -> None:
    for point in data["torch_scan"]:
        point["median_s"] = 1e3


@pytest.mark.parametrize("doctor, failing_check", [
    (quadratic_python_loop, "python_loop_is_linear"),
    (quadratic_torch_loop, "torch_loop_is_linear"),
    (closed_form_disagrees, "closed_form_matches_loop"),
    (cumsum_disagrees, "cumsum_matches_loop"),
    (scan_slower_than_loop, "scan_beats_loop_at_largest_n"),
])
def test_doctored_data_fails_exactly_the_check_about_it(data, doctor, failing_check):
    doctored = copy.deepcopy(data)
    doctor(doctored)
    failed = [name for name, passed in check_outcomes(EXPERIMENT, doctored).items() if not passed]
    assert failed == [failing_check]


def test_a_failed_linearity_check_reports_the_slope_it_saw(data):
    doctored = copy.deepcopy(data)
    quadratic_python_loop(doctored)
    detail = next(c.detail for c in checks(doctored, CONFIG) if c.name == "python_loop_is_linear")
    assert "= 2, expected between" in detail
