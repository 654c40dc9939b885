"""Course progress in real Chromium (site_src/assets/progress.js): answering a quiz marks the lesson in the
navigation and on the home page's panel, "Forget all my answers" clears both, and table-of-contents links
never get a mark.

Each test gets a fresh browser context (the `page` fixture), so localStorage starts empty.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from site_src.quizzes import parse_quizzes
from site_src.translations import language_of

REPO = Path(__file__).resolve().parents[2]
LESSON = "lessons/02-serial-bottleneck/"
LESSON_SOURCE = REPO / "docs" / "lessons" / "02-serial-bottleneck.md"
LESSON_TITLE = "The serial bottleneck"
# The lesson's link: its title and at most its mark (has_text alone would match a longer title too)
TITLE_AND_MARK = re.compile(rf"^\s*{re.escape(LESSON_TITLE)}(\s+✓?\s*\d+/\d+)?\s*$")
STORAGE_PREFIX = "quiz_progress_"  # mkdocs-quiz's localStorage key, followed by the page's path


@pytest.fixture(scope="module")
def total() -> int:
    """How many quizzes the lesson has, counted in its Markdown."""
    quizzes = parse_quizzes(LESSON_SOURCE.read_text(encoding="utf-8"))
    assert len(quizzes) > 1, f"{LESSON_SOURCE} needs more than one quiz for a partial mark"
    return len(quizzes)


@pytest.fixture(scope="module")
def course_total() -> int:
    """How many quizzes the whole course has: every lesson page's, counted in their Markdown."""
    lessons = sorted(p for p in (REPO / "docs").rglob("*.md") if language_of(p) == "en")  # the English course
    return sum(len(parse_quizzes(page.read_text(encoding="utf-8"))) for page in lessons)


def lesson_in_nav(page: Page) -> Locator:
    """The lesson's own link in the site navigation (not one of its table-of-contents entries)."""
    return page.locator('.md-nav--primary a.md-nav__link:not([href*="#"])').filter(has_text=TITLE_AND_MARK)


def panel_row(page: Page) -> Locator:
    return page.locator("#course-progress tbody tr").filter(has=page.get_by_role("link", name=LESSON_TITLE, exact=True))


def answer_first_quiz_right(page: Page, site_url: str) -> None:
    page.goto(site_url + LESSON, wait_until="networkidle")
    expect(page.locator(".rva-progress-mark")).to_have_count(0)
    quiz = page.locator("#quiz-0")
    expect(quiz.locator(".quiz-reset-button")).to_have_count(1)  # mkdocs-quiz has wired the quiz up
    quiz.locator('fieldset > div:has(input[data-correct="true"]) label').click()
    submit = quiz.locator('button[type="submit"]:visible')
    if submit.count():  # only when mkdocs-quiz's auto-submit is off
        submit.click()
    expect(quiz.locator(".quiz-feedback")).to_be_visible()


def go_home_through_the_nav(page: Page, site_url: str) -> None:
    page.locator(".md-nav--primary a.md-nav__link").filter(has_text="Home").click()  # another page, the same progress
    expect(page).to_have_url(site_url)
    expect(page.locator("#course-progress table")).to_be_visible()


def test_answering_one_quiz_marks_the_lesson_in_the_nav_and_on_the_home_panel(
        page: Page, site_url: str, total: int, course_total: int) -> None:
    answer_first_quiz_right(page, site_url)

    expect(lesson_in_nav(page)).to_have_count(1)
    mark = lesson_in_nav(page).locator(".rva-progress-mark")
    expect(mark).to_have_text(f"1/{total}")
    expect(mark).to_have_attribute("title", f"Quizzes: 1 of {total} answered, 1 correct")
    expect(page.locator(".rva-progress-mark")).to_have_count(1)

    go_home_through_the_nav(page, site_url)
    expect(lesson_in_nav(page).locator(".rva-progress-mark")).to_have_text(f"1/{total}")
    expect(panel_row(page)).to_have_count(1)
    expect(panel_row(page).locator("td")).to_have_text([LESSON_TITLE, f"1 / {total}", "1"])
    expect(page.locator("#course-progress > p")).to_contain_text(f"answered 1 of the course's {course_total}")

    panel_row(page).get_by_role("link", name=LESSON_TITLE, exact=True).click()
    expect(page).to_have_url(site_url + LESSON)


def test_forget_all_my_answers_clears_the_panel_and_the_nav_mark(page: Page, site_url: str, total: int) -> None:
    answer_first_quiz_right(page, site_url)
    go_home_through_the_nav(page, site_url)
    expect(panel_row(page).locator("td")).to_have_text([LESSON_TITLE, f"1 / {total}", "1"])
    expect(page.locator(".rva-progress-mark")).to_have_count(1)

    forget = page.get_by_role("button", name="Forget all my answers")
    expect(forget).to_have_count(1)
    forget.click()

    expect(panel_row(page).locator("td")).to_have_text([LESSON_TITLE, f"0 / {total}", "0"])
    expect(page.locator("#course-progress > p")).not_to_contain_text("You have answered")
    expect(page.locator(".rva-progress-mark")).to_have_count(0)
    stored = page.evaluate(f"Object.keys(localStorage).filter(key => key.startsWith('{STORAGE_PREFIX}'))")
    assert stored == [], f"answers still stored: {stored}"

    page.goto(site_url + LESSON, wait_until="networkidle")  # and the lesson has forgotten them too
    expect(page.locator("#quiz-0 .quiz-feedback")).to_be_hidden()
    expect(page.locator("#quiz-0 input:checked")).to_have_count(0)
    expect(page.locator(".rva-progress-mark")).to_have_count(0)


def test_progress_marks_are_never_added_to_table_of_contents_links(page: Page, site_url: str) -> None:
    answer_first_quiz_right(page, site_url)
    expect(lesson_in_nav(page).locator(".rva-progress-mark")).to_have_count(1)

    # The lesson's table of contents links to anchors of the lesson's own page
    toc_links = page.locator('a.md-nav__link[href*="#"]')
    expect(toc_links).not_to_have_count(0)
    expect(page.locator('a.md-nav__link[href*="#"] .rva-progress-mark')).to_have_count(0)
    expect(page.locator(".rva-progress-mark")).to_have_count(1)


def test_the_lessons_own_reset_button_removes_its_nav_mark(page: Page, site_url: str, total: int) -> None:
    answer_first_quiz_right(page, site_url)
    expect(lesson_in_nav(page).locator(".rva-progress-mark")).to_have_text(f"1/{total}")
    page.on("dialog", lambda dialog: dialog.accept())  # mkdocs-quiz asks for confirmation

    page.locator(".quiz-intro-reset").click()

    expect(page.locator("#quiz-0 .quiz-feedback")).to_be_hidden()  # the reset itself worked
    expect(page.locator(".rva-progress-mark")).to_have_count(0)
