"""The parallel_units experiment on its smoke preset: time per sequence over batches, and threads."""

from __future__ import annotations

import copy
import importlib

import pytest

from gen.experiments.parallel_units import PRESETS, readings
from tests.gen.smoke import check_outcomes, judged, smoke_data

CONFIG = PRESETS["smoke"]
LAYERS = ["attention_core", "attention", "transformer", "lstm", "gru"]


EXPERIMENT = "parallel_units"  # the `data` fixture (tests/gen/conftest.py) measures it once per module


def test_every_layer_is_timed_at_every_batch_and_thread_count(data):
    assert [layer["name"] for layer in data["layers"]] == LAYERS
    assert [e["batch"] for e in data["by_batch"]] == list(CONFIG.batches)
    assert [e["threads"] for e in data["by_threads"]] == list(CONFIG.thread_counts)
    for entry in [*data["by_batch"], *data["by_threads"]]:
        assert all(entry["timings"][name]["median_s"] > 0 for name in LAYERS)


def test_the_batch_check_is_a_timing_check_and_the_thread_speedup_is_judged_by_none():
    kinds = {check.name: check.kind for check in judged(EXPERIMENT, smoke_data(EXPERIMENT))}
    assert kinds == {"recurrent_layers_gain_more_from_the_batch": "timing"}


def test_time_per_sequence_divides_by_the_batch(data):
    entry = data["by_batch"][-1]
    batches, times = readings.per_sequence(data, "lstm")
    assert batches[-1] == entry["batch"] and times[-1] == entry["timings"]["lstm"]["median_s"] / entry["batch"]


def test_a_recurrent_layer_that_batching_does_not_speed_up_fails_the_check(data):
    doctored = copy.deepcopy(data)
    for entry in doctored["by_batch"]:  # time grows with the batch: per sequence, nothing gained
        entry["timings"]["gru"]["median_s"] = 0.001 * entry["batch"]
    assert check_outcomes(EXPERIMENT, doctored) == {"recurrent_layers_gain_more_from_the_batch": False}


def test_a_missing_second_thread_count_gives_no_speedup_rather_than_a_wrong_one(data):
    doctored = copy.deepcopy(data)
    doctored["by_threads"] = doctored["by_threads"][:1]
    assert readings.thread_speedup(doctored, "transformer") is None


def test_it_renders_the_figures_the_pages_refer_to(data):
    """Drawing each in both themes, with alt text and a caption, is tests/gen/test_every_experiment_smoke.py's job."""
    keys = {figure.key for figure in importlib.import_module("gen.experiments.parallel_units.render").figures(data)}
    assert keys == {"time_per_sequence_vs_batch"}


def _timing(seconds: float) -> dict:
    return {"median_s": seconds, "iqr_s": 0.0, "runs": 3, "pass_medians_s": [seconds, seconds * 1.1]}


def test_a_cpu_run_times_no_cuda_graph_and_publishes_no_graph_value(data):
    assert data["graphs"] == []
    rendering = importlib.import_module("gen.experiments.parallel_units.render")
    assert not [v for v in rendering.values(data) if "graph" in v.key]


def test_the_graph_speedup_is_launched_time_over_replayed_time(data):
    """As a GPU run stores it (gen/experiments/parallel_units/measure.py): one entry per layer and batch."""
    doctored = copy.deepcopy(data)
    doctored["layers"].append({"name": "gru_no_cudnn", "label": "GRU, cuDNN off", "family": "recurrent",
                               "train_flops_per_sequence": 1})
    doctored["graphs"] = [{"batch": 1, "layer": "gru_no_cudnn",
                           "timings": {"launched": _timing(0.04), "graphed": _timing(0.01)}},
                          {"batch": 256, "layer": "gru_no_cudnn",
                           "timings": {"launched": _timing(0.05), "graphed": "unsupported"}}]
    assert readings.graph_speedup(doctored, "gru_no_cudnn", 1) == pytest.approx(4.0)
    assert readings.graph_speedup(doctored, "gru_no_cudnn", 256) is None  # a failed capture is no number
    rendering = importlib.import_module("gen.experiments.parallel_units.render")
    values = {v.key: v for v in rendering.values(doctored)}
    assert values["gru_no_cudnn_graph_speedup_at_batch_1"].text() == "4.0×"
    assert values["gru_no_cudnn_graph_speedup_at_batch_256"].text() == "(not measured: the graph capture failed)"
