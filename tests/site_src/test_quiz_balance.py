"""Every quiz of the site, checked for the giveaways readers exploit: the right answer sitting in the
same position, being the longest or the shortest option, or the one without absolute words. Each
language is checked on its own: a reader of the Chinese edition sees only the Chinese options."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest

from site_src.language import LANGUAGES
from site_src.quizzes import Quiz, parse_quizzes
from site_src.translations import language_of

DOCS = Path(__file__).resolve().parents[2] / "docs"


def site_quizzes(language: str = "en") -> list[Quiz]:
    pages = [page for page in sorted(DOCS.rglob("*.md")) if language_of(page) == language]
    return [quiz for page in pages for quiz in parse_quizzes(page.read_text(encoding="utf-8"))]


def checked_quizzes(language: str) -> list[Quiz]:
    quizzes = single_answer(site_quizzes(language))
    if language != "en" and len(quizzes) < 5:
        pytest.skip(f"fewer than 5 quizzes are translated into '{language}' yet")
    return quizzes


def single_answer(quizzes: list[Quiz]) -> list[Quiz]:
    return [q for q in quizzes if len(q.correct_positions) == 1]


def test_the_site_has_quizzes_to_check():
    assert len(single_answer(site_quizzes())) >= 5


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_position_holds_the_right_answer_much_more_often_than_chance(language):
    quizzes = checked_quizzes(language)
    positions = Counter(q.correct_positions[0] for q in quizzes)
    # With four choices chance is a quarter each; allow up to 40% in any one position.
    worst, count = positions.most_common(1)[0]
    assert count <= max(2, 0.4 * len(quizzes)), f"position {worst + 1} holds {count} of {len(quizzes)}: {positions}"
    assert len(positions) >= min(3, len(quizzes)), f"right answers use only positions {sorted(positions)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_right_answer_is_not_usually_the_longest_option(language):
    quizzes = checked_quizzes(language)
    longest = [q for q in quizzes if max(q.choices, key=lambda c: len(c.text)).correct]
    assert len(longest) <= 0.35 * len(quizzes), (
        f"the right answer is the longest option in {len(longest)} of {len(quizzes)} quizzes: "
        + "; ".join(q.question[:50] for q in longest)
    )


# ---- no surface feature predicts the answer ---------------------------------------------------------
# A reader who has not read the lesson can still pick by a feature of the options: a position, the
# longest or the shortest, or the option without absolute words. Each such strategy must score no
# better than guessing, beyond what chance allows: its expected score over the site's quizzes stays
# below chance plus two standard errors of a binomial of that many questions.

ABSOLUTE = {
    "en": re.compile(r"\b(always|never|every|exactly|only|all|none|cannot|must|impossible|any)\b", re.IGNORECASE),
    "zh": re.compile("|".join(["总是", "从不", "从来", "永远", "每个", "每一", "每次", "所有", "全部",
                               "一切", "只有", "只能", "仅", "唯一", "恰好", "必须", "不可能", "无法",
                               "任何", "绝不", "一定"])),
}


def expected_score(quizzes: list[Quiz], pick) -> float:
    """Mean chance of being right when choosing, in each quiz, uniformly among the options pick() returns."""
    total = 0.0
    for quiz in quizzes:
        chosen = pick(quiz)
        total += sum(quiz.choices[i].correct for i in chosen) / len(chosen)
    return total / len(quizzes)


def _extreme(quiz: Quiz, key, best) -> list[int]:
    values = [key(choice) for choice in quiz.choices]
    target = best(values)
    return [i for i, v in enumerate(values) if v == target]


def strategies(language: str) -> dict:
    absolute = ABSOLUTE[language]
    return {
        "the longest option": lambda q: _extreme(q, lambda c: len(c.text), max),
        "the shortest option": lambda q: _extreme(q, lambda c: len(c.text), min),
        "the option with the fewest absolute words":
            lambda q: _extreme(q, lambda c: len(absolute.findall(c.text)), min),
        # the reverse cue: options tuned never to be the longest or shortest give the middle ones away
        "an option that is neither the longest nor the shortest": lambda q: _middle(q),
        **{f"always option {k + 1}": (lambda q, k=k: [min(k, len(q.choices) - 1)]) for k in range(4)},
    }


def _middle(quiz: Quiz) -> list[int]:
    lengths = [len(choice.text) for choice in quiz.choices]
    middle = [i for i, n in enumerate(lengths) if min(lengths) < n < max(lengths)]
    return middle or list(range(len(quiz.choices)))


STRATEGIES = strategies("en")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_no_surface_strategy_beats_guessing(strategy, language):
    quizzes = checked_quizzes(language)
    chance = sum(1 / len(q.choices) for q in quizzes) / len(quizzes)
    allowed = chance + 2 * math.sqrt(chance * (1 - chance) / len(quizzes))
    score = expected_score(quizzes, strategies(language)[strategy])
    assert score <= allowed, f"picking {strategy} scores {score:.0%} (guessing: {chance:.0%}, allowed {allowed:.0%})"


# A feature that almost never marks the right answer is a cue too, read backwards: "never the shortest"
# lets a reader strike that option. Length decides for every quiz, so the longest and the shortest
# option must each be right about as often as chance says, within the same two standard errors.
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("strategy", ["the longest option", "the shortest option"])
def test_no_length_is_avoided_by_the_right_answer_either(strategy, language):
    quizzes = checked_quizzes(language)
    chance = sum(1 / len(q.choices) for q in quizzes) / len(quizzes)
    floor = chance - 2 * math.sqrt(chance * (1 - chance) / len(quizzes))
    score = expected_score(quizzes, strategies(language)[strategy])
    assert score >= floor, (f"the right answer is {strategy} in only {score:.0%} of the quizzes (chance: "
                            f"{chance:.0%}, at least {floor:.0%}): a reader can strike that option")


def test_the_strategy_check_catches_a_giveaway():
    """The check is not vacuous: quizzes whose right answer is always the shortest fail it."""
    from site_src.quizzes import Choice
    choices = [Choice("right", True, "", 2), Choice("a longer wrong one", False, "", 3),
               Choice("another longer wrong one", False, "", 4)]
    rigged = [Quiz(1, 5, "q?", choices)] * 20
    assert expected_score(rigged, STRATEGIES["the shortest option"]) == 1.0
