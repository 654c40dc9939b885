"""The Chinese edition in real Chromium: the language switcher leads to the same page in the other
language, a term in Chinese text shows its Chinese definition on hover, and the progress panel speaks
Chinese and counts the Chinese pages' answers.

Expected texts come from docs/glossary.yml, never from the built HTML.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from site_src.glossary import load_glossary

REPO = Path(__file__).resolve().parents[2]
LESSON = "lessons/02-serial-bottleneck/"


def switch_to(page: Page, language: str) -> None:
    page.locator(".md-header .md-select").hover()  # Material opens the language menu on hover
    page.locator(f'.md-header a.md-select__link[hreflang="{language}"]').click()


def test_the_language_switcher_leads_to_the_same_lesson_in_chinese_and_back(page: Page, site_url: str):
    page.goto(site_url + LESSON)
    switch_to(page, "zh")
    expect(page).to_have_url(site_url + "zh/" + LESSON)
    expect(page.locator("html")).to_have_attribute("lang", "zh")
    switch_to(page, "en")
    expect(page).to_have_url(site_url + LESSON)


def test_a_term_in_chinese_text_shows_its_chinese_definition_on_hover(page: Page, site_url: str):
    terms = load_glossary(REPO / "docs" / "glossary.yml", "zh").values()
    chinese = {text.term: text for text in (term.text("zh") for term in terms)}
    page.goto(site_url + "zh/", wait_until="networkidle")
    abbr = page.locator("article p abbr").first
    expect(abbr).to_be_visible()
    spelling = abbr.inner_text().strip()
    text = next(t for t in chinese.values() if spelling in t.forms)

    abbr.hover()

    expect(page.locator('[role="tooltip"]:visible')).to_have_text(text.short)


def test_the_progress_panel_speaks_chinese_and_counts_the_chinese_pages(page: Page, site_url: str):
    page.goto(site_url + "zh/" + LESSON, wait_until="networkidle")
    quiz = page.locator("#quiz-0")
    quiz.locator("fieldset > div label").first.click()
    quiz.locator('button[type="submit"]:visible').click()
    page.goto(site_url + "zh/", wait_until="networkidle")
    panel = page.locator("#course-progress")
    expect(panel.locator("th").first).to_have_text("课程")
    expect(panel).to_contain_text("你已回答本课程")
    page.goto(site_url, wait_until="networkidle")  # the English course counts its own pages
    expect(page.locator("#course-progress")).to_contain_text("The course has")


def test_the_home_page_opens_in_the_language_the_reader_chose(page: Page, site_url: str):
    page.goto(site_url + LESSON)
    switch_to(page, "zh")
    expect(page).to_have_url(site_url + "zh/" + LESSON)
    page.goto(site_url)  # typed the site's address again
    expect(page).to_have_url(site_url + "zh/")
    switch_to(page, "en")  # choosing English sticks too
    page.goto(site_url)
    expect(page).to_have_url(site_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
