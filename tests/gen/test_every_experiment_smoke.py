"""Every experiment on its smoke preset: its self-checks pass, and everything it renders is usable."""

from __future__ import annotations

import importlib
import re

import pytest

from gen.experiments import names
from gen.render.style import THEMES, svg_bytes, themed
from tests.gen.smoke import failed_checks, smoke_data

EXPERIMENTS = names()


def test_there_are_experiments_to_check():
    assert "serial_depth" in EXPERIMENTS and len(EXPERIMENTS) >= 9


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_every_self_check_passes_on_smoke_data(name):
    assert failed_checks(name, smoke_data(name)) == []


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_every_figure_draws_in_both_themes_with_alt_text_and_a_caption(name):
    render = importlib.import_module(f"gen.experiments.{name}.render")
    figures = render.figures(smoke_data(name))
    assert figures
    for figure in figures:
        assert figure.alt.strip() and figure.caption.strip()
        for theme in THEMES:
            with themed(theme):
                assert svg_bytes(figure.draw(theme)).startswith(b"<?xml")


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_every_table_and_value_can_be_shown(name):
    render = importlib.import_module(f"gen.experiments.{name}.render")
    data = smoke_data(name)
    for table in render.tables(data):
        assert table.rows and table.markdown().count("\n") == len(table.rows) + 1
    values = render.values(data)
    assert values
    for value in values:
        assert re.fullmatch(r"[a-z0-9_]+", value.key), value.key
        assert value.text() and value.label
