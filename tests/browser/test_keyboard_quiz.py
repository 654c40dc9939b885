"""Every page's quizzes with the keyboard alone and a screen reader in mind: each radio group and choice
has an accessible name, Tab/Space/Tab/Enter answers a quiz with visible focus on the way, and the
feedback appears in a live region that has focus afterwards. (test_quizzes.py checks what the feedback
says on one lesson; this covers every page that has quizzes, whatever pages the site has.)"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

from tests.browser.keyboard import expect_visible_keyboard_focus_on, tab_into
from tests.browser.pages import page_paths

if TYPE_CHECKING:
    from tests.conftest import BuiltSite


def pages_with_quizzes(built_site: BuiltSite) -> list[str]:
    site = built_site.site
    return [path for path in page_paths(site)
            if 'class="quiz"' in (site / path / "index.html").read_text(encoding="utf-8")]


NAMED = re.compile(r"\S")  # an accessible name with something to read out (JavaScript's \w is ASCII only)


def test_every_quiz_names_its_radio_group_and_choices_and_announces_its_feedback(
        page: Page, site_url: str, built_site: BuiltSite) -> None:
    paths = pages_with_quizzes(built_site)
    assert paths, "no page of the built site has a quiz"
    for path in paths:
        page.goto(site_url + path, wait_until="networkidle")
        for quiz in page.locator(".quiz").all():
            where = f"{path} #{quiz.get_attribute('id')}"
            question = " ".join(quiz.locator(".quiz-question").inner_text().split())
            assert question, f"{where}: the question is empty"
            fieldset = quiz.locator("fieldset")
            expect(fieldset).to_have_attribute("aria-labelledby", quiz.locator(".quiz-question").get_attribute("id"))
            expect(fieldset).to_have_accessible_name(NAMED)
            for choice in quiz.locator("fieldset input[type=radio]").all():
                label = " ".join(quiz.locator(f"label[for='{choice.get_attribute('id')}']").inner_text().split())
                assert label, f"{where}: a choice without a label"
                expect(choice).to_have_accessible_name(NAMED)
            # a live region must exist before its text changes, or screen readers stay silent
            feedback = quiz.locator(".quiz-feedback")
            expect(feedback).to_have_attribute("aria-live", "polite")


def test_the_first_quiz_of_every_page_is_answered_with_the_keyboard_alone(
        page: Page, site_url: str, built_site: BuiltSite) -> None:
    for path in pages_with_quizzes(built_site):
        page.goto(site_url + path, wait_until="networkidle")
        quiz = page.locator(".quiz").first
        expect(quiz.locator(".quiz-reset-button")).to_have_count(1)  # mkdocs-quiz has wired the quiz up
        tab_into(page, quiz)
        first = quiz.locator("fieldset input[type=radio]").first
        expect_visible_keyboard_focus_on(page, first)
        page.keyboard.press("Space")
        expect(first).to_be_checked()
        page.keyboard.press("Tab")
        submit = quiz.locator("button[type=submit]")
        expect_visible_keyboard_focus_on(page, submit)
        page.keyboard.press("Enter")

        feedback = quiz.locator(".quiz-feedback")
        expect(feedback).to_be_visible()
        expect(feedback).not_to_have_text("")
        expect(feedback).to_be_focused()  # mkdocs-quiz moves focus there, so the reader lands on it
