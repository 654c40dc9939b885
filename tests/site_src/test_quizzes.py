"""The quiz checker: malformed quizzes are rejected with the right line, good ones parse exactly."""

from __future__ import annotations

import pytest

from site_src.quizzes import QuizError, escape_quiz_text, parse_quizzes

GOOD = """Intro text.

<quiz>
Which is right?
- [ ] Wrong one
  > Because it is wrong.
- [x] Right one
  > Because it is right.

Shown after answering.
</quiz>
"""


def error_of(markdown: str) -> QuizError:
    with pytest.raises(QuizError) as caught:
        parse_quizzes(markdown)
    return caught.value


def test_a_good_quiz_parses_with_its_choices_feedback_and_lines():
    (quiz,) = parse_quizzes(GOOD)
    assert (quiz.line, quiz.end, quiz.question) == (3, 11, "Which is right?")
    assert [(c.text, c.correct, c.feedback, c.line) for c in quiz.choices] == [
        ("Wrong one", False, "Because it is wrong.", 5),
        ("Right one", True, "Because it is right.", 7),
    ]
    assert quiz.correct_positions == [1]


def test_a_quiz_without_a_correct_answer_is_rejected_at_its_opening_line():
    err = error_of(GOOD.replace("- [x]", "- [ ]"))
    assert err.line == 3 and "no correct answer" in str(err)


def test_a_quiz_without_a_question_is_rejected():
    err = error_of(GOOD.replace("Which is right?\n", ""))
    assert err.line == 3 and "no question" in str(err)


def test_a_quiz_without_choices_is_rejected():
    err = error_of("<quiz>\nA question with no choices?\n</quiz>\n")
    assert err.line == 1 and "at least two choices" in str(err)


def test_a_choice_without_an_explanation_is_rejected_at_the_choice():
    err = error_of(GOOD.replace("  > Because it is right.\n", ""))
    assert err.line == 7 and "no explanation" in str(err)


def test_a_malformed_checkbox_is_rejected_at_its_line():
    err = error_of(GOOD.replace("- [x] Right one", "- [y] Right one"))
    assert err.line == 7 and "- [x] text" in str(err)


def test_an_unclosed_quiz_is_rejected_at_its_opening_line():
    err = error_of(GOOD.replace("</quiz>\n", ""))
    assert err.line == 3 and "never closed" in str(err)


def test_a_closing_tag_without_an_opening_one_is_rejected():
    err = error_of("text\n</quiz>\n")
    assert err.line == 2


def test_quizzes_inside_code_fences_are_examples_not_quizzes():
    assert parse_quizzes("```markdown\n<quiz>\nbroken\n</quiz>\n```\n") == []


def test_tag_like_text_inside_a_quiz_is_escaped_but_code_and_math_are_not():
    markdown = GOOD.replace("Which is right?", "Is <script>alert(1)</script> run? `<T>` and $a < b$")
    escaped = escape_quiz_text(markdown, parse_quizzes(markdown))
    assert "&lt;script>alert(1)&lt;/script>" in escaped
    assert "`<T>`" in escaped and "$a < b$" in escaped
    assert escaped.count("<quiz>") == 1 and "</quiz>" in escaped  # the quiz's own tags survive
