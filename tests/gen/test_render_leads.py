"""The opening sentence of every measured figure's caption: generated with its condition on the data, and
the build stops when a real result no longer satisfies it (gen/render/lead.py)."""

from __future__ import annotations

import importlib

import pytest

from gen.errors import GenError
from gen.experiments import names
from gen.render.lead import judge_leads, lead
from gen.render.model import Figure
from tests.gen.smoke import smoke_data

EXPERIMENTS = names()


def _figure(holds: bool) -> Figure:
    return Figure("ratio", lambda theme: None, alt="a plot", caption="How to read it.",
                  lead=lead("The loop is slower at every length.", holds, "loop ÷ cumsum from 0.5× to 2×"))


def test_a_caption_opens_with_its_lead():
    assert _figure(True).entry({"light": "l.svg", "dark": "d.svg"})["caption"] == \
        "The loop is slower at every length. How to read it."


def test_a_lead_that_is_not_one_sentence_is_rejected():
    with pytest.raises(ValueError, match="one sentence"):
        lead("no full stop", True, "")


def test_a_lead_the_data_no_longer_say_stops_a_cpu_or_gpu_render_naming_figure_and_data():
    for profile in ("cpu", "gpu"):
        with pytest.raises(GenError) as caught:
            judge_leads("serial_depth", "gen/experiments/serial_depth/render.py", profile, [_figure(False)])
        message = str(caught.value)
        assert "serial_depth.ratio" in message and profile in message
        assert "The loop is slower at every length." in message and "from 0.5× to 2×" in message


def test_smoke_and_dry_run_data_are_not_judged():
    for profile in ("smoke", "dry"):
        judge_leads("serial_depth", "render.py", profile, [_figure(False)])


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_every_measured_figure_opens_its_caption_with_a_generated_lead(name):
    render = importlib.import_module(f"gen.experiments.{name}.render")
    for figure in render.figures(smoke_data(name)):
        if figure.computed:
            continue
        assert figure.lead is not None, f"{name}.{figure.key} has no lead (gen/render/lead.py)"
        caption = figure.entry({"light": "", "dark": ""})["caption"]
        assert caption.startswith(figure.lead.sentence + " ") and caption.endswith(figure.caption)


def test_doctored_data_whose_torch_loop_beats_cumsum_stop_the_serial_depth_render():
    data = smoke_data("serial_depth")
    for point in data["torch_loop"]:  # the loop made a thousand times faster: now it beats the scan
        point["median_s"] /= 1000
    figures = importlib.import_module("gen.experiments.serial_depth.render").figures(data)
    assert not all(figure.lead.holds for figure in figures)
    with pytest.raises(GenError, match=r"serial_depth\.\w+' \(cpu result\).*torch loop ÷ cumsum"):
        judge_leads("serial_depth", "gen/experiments/serial_depth/render.py", "cpu", figures)


def test_doctored_data_whose_recurrent_state_grows_stop_the_kv_cache_render():
    data = smoke_data("kv_cache")
    data["decode_bytes"]["lstm"][-1] += 1  # a state that is one byte larger at the end
    figures = importlib.import_module("gen.experiments.kv_cache.render").figures(data)
    with pytest.raises(GenError, match=r"kv_cache\.memory_vs_position.*lstm_state_is_constant"):
        judge_leads("kv_cache", "gen/experiments/kv_cache/render.py", "cpu", figures)
