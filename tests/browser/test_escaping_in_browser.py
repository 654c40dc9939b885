"""The escaping fixture site of tests/site/test_escaping.py in Chromium: no payload from the glossary,
a quiz or the key terms runs when the pages load, the quiz is answered and a term is hovered."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from tests.browser.conftest import serve
from tests.site.escaping_site import build


def test_no_dialog_opens_when_the_pages_load_and_the_quiz_is_answered(tmp_path: Path, browser: Browser) -> None:
    site = build(tmp_path, "material")
    dialogs: list[str] = []
    with serve(site) as base:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("lesson/", "glossary/"):
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(200)  # an onerror handler fires after the broken image fails to load
        page.goto(base + "lesson/", wait_until="networkidle")
        page.locator(".quiz label").first.click()
        submit = page.locator(".quiz button[type=submit]:visible")
        if submit.count():  # mkdocs-quiz's default auto_submit answers on the click above
            submit.click()
        page.locator(".quiz .quiz-feedback").wait_for()
        page.locator("article abbr").first.hover()  # the glossary tooltip (the short definition)
        page.wait_for_timeout(200)
        page.close()
    assert dialogs == []
