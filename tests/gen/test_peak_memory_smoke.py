"""The peak_memory experiment on its smoke preset: the data, the self-checks, the figure, tables and values."""

from __future__ import annotations

import copy
import importlib

import pytest
import torch

from gen.checks import EXACT
from gen.experiments.peak_memory import PRESETS
from gen.experiments.peak_memory.render import figures, tables, values
from gen.measuring.memory import OOM, peak_bytes, running_peak
from gen.render.style import THEMES, svg_bytes, themed
from tests.gen.smoke import check_outcomes, judged

CONFIG = PRESETS["smoke"]


EXPERIMENT = "peak_memory"  # the `data` fixture (tests/gen/conftest.py) measures it once per module



def test_self_checks_cover_growth_rates_and_the_score_matrix_bound(data):
    assert set(check_outcomes(EXPERIMENT, data)) == {
        "naive_attention_is_quadratic", "fused_attention_is_linear", "naive_holds_the_score_matrix",
        "fused_beats_naive_at_largest_common_length", "lstm_training_is_linear",
    }


def test_every_check_is_exact_as_bytes_are_counted_not_timed(data):
    checks = judged(EXPERIMENT, data)
    assert checks and {c.name: c.kind for c in checks} == {c.name: EXACT for c in checks}


def test_every_method_has_one_point_per_configured_length(data):
    assert set(data["attention"]) == {"naive", "math", "flash", "efficient", "cudnn"}
    for points in data["attention"].values():
        assert [p["t"] for p in points] == list(CONFIG.lengths)
    assert [p["t"] for p in data["lstm"]] == list(CONFIG.lstm_lengths)


def test_cpu_runs_the_math_and_flash_backends_and_records_the_others_as_unsupported(data):
    for name in ("naive", "math", "flash"):
        assert all(isinstance(p["forward"], int) for p in data["attention"][name]), name
    for name in ("efficient", "cudnn"):
        assert all(p["forward"] == "unsupported" for p in data["attention"][name]), name
        assert data["unsupported"][name]  # PyTorch's reason is kept


def test_training_is_skipped_beyond_the_configured_length(data):
    for point in data["attention"]["naive"]:
        assert (point["training"] == "skipped") == (point["t"] > CONFIG.training_max_length)


def test_streaming_lstm_memory_does_not_grow_with_length(data):
    streamed = [p["streaming"] for p in data["lstm"] if p["streaming"] != "skipped"]
    assert len(streamed) >= 2 and max(streamed) == min(streamed)


def test_data_is_plain_json(data):
    import json

    assert json.loads(json.dumps(data, allow_nan=False)) == data


# the shared memory helper ------------------------------------------------------------------------


def test_peak_bytes_counts_a_tensor_allocated_and_freed_inside_the_call():
    assert peak_bytes(lambda: torch.empty(1000, dtype=torch.float32), "cpu") == 4000


def test_peak_bytes_counts_two_live_tensors_but_not_one_freed_before_the_next():
    def two_alive():
        a = torch.empty(1000)
        b = torch.empty(1000)
        return a, b

    def one_at_a_time():
        torch.empty(1000)
        torch.empty(1000)

    assert peak_bytes(two_alive, "cpu") == 8000
    assert peak_bytes(one_at_a_time, "cpu") == 4000


def test_an_allocation_too_large_for_the_machine_is_recorded_as_oom():
    assert peak_bytes(lambda: torch.empty(2**46), "cpu") == OOM


def test_running_peak_is_the_highest_running_total_of_allocations_and_frees():
    assert running_peak([100, -100, 50]) == 100
    assert running_peak([-100, 50, 30, -10, 40]) == 10  # freeing older memory lowers the baseline


# doctored data: each self-check must be able to fail ---------------------------------------------


def linear_naive(data: dict) -> None:
    for point in data["attention"]["naive"]:
        point["forward"] = 10**6 + 1000 * point["t"]


def quadratic_flash(data: dict) -> None:
    for point in data["attention"]["flash"]:
        point["forward"] = 100 * point["t"] ** 2


def naive_below_the_score_matrix(data: dict) -> None:
    for point in data["attention"]["naive"]:
        point["forward"] = point["forward"] // 3


def flash_larger_than_naive(data: dict) -> None:
    for flash, naive in zip(data["attention"]["flash"], data["attention"]["naive"], strict=True):
        flash["forward"] = naive["forward"] * 2


def constant_lstm_training(data: dict) -> None:
    for point in data["lstm"]:
        point["training"] = 10**7


@pytest.mark.parametrize("doctor, failing_check", [
    (linear_naive, "naive_attention_is_quadratic"),
    (quadratic_flash, "fused_attention_is_linear"),
    (naive_below_the_score_matrix, "naive_holds_the_score_matrix"),
    (flash_larger_than_naive, "fused_beats_naive_at_largest_common_length"),
    (constant_lstm_training, "lstm_training_is_linear"),
])
def test_doctored_data_fails_the_check_about_it(data, doctor, failing_check):
    doctored = copy.deepcopy(data)
    doctor(doctored)
    assert check_outcomes(EXPERIMENT, doctored)[failing_check] is False


# rendering -------------------------------------------------------------------------------------------


def test_it_renders_the_figures_the_pages_refer_to(data):
    """Drawing each in both themes, with alt text and a caption, is tests/gen/test_every_experiment_smoke.py's job."""
    keys = {figure.key for figure in importlib.import_module("gen.experiments.peak_memory.render").figures(data)}
    assert keys == {'peak_vs_length'}


def test_oom_points_are_drawn_without_a_height(data):
    doctored = copy.deepcopy(data)
    doctored["attention"]["naive"][-1]["forward"] = "oom"
    for figure in figures(doctored):
        with themed(THEMES[0]):
            assert svg_bytes(figure.draw(THEMES[0]))


def test_tables_give_mib_per_length_for_the_methods_that_ran(data):
    by_key = {t.key: t for t in tables(data)}
    assert set(by_key) == {"peak_forward_mib", "peak_training_mib"}
    forward = by_key["peak_forward_mib"]
    assert "SDPA flash" in forward.columns and "SDPA cuDNN" not in forward.columns
    assert [row[0] for row in forward.rows] == [f"{t:,}" for t in CONFIG.lengths]
    training = by_key["peak_training_mib"]
    assert len(training.rows) == sum(t <= CONFIG.training_max_length for t in CONFIG.lengths)


def test_values_the_lessons_quote_are_present(data):
    keys = {v.key for v in values(data)}
    assert {
        "naive_slope", "flash_slope", "math_slope", "naive_training_slope", "flash_training_slope",
        "lstm_training_slope", "lstm_forward_slope", "lstm_streaming_slope", "largest_common_t",
        "naive_mib_at_largest_common_t", "fused_mib_at_largest_common_t",
        "naive_over_fused_at_largest_common_t", "naive_over_score_matrix_at_largest_common_t",
        "lstm_training_kib_per_token", "lstm_streaming_mib", "fused_largest_t", "heads", "head_dim",
    } <= keys
    assert "naive_first_oom_t" not in keys  # nothing ran out of memory on the smoke sweep
