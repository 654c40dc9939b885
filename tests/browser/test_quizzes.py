"""The lesson's quizzes in real Chromium: each choice explains itself when chosen by mouse or by keyboard,
answers survive a reload, mkdocs-quiz's reset clears them, and an answered quiz is screenshotted in both
palettes for a person to look at.

Expected texts come from the lesson's Markdown (its `>` feedback lines), never from the built HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from site_src.quizzes import Quiz, parse_quizzes
from tests.browser.keyboard import expect_visible_keyboard_focus_on, tab_into

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "screenshots"
LESSON = "lessons/02-serial-bottleneck/"
SOURCE = REPO / "docs" / "lessons" / "02-serial-bottleneck.md"
STORAGE_PREFIX = "quiz_progress_"  # mkdocs-quiz's localStorage key, followed by the page's path
TO_DARK = 'label.md-header__button[for="__palette_1"]'
TO_LIGHT = 'label.md-header__button[for="__palette_0"]'

# Which quizzes each test answers, by position on the page (mkdocs-quiz's ids are quiz-0, quiz-1, ...).
# Their feedback is plain text and code, so the shown text can be predicted from the Markdown.
RIGHT_BY_MOUSE = 0
WRONG_BY_MOUSE = 3
BY_KEYBOARD = 6  # its correct choice is the first, which Tab reaches without any arrow key


@pytest.fixture(scope="module")
def quizzes() -> list[Quiz]:
    found = parse_quizzes(SOURCE.read_text(encoding="utf-8"))
    assert len(found) > max(RIGHT_BY_MOUSE, WRONG_BY_MOUSE, BY_KEYBOARD), f"only {len(found)} quizzes in {SOURCE}"
    return found


def as_shown(markdown: str) -> str:
    """A choice's or feedback's Markdown as the reader sees it: code spans lose their backticks."""
    assert "$" not in markdown and "{{" not in markdown, f"pick a quiz whose text has no math or values: {markdown}"
    return " ".join(markdown.replace("`", "").split())


def open_lesson(page: Page, site_url: str) -> None:
    page.goto(site_url + LESSON, wait_until="networkidle")
    # mkdocs-quiz adds a (hidden) "Try Again" button to every quiz once its script has wired the quiz up
    expect(page.locator(".quiz .quiz-reset-button")).not_to_have_count(0)


def quiz_on_page(page: Page, quiz: Quiz, index: int) -> Locator:
    """The quiz's element, after checking it is the quiz the Markdown has at that position."""
    element = page.locator(f"#quiz-{index}")
    expect(element).to_have_count(1)
    choices = element.locator("fieldset > div")
    expect(choices).to_have_count(len(quiz.choices))
    for position, choice in enumerate(quiz.choices):
        expect(choices.nth(position).locator("label")).to_have_text(as_shown(choice.text))
    return element


def choice(quiz: Locator, position: int) -> Locator:
    return quiz.locator("fieldset > div").nth(position)


def submit_button(quiz: Locator) -> Locator:
    """The quiz's submit button: mkdocs-quiz shows one only when auto-submit is off."""
    return quiz.locator('button[type="submit"]:visible')


def choose_by_mouse(quiz: Locator, position: int) -> None:
    choice(quiz, position).locator("label").click()
    if submit_button(quiz).count():
        submit_button(quiz).click()


def first_wrong_position(quiz: Quiz) -> int:
    return next(i for i, c in enumerate(quiz.choices) if not c.correct)


def stored_answers(page: Page) -> dict:
    stored = page.evaluate(f"localStorage.getItem('{STORAGE_PREFIX}' + location.pathname)")
    return json.loads(stored) if stored else {}


def expect_answered_right(element: Locator, quiz: Quiz, position: int) -> None:
    expect(choice(element, position).locator("input")).to_be_checked()
    expect(choice(element, position)).to_have_class("correct")
    expect(element.locator("fieldset > div.wrong")).to_have_count(0)
    feedback = element.locator(".quiz-feedback .quiz-feedback-item")
    expect(feedback).to_have_count(1)
    expect(feedback).to_be_visible()
    expect(feedback).to_have_class("quiz-feedback-item correct")
    expect(feedback.locator(".quiz-feedback-item-content")).to_have_text(as_shown(quiz.choices[position].feedback))


def expect_answered_wrong(element: Locator, quiz: Quiz, position: int) -> None:
    expect(choice(element, position).locator("input")).to_be_checked()
    expect(choice(element, position)).to_have_class("wrong")
    for right in quiz.correct_positions:  # show_correct is on: the right answer is revealed too
        expect(choice(element, right)).to_have_class("correct")
    feedback = element.locator(".quiz-feedback .quiz-feedback-item")
    expect(feedback).to_have_count(1)
    expect(feedback).to_be_visible()
    expect(feedback).to_have_class("quiz-feedback-item incorrect")
    expect(feedback.locator(".quiz-feedback-item-content")).to_have_text(as_shown(quiz.choices[position].feedback))


def expect_unanswered(element: Locator) -> None:
    inputs = element.locator('input[name="answer"]')
    expect(inputs).not_to_have_count(0)
    for index in range(inputs.count()):
        expect(inputs.nth(index)).not_to_be_checked()
        expect(inputs.nth(index)).to_be_enabled()
    expect(element.locator("fieldset > div.correct, fieldset > div.wrong")).to_have_count(0)
    expect(element.locator(".quiz-feedback")).to_be_hidden()


def answer_by_mouse(page: Page, quizzes: list[Quiz]) -> None:
    """Answers RIGHT_BY_MOUSE right and WRONG_BY_MOUSE wrong, by clicking the choices' labels."""
    right, wrong = quizzes[RIGHT_BY_MOUSE], quizzes[WRONG_BY_MOUSE]
    right_element = quiz_on_page(page, right, RIGHT_BY_MOUSE)
    choose_by_mouse(right_element, right.correct_positions[0])
    expect_answered_right(right_element, right, right.correct_positions[0])
    wrong_element = quiz_on_page(page, wrong, WRONG_BY_MOUSE)
    choose_by_mouse(wrong_element, first_wrong_position(wrong))
    expect_answered_wrong(wrong_element, wrong, first_wrong_position(wrong))


def test_answering_a_quiz_right_with_the_mouse_shows_that_choices_feedback_and_marks_it_correct(
        page: Page, site_url: str, quizzes: list[Quiz]) -> None:
    open_lesson(page, site_url)
    quiz = quizzes[RIGHT_BY_MOUSE]
    element = quiz_on_page(page, quiz, RIGHT_BY_MOUSE)
    expect_unanswered(element)

    choose_by_mouse(element, quiz.correct_positions[0])

    expect_answered_right(element, quiz, quiz.correct_positions[0])
    stored = {"answered": True, "correct": True, "selectedValues": [str(quiz.correct_positions[0])]}
    assert stored_answers(page) == {f"quiz-{RIGHT_BY_MOUSE}": stored}


def test_answering_a_quiz_wrong_with_the_mouse_explains_that_choice_and_reveals_the_right_one(
        page: Page, site_url: str, quizzes: list[Quiz]) -> None:
    open_lesson(page, site_url)
    quiz = quizzes[WRONG_BY_MOUSE]
    element = quiz_on_page(page, quiz, WRONG_BY_MOUSE)
    expect_unanswered(element)

    choose_by_mouse(element, first_wrong_position(quiz))

    expect_answered_wrong(element, quiz, first_wrong_position(quiz))
    assert stored_answers(page)[f"quiz-{WRONG_BY_MOUSE}"]["correct"] is False


def test_the_keyboard_alone_reaches_a_quiz_with_visible_focus_and_answers_it(
        page: Page, site_url: str, quizzes: list[Quiz]) -> None:
    open_lesson(page, site_url)
    quiz = quizzes[BY_KEYBOARD]
    assert quiz.correct_positions == [0], "BY_KEYBOARD must name a quiz whose first choice is its answer"
    element = quiz_on_page(page, quiz, BY_KEYBOARD)

    tab_into(page, element)
    expect_visible_keyboard_focus_on(page, choice(element, 0).locator("input"))
    page.keyboard.press("Space")
    if submit_button(element).count():  # only when auto-submit is off does a quiz need its submit button
        page.keyboard.press("Tab")
        expect(submit_button(element)).to_be_focused()
        page.keyboard.press("Enter")

    expect_answered_right(element, quiz, 0)
    # mkdocs-quiz moves focus to the explanation, so a keyboard or screen-reader user lands on it
    expect(element.locator(".quiz-feedback")).to_be_focused()


def test_arrow_keys_move_between_a_quizs_choices_without_answering_it(
        page: Page, site_url: str, quizzes: list[Quiz]) -> None:
    open_lesson(page, site_url)
    quiz = quizzes[WRONG_BY_MOUSE]
    target = quiz.correct_positions[0]
    assert target >= 2, "pick a quiz whose answer is at least two arrow presses from the first choice"
    element = quiz_on_page(page, quiz, WRONG_BY_MOUSE)

    tab_into(page, element)
    expect_visible_keyboard_focus_on(page, choice(element, 0).locator("input"))
    page.keyboard.press("ArrowDown")
    assert stored_answers(page) == {}, "an arrow key press answered the quiz"  # moving is not answering
    expect(element.locator(".quiz-feedback")).to_be_hidden()
    expect_visible_keyboard_focus_on(page, choice(element, 1).locator("input"))

    for _ in range(target - 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    if submit_button(element).count():
        page.keyboard.press("Tab")
        expect(submit_button(element)).to_be_focused()
        page.keyboard.press("Enter")
    expect_answered_right(element, quiz, target)


def test_answered_quizzes_are_still_answered_after_a_reload(page: Page, site_url: str,
                                                            quizzes: list[Quiz]) -> None:
    open_lesson(page, site_url)
    answer_by_mouse(page, quizzes)
    assert set(stored_answers(page)) == {f"quiz-{RIGHT_BY_MOUSE}", f"quiz-{WRONG_BY_MOUSE}"}

    page.reload(wait_until="networkidle")

    right, wrong = quizzes[RIGHT_BY_MOUSE], quizzes[WRONG_BY_MOUSE]
    expect_answered_right(quiz_on_page(page, right, RIGHT_BY_MOUSE), right, right.correct_positions[0])
    expect_answered_wrong(quiz_on_page(page, wrong, WRONG_BY_MOUSE), wrong, first_wrong_position(wrong))
    expect(page.locator(".quiz-feedback:visible")).to_have_count(2)  # and no other quiz looks answered


def test_the_pages_reset_button_clears_every_answer_for_good(page: Page, site_url: str,
                                                           quizzes: list[Quiz]) -> None:
    open_lesson(page, site_url)
    answer_by_mouse(page, quizzes)
    dialogs: list[str] = []

    def accept(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    reset = page.locator(".quiz-intro-reset")
    expect(reset).to_have_count(1)
    reset.click()

    assert len(dialogs) == 1 and "reset" in dialogs[0].lower(), f"expected one confirmation, got {dialogs}"
    for index in (RIGHT_BY_MOUSE, WRONG_BY_MOUSE):
        expect_unanswered(page.locator(f"#quiz-{index}"))
    assert stored_answers(page) == {}

    page.reload(wait_until="networkidle")
    for index in (RIGHT_BY_MOUSE, WRONG_BY_MOUSE):
        expect_unanswered(page.locator(f"#quiz-{index}"))


def test_an_answered_quiz_is_screenshotted_in_light_and_dark_mode(page: Page, site_url: str,
                                                                quizzes: list[Quiz]) -> None:
    """Screenshots for a person to judge the feedback colours (build/screenshots/quiz-*.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    open_lesson(page, site_url)
    quiz = quizzes[WRONG_BY_MOUSE]
    element = quiz_on_page(page, quiz, WRONG_BY_MOUSE)
    choose_by_mouse(element, first_wrong_position(quiz))
    expect_answered_wrong(element, quiz, first_wrong_position(quiz))  # shows a wrong and a right choice
    body = page.locator("body")

    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.mouse.move(0, 0)  # no hover effects in the picture
    element.screenshot(path=SCREENSHOTS / "quiz-light.png")

    page.locator(TO_DARK).click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.mouse.move(0, 0)
    expect_answered_wrong(element, quiz, first_wrong_position(quiz))  # switching palettes keeps the answer
    element.screenshot(path=SCREENSHOTS / "quiz-dark.png")

    page.locator(TO_LIGHT).click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


def test_the_sidebar_shows_no_score_until_a_quiz_is_answered(
        page: Page, site_url: str, quizzes: list[Quiz]) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})  # wide enough for the desktop sidebar
    open_lesson(page, site_url)
    score_line = page.locator("#quiz-progress-sidebar .md-ellipsis").filter(has=page.locator(".quiz-progress-score"))
    expect(score_line).to_have_count(1)
    expect(page.locator("#quiz-progress-sidebar .quiz-progress-answered")).to_be_visible()  # the sidebar is up
    expect(score_line).to_be_hidden()  # not "Correct: 0 / 0"

    quiz = quizzes[RIGHT_BY_MOUSE]
    choose_by_mouse(quiz_on_page(page, quiz, RIGHT_BY_MOUSE), quiz.correct_positions[0])

    expect(score_line).to_be_visible()
    expect(score_line.locator(".quiz-progress-score")).to_have_text("1")
    expect(score_line.locator(".quiz-progress-score-total")).to_have_text("1")
