"""The GPU run's plan: estimates that fit the budget, the order, and the lint of the gpu presets."""

from __future__ import annotations

import dataclasses

from gen.experiment import Experiment
from gen.experiments import names
from gen.gpu.plan import BUDGET_SECONDS, CUDNN_RNN_MAX_LENGTH, estimate_line, lint, plan

EXPERIMENTS = [Experiment(f"gen.experiments.{name}") for name in names()]


def test_the_gpu_presets_are_estimated_to_fit_the_budget():
    assert sum(p.estimate_s for p in plan(EXPERIMENTS)) <= BUDGET_SECONDS == 360


def test_every_experiment_states_its_own_estimate():
    assert all(isinstance(e.spec.GPU_SECONDS, int) and e.spec.GPU_SECONDS > 0 for e in EXPERIMENTS)


def test_the_cheapest_run_first_and_the_one_that_compiles_last():
    planned = plan(EXPERIMENTS)
    assert planned[-1].name == "parallel_scan" and planned[-1].compiles
    estimates = [p.estimate_s for p in planned if not p.compiles]
    assert estimates == sorted(estimates) and not any(p.compiles for p in planned[:-1])


def test_the_plan_line_gives_the_sum_first():
    line = estimate_line(plan(EXPERIMENTS))
    total = sum(e.spec.GPU_SECONDS for e in EXPERIMENTS)
    assert line.startswith(f"plan: {len(EXPERIMENTS)} experiments, estimated {total} s on one H100/H200 (")


def test_the_sites_gpu_presets_pass_the_lint():
    assert lint(EXPERIMENTS) == []


def test_a_cudnn_rnn_length_of_65536_is_caught_before_any_device_time(monkeypatch):
    latency = Experiment("gen.experiments.latency_vs_length")
    gpu = latency.spec.PRESETS["gpu"]
    monkeypatch.setitem(latency.spec.PRESETS, "gpu", dataclasses.replace(gpu, lengths=(*gpu.lengths, 65_536)))
    (problem,) = lint([latency])
    assert CUDNN_RNN_MAX_LENGTH == 65_535
    assert problem == ("gen/experiments/latency_vs_length/__init__.py: gpu preset's lengths reaches 65,536; "
                       "cuDNN's LSTM and GRU fail from 65,536 steps on. Stop at 32,768.")


def test_a_long_attention_sweep_is_not_mistaken_for_an_rnn_length():
    peak = Experiment("gen.experiments.peak_memory")
    assert max(peak.spec.PRESETS["gpu"].lengths) > CUDNN_RNN_MAX_LENGTH and lint([peak]) == []


def test_a_misspelt_dtype_a_missing_dry_preset_and_a_dry_preset_of_full_size_are_caught(monkeypatch):
    latency = Experiment("gen.experiments.latency_vs_length")
    presets = latency.spec.PRESETS
    monkeypatch.setitem(presets, "gpu", dataclasses.replace(presets["gpu"], attention_dtype="bfloat61"))
    monkeypatch.setitem(presets, "dry", presets["gpu"])
    problems = lint([latency])
    assert any("attention_dtype 'bfloat61' is not a torch dtype" in p for p in problems)
    assert any("the dry preset equals the gpu preset" in p for p in problems)
    monkeypatch.delitem(presets, "dry")
    assert any("has no 'dry' preset" in p for p in lint([latency]))
