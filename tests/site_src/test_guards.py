"""Guards on interpretive sentences (site_src/guards.py): parsed at their line, judged against a value."""

from __future__ import annotations

import pytest

from site_src.guards import GuardSyntaxError, guards

PAGE = """# A lesson

<!-- holds: latency_vs_length.lstm_over_transformer_train_at_512 < 1 -->
The LSTM came out faster.
<!-- holds: serial_depth.sum_wins_from_n@cpu <= 3 -->
"""


def test_guards_are_found_with_their_line_value_and_condition():
    first, second = guards(PAGE)
    assert (first.value_id, first.op, first.number, first.line) == (
        "latency_vs_length.lstm_over_transformer_train_at_512", "<", 1.0, 3)
    assert second.value_id == "serial_depth.sum_wins_from_n@cpu" and second.line == 5


@pytest.mark.parametrize("op, value, holds", [("<", 0.4, True), ("<", 1.0, False), ("<=", 1.0, True),
                                              (">", 2.0, True), (">=", 0.5, False), ("==", 1.0, True)])
def test_a_guard_holds_exactly_when_its_condition_does(op, value, holds):
    (guard,) = guards(f"<!-- holds: a.b {op} 1 -->")
    assert guard.holds(value) is holds


def test_a_value_that_was_not_measured_never_satisfies_a_guard():
    (guard,) = guards("<!-- holds: a.b < 1 -->")
    assert not guard.holds(None)


@pytest.mark.parametrize("body", ["a.b ~ 1", "a < 1", "a.b < one", "a.b<"])
def test_a_malformed_guard_is_an_error_at_its_line(body):
    with pytest.raises(GuardSyntaxError) as raised:
        list(guards(f"text\n\n<!-- holds: {body} -->\n"))
    assert raised.value.line == 3 and "is not 'experiment.key OP number'" in str(raised.value)


def test_a_page_without_guards_has_none_and_other_comments_are_left_alone():
    assert list(guards("<!-- pick: example -->\n<!-- measured-devices -->\nplain text\n")) == []
