"""A measured value shows only the digits its spread supports; the spread of any reading comes from
recomputing it on each timing pass alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gen.analysis import pass_count, pass_view, spread_over_passes
from gen.render.model import Value
from gen.render.numbers import measured_text, supported_place


@pytest.mark.parametrize(("value", "spec", "spread", "text"), [
    (3753.5, ",.1f", 0.04, "3,800"),  # ± 150: the hundreds digit is the first uncertain one
    (3753.5, ",.1f", 0.00001, "3,753.5"),  # a tight spread keeps the format's own digits
    (146.5, ".1f", 0.03, "146"),  # ± 4.4: units
    (0.737, ".1%", 0.02, "74%"),  # ± 1.5 percentage points
    (0.737, ".1%", 0.002, "73.7%"),
    (80.44, ",.3g", 0.35, "80"),  # a whole number stays whole, never "8e+01"
    (0.0234, ".3g", 0.2, "0.023"),
    (1.02, ".2f", 0.05, "1.02"),  # ± 0.05: the first uncertain digit is kept
    (5, "d", 0.1, "5"),  # integer formats are counts: left as they are
])
def test_digits_follow_the_spread(value, spec, spread, text):
    assert measured_text(value, spec, "", spread) == text


def test_no_spread_keeps_the_format():
    assert measured_text(3753.5, ",.1f", " ns") == "3,753.5 ns"
    assert Value("k", 3753.5, ",.1f", " ns", "label").text() == "3,753.5 ns"
    assert Value("k", 3753.5, ",.1f", " ns", "label", spread=0.04).text() == "3,800 ns"
    assert Value("k", None, ".1f", "", "label", "beyond the sweep", spread=0.04).text() == "beyond the sweep"


@given(st.floats(1e-6, 1e9), st.floats(1e-4, 0.9), st.sampled_from([",.1f", ".3f", ",.3g", ".2g"]))
def test_shown_digits_are_never_finer_than_the_spread(value, spread, spec):
    """The last digit shown is at the first uncertain place or coarser, and the shown number is the
    value to within that place."""
    text = measured_text(value, spec, "", spread)
    if "e" in text:  # exponent notation that the format itself asked for
        return
    shown = float(text.replace(",", ""))
    decimals = len(text.split(".")[1]) if "." in text else 0
    place = supported_place(value, spread)
    assert decimals <= max(0, -place)
    assert abs(shown - value) <= 10 ** max(place, -decimals) + 1e-12


def _timing(*passes: float) -> dict:
    return {"median_s": min(passes), "iqr_s": 0.0, "runs": 3, "pass_medians_s": list(passes)}


def test_a_reading_is_recomputed_on_each_pass():
    data = {"a": _timing(1.0, 1.2), "points": [{"b": _timing(2.0, 2.0)}]}
    assert pass_count(data) == 2
    assert pass_view(data, 1)["a"]["median_s"] == 1.2
    # a / b: 0.5 from the kept values, 0.5 and 0.6 pass by pass: half the range is 0.05, 10%
    ratio = spread_over_passes(data, lambda d: d["a"]["median_s"] / d["points"][0]["b"]["median_s"])
    assert ratio == pytest.approx(0.1)


def test_no_spread_without_common_passes():
    assert spread_over_passes({"a": _timing(1.0)}, lambda d: d["a"]["median_s"]) is None
    uneven = {"a": _timing(1.0, 1.1), "b": _timing(1.0, 1.1, 1.2)}
    assert spread_over_passes(uneven, lambda d: d["a"]["median_s"]) is None
