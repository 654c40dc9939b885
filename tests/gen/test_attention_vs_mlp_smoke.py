"""The attention_vs_mlp experiment on its smoke preset: its data, its self-checks and its rendering."""

from __future__ import annotations

import copy
import importlib

import pytest

from gen.checks import EXACT, TIMING
from gen.experiments.attention_vs_mlp import PARTS, PRESETS, readings, render
from gen.experiments.attention_vs_mlp.measure import measure
from tests.gen.smoke import check_outcomes

CONFIG = PRESETS["smoke"]


EXPERIMENT = "attention_vs_mlp"  # the `data` fixture (tests/gen/conftest.py) measures it once per module



def test_self_checks_cover_growth_formulas_and_crossovers(data):
    assert set(check_outcomes(EXPERIMENT, data)) == {
        "core_outgrows_mlp", "flop_formulas_match_counter", "crossovers_near_analytic"}


def test_timing_checks_are_the_ones_read_off_wall_clock_times(data):
    assert {c.name: c.kind for c in readings.checks(data, CONFIG)} == {
        "core_outgrows_mlp": TIMING, "flop_formulas_match_counter": EXACT, "crossovers_near_analytic": TIMING,
    }


def test_each_width_times_every_part_at_every_length(data):
    assert [e["width"] for e in data["widths"]] == list(CONFIG.widths)
    for entry in data["widths"]:
        assert [p["length"] for p in entry["points"]] == [round(f * entry["width"]) for f in CONFIG.length_factors]
        for point in entry["points"]:
            for part in PARTS:
                assert point[part]["median_s"] > 0, (entry["width"], point["length"], part)


def test_the_parts_are_timed_side_by_side_in_every_pass(data):
    assert data["passes"] == CONFIG.passes
    for entry in data["widths"]:
        for point in entry["points"]:
            for part in PARTS:
                timing = point[part]
                assert len(timing["pass_medians_s"]) == CONFIG.passes, (entry["width"], point["length"], part)
                assert timing["median_s"] == min(timing["pass_medians_s"])  # the fastest pass is kept


def test_predicted_crossovers_are_four_and_six_widths(data):
    for entry in data["widths"]:
        assert entry["analytic"]["mlp"]["length"] == 4 * entry["width"]
        assert entry["analytic"]["dense"]["length"] == 6 * entry["width"]
        assert entry["analytic"]["dense"]["formula"] == "T* = 24·d² / 4·d = 6·d"


def test_analytic_flops_equal_the_direct_count_exactly(data):
    assert set(data["flop_formulas"]) == {"projections", "core", "mlp", "block", "encoder_layer"}
    for name, count in data["flop_formulas"].items():
        assert count["formula"] == count["counted"], name


def test_the_crossover_of_a_pure_power_law_ratio_is_exact():
    # core = T² and dense = 100·T seconds cross at T = 100, whatever the points around it
    entry = {"points": [{"length": n, "core": {"median_s": n * n}, "mlp": {"median_s": 100.0 * n},
                         "projections": {"median_s": 0.0}} for n in (25, 50, 100, 200, 400)],
             "analytic": {"mlp": {"length": 100.0}}}
    assert readings.crossover(entry, "mlp") == pytest.approx(100.0)
    assert readings.crossover_ratio(entry, "mlp") == pytest.approx(1.0)


def test_progress_advances_once_per_point():
    steps = []
    small = type(CONFIG)(widths=(8, 16), length_factors=(1.0, 2.0), head_dim=4, batch=1, dtype="float32",
                         min_run_time=0.001)
    measure(small, "cpu", steps.append)
    assert sum(steps) == 4


# Rendering ----------------------------------------------------------------------------------------


def test_it_renders_the_figures_the_pages_refer_to(data):
    """Drawing each in both themes, with alt text and a caption, is tests/gen/test_every_experiment_smoke.py's job."""
    keys = {figure.key for figure in importlib.import_module("gen.experiments.attention_vs_mlp.render").figures(data)}
    assert keys == {'core_over_dense', 'parts_vs_length'}


def test_the_table_has_both_comparisons_for_each_width(data):
    (table,) = render.tables(data)
    assert table.key == "crossovers" and len(table.rows) == 2 * len(CONFIG.widths)


def test_values_name_widths_by_rank_so_pages_work_with_any_preset(data):
    keys = {v.key for v in render.values(data)}
    for rank in ("narrow", "wide"):
        assert {
            f"width_{rank}", f"crossover_mlp_predicted_{rank}", f"crossover_mlp_measured_{rank}",
            f"crossover_mlp_ratio_{rank}", f"crossover_dense_predicted_{rank}", f"crossover_dense_measured_{rank}",
            f"crossover_dense_ratio_{rank}", f"core_slope_{rank}", f"mlp_slope_{rank}",
        } <= keys


# Doctored data: each self-check must be able to fail -------------------------------------------------


def core_as_cheap_as_mlp(data: dict) -> None:
    for entry in data["widths"]:
        for point in entry["points"]:
            point["core"]["median_s"] = point["mlp"]["median_s"]


def formula_off_by_one_matmul(data: dict) -> None:
    data["flop_formulas"]["mlp"]["formula"] += 2


def core_ten_times_slower(data: dict) -> None:
    for point in data["widths"][0]["points"]:
        point["core"]["median_s"] *= 10


@pytest.mark.parametrize("doctor, failing_checks", [
    (core_as_cheap_as_mlp, ["core_outgrows_mlp", "crossovers_near_analytic"]),
    (formula_off_by_one_matmul, ["flop_formulas_match_counter"]),
    (core_ten_times_slower, ["crossovers_near_analytic"]),
])
def test_doctored_data_fails_the_checks_about_it(data, doctor, failing_checks):
    doctored = copy.deepcopy(data)
    doctor(doctored)
    failed = [name for name, passed in check_outcomes(EXPERIMENT, doctored).items() if not passed]
    assert failed == failing_checks
