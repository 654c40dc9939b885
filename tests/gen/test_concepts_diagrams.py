"""The mechanism diagrams of the concepts experiment: their numbers come from the experiments' own
code, their checks catch doctored data, and they draw the same bytes twice."""

from __future__ import annotations

import pytest

from gen.experiments.concepts import render
from gen.experiments.kv_cache import REAL_MODELS
from gen.experiments.kv_cache.formulas import cache_formula
from gen.experiments.parallel_scan.formulas import expected_counts
from gen.render.style import THEMES, svg_bytes, themed
from tests.gen.smoke import check_outcomes, smoke_data

DIAGRAMS = ("lstm_cell", "gru_cell", "transformer_layer", "kv_cache_growth", "chunked_scan")


def test_the_chunked_scan_gives_the_sequential_loops_states():
    scan = smoke_data("concepts")["chunked_scan"]
    assert len(scan["chunked"]) == scan["T"] == 16 and scan["chunk"] == 4
    assert scan["chunked"] == pytest.approx(scan["sequential"], abs=1e-12)
    assert scan["chunk_ends"] == pytest.approx(scan["sequential"][scan["chunk"] - 1 :: scan["chunk"]], abs=1e-12)


def test_the_chunked_scan_counts_are_parallel_scans_formulas():
    scan = smoke_data("concepts")["chunked_scan"]
    T, C = scan["T"], scan["chunk"]
    assert scan["counts"]["local"] == list(expected_counts("hillis_steele", C))
    assert scan["counts"]["carry"] == list(expected_counts("loop", T // C))
    assert scan["counts"]["correct"] == [1, (T // C - 1) * (C - 1)]


def test_the_kv_cache_growth_uses_the_kv_cache_formula_for_a_named_model():
    growth = smoke_data("concepts")["kv_growth"]
    m = next(m for m in REAL_MODELS if m.key == growth["model"]["key"])
    for step in growth["steps"]:
        assert step["cache_bytes"] == cache_formula(m.layers, m.kv_heads, m.head_dim, step["tokens"],
                                                    m.bytes_per_element)
    assert [s["tokens"] for s in growth["steps"]] == list(range(1, 7))


@pytest.mark.parametrize(("key", "check"), [
    (("lstm", "torch_difference"), "lstm_cell_as_drawn_matches_torch"),
    (("gru", "torch_difference"), "gru_cell_as_drawn_matches_torch"),
])
def test_a_cell_that_disagrees_with_torch_fails_its_check(key, check):
    data = smoke_data("concepts")
    assert check_outcomes("concepts", data)[check]
    data[key[0]][key[1]] = 1e-3
    assert not check_outcomes("concepts", data)[check]


def test_a_chunked_scan_that_differs_from_the_loop_fails_its_check():
    data = smoke_data("concepts")
    data["chunked_scan"]["chunked"][5] += 1e-6
    assert not check_outcomes("concepts", data)["chunked_scan_equals_the_loop"]


def test_a_layer_with_a_wrong_mlp_width_fails_its_check():
    data = smoke_data("concepts")
    data["transformer_layer"]["mlp_hidden"][1] //= 2
    assert not check_outcomes("concepts", data)["transformer_layer_shapes_as_drawn"]


def test_the_five_diagrams_are_computed_with_alt_text_and_captions():
    figures = {f.key: f for f in render.figures(smoke_data("concepts"))}
    for key in DIAGRAMS:
        assert figures[key].computed and figures[key].alt.strip() and figures[key].caption.strip()


@pytest.mark.parametrize("key", DIAGRAMS)
def test_each_diagram_draws_the_same_bytes_twice_and_differs_between_themes(key):
    figure = next(f for f in render.figures(smoke_data("concepts")) if f.key == key)
    drawn = {}
    for theme in THEMES:
        with themed(theme):
            first = svg_bytes(figure.draw(theme))
        with themed(theme):
            assert svg_bytes(figure.draw(theme)) == first
        drawn[theme.name] = first
    assert drawn["light"] != drawn["dark"]
    assert b"#1f2328" in drawn["light"] and b"#e6e6e6" in drawn["dark"]
