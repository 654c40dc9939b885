"""Every quiz of the site, checked for the two giveaways readers exploit: the right answer sitting in
the same position, and the right answer being the longest option."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from site_src.quizzes import Quiz, parse_quizzes

DOCS = Path(__file__).resolve().parents[2] / "docs"


def site_quizzes() -> list[Quiz]:
    return [quiz for page in sorted(DOCS.rglob("*.md")) for quiz in parse_quizzes(page.read_text(encoding="utf-8"))]


def single_answer(quizzes: list[Quiz]) -> list[Quiz]:
    return [q for q in quizzes if len(q.correct_positions) == 1]


def test_the_site_has_quizzes_to_check():
    assert len(single_answer(site_quizzes())) >= 5


def test_no_position_holds_the_right_answer_much_more_often_than_chance():
    quizzes = single_answer(site_quizzes())
    positions = Counter(q.correct_positions[0] for q in quizzes)
    # With four choices chance is a quarter each; allow up to 40% in any one position.
    worst, count = positions.most_common(1)[0]
    assert count <= max(2, 0.4 * len(quizzes)), f"position {worst + 1} holds {count} of {len(quizzes)}: {positions}"
    assert len(positions) >= min(3, len(quizzes)), f"right answers use only positions {sorted(positions)}"


def test_the_right_answer_is_not_usually_the_longest_option():
    quizzes = single_answer(site_quizzes())
    longest = [q for q in quizzes if max(q.choices, key=lambda c: len(c.text)).correct]
    assert len(longest) <= 0.35 * len(quizzes), (
        f"the right answer is the longest option in {len(longest)} of {len(quizzes)} quizzes: "
        + "; ".join(q.question[:50] for q in longest)
    )
