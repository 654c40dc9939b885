"""The glossary in real Chromium: a term in a lesson shows its short definition on hover and on a tap
(our one tooltip, site_src/assets/term_tips.js, not the browser's title popup), the glossary page has an
anchored entry per term whose "Used in" links lead to the lesson, and the
lesson's "Key terms" links land on those entries.

Expected texts come from docs/glossary.yml and the lesson's front matter, never from the built HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect

from site_src.glossary import Term, load_glossary

REPO = Path(__file__).resolve().parents[2]
GLOSSARY = "glossary/"
LESSON = "lessons/02-serial-bottleneck/"
LESSON_SOURCE = REPO / "docs" / "lessons" / "02-serial-bottleneck.md"
LESSON_TITLE = "The serial bottleneck"
TITLE_EXACTLY = re.compile(rf"^{re.escape(LESSON_TITLE)}$")  # has_text alone would match a longer title too


@pytest.fixture(scope="module")
def terms() -> dict[str, Term]:
    return load_glossary(REPO / "docs" / "glossary.yml")


@pytest.fixture(scope="module")
def key_terms(terms: dict[str, Term]) -> list[Term]:
    """The lesson's key terms, in the order its front matter lists them."""
    front_matter = yaml.safe_load(LESSON_SOURCE.read_text(encoding="utf-8").split("---\n")[1])
    names = front_matter.get("key_terms") or []
    assert names, f"{LESSON_SOURCE} lists no key_terms"
    return [terms[str(name).lower()] for name in names]


def term_of(spelling: str, terms: dict[str, Term]) -> Term:
    found = [t for t in terms.values() if spelling.lower() in (form.lower() for form in t.forms)]
    assert len(found) == 1, f"'{spelling}' is not a spelling of exactly one glossary term: {found}"
    return found[0]


def test_hovering_a_term_in_the_lesson_shows_its_short_definition_next_to_it(
        page: Page, site_url: str, terms: dict[str, Term]) -> None:
    page.goto(site_url + LESSON, wait_until="networkidle")
    abbr = page.locator("article p abbr").first  # a term in running text, not in a heading or a list
    expect(abbr).to_be_visible()
    term = term_of(abbr.inner_text().strip(), terms)
    expect(page.locator('[role="tooltip"]:visible')).to_have_count(0)

    abbr.hover()

    expect_definition_next_to(page, abbr, term)
    page.locator("article h1").hover()
    expect(page.locator('[role="tooltip"]:visible')).to_have_count(0)
    expect(abbr).to_have_attribute("title", term.short)  # screen readers read it again when none shows
    expect(abbr).not_to_have_attribute("aria-describedby", re.compile(r"."))


def test_tapping_a_term_on_a_phone_shows_its_definition_until_a_tap_elsewhere(
        browser: Browser, site_url: str, terms: dict[str, Term]) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(site_url + LESSON, wait_until="networkidle")
        abbrs = page.locator("article p abbr")
        first, second = abbrs.nth(0), abbrs.nth(1)
        second_term = term_of(second.inner_text().strip(), terms)

        first.tap()
        expect_definition_next_to(page, first, term_of(first.inner_text().strip(), terms))
        second.tap()  # one tooltip at a time: the second term's replaces the first's
        expect_definition_next_to(page, second, second_term)
        expect(first).not_to_have_attribute("aria-describedby", re.compile(r"."))
        page.locator("article h1").tap()
        expect(page.locator('[role="tooltip"]:visible')).to_have_count(0)
    finally:
        context.close()


def expect_definition_next_to(page: Page, abbr: Locator, term: Term) -> None:
    """Exactly one tooltip shows, with the term's short definition, just above or below the term."""
    tooltip = page.locator('[role="tooltip"]:visible')
    expect(tooltip).to_have_count(1)
    expect(tooltip).to_have_text(term.short)
    tooltip_id = tooltip.get_attribute("id")
    assert tooltip_id, "the tooltip has no id for the term to point at"
    expect(abbr).to_have_attribute("aria-describedby", tooltip_id)  # screen readers read the same text
    # the title moves into the tooltip while it shows, so the browser does not show a second, native one
    expect(abbr).not_to_have_attribute("title", re.compile(r"."))
    term_box, tip_box = abbr.bounding_box(), tooltip.bounding_box()
    assert term_box and tip_box, "the term or its tooltip takes no space on screen"
    viewport = page.viewport_size
    assert viewport and 0 <= tip_box["x"] and tip_box["x"] + tip_box["width"] <= viewport["width"], \
        f"tooltip {tip_box} is not inside the {viewport} viewport"
    term_right, tip_right = term_box["x"] + term_box["width"], tip_box["x"] + tip_box["width"]
    overlaps_horizontally = tip_box["x"] < term_right and term_box["x"] < tip_right
    just_below = 0 <= tip_box["y"] - (term_box["y"] + term_box["height"]) < 40
    just_above = 0 <= term_box["y"] - (tip_box["y"] + tip_box["height"]) < 40
    assert overlaps_horizontally and (just_below or just_above), f"tooltip {tip_box} is not next to the term {term_box}"


def test_the_glossary_page_has_an_anchored_entry_for_every_term(page: Page, site_url: str,
                                                                terms: dict[str, Term]) -> None:
    page.goto(site_url + GLOSSARY, wait_until="networkidle")
    entries = page.locator("article h2[id]")
    assert entries.count() >= len(terms), f"{entries.count()} headings for {len(terms)} terms"
    for term in terms.values():
        heading = page.locator(f"article h2#{term.anchor}")
        expect(heading).to_have_count(1)
        expect(heading).to_contain_text(term.term)
        expect(page.locator(f"article h2#{term.anchor} + p")).to_have_text(term.short)


def used_in_links(page: Page, term: Term):
    """The links of the "Used in:" line of one entry (the nearest h2 before the line is the entry's)."""
    return page.locator(f"xpath=//article//p[strong[normalize-space()='Used in:']]"
                        f"[preceding-sibling::h2[1][@id='{term.anchor}']]//a")


def test_a_used_in_link_of_a_glossary_entry_leads_to_the_lesson(page: Page, site_url: str,
                                                                key_terms: list[Term]) -> None:
    page.goto(site_url + GLOSSARY, wait_until="networkidle")
    for term in key_terms:  # every key term of the lesson says it is used there
        expect(used_in_links(page, term).filter(has_text=TITLE_EXACTLY)).to_have_count(1)

    used_in_links(page, key_terms[0]).filter(has_text=TITLE_EXACTLY).click()

    expect(page).to_have_url(site_url + LESSON)
    expect(page.locator("article h1")).to_contain_text(LESSON_TITLE)


def test_the_lesson_ends_with_key_terms_whose_links_land_on_glossary_entries(page: Page, site_url: str,
                                                                             key_terms: list[Term]) -> None:
    page.goto(site_url + LESSON, wait_until="networkidle")
    sections = page.locator("article h2[id]:visible")
    assert sections.count() > 0, "the lesson has no sections"
    expect(sections.last).to_have_id("key-terms")
    expect(sections.last).to_contain_text("Key terms")
    links = page.locator("article h2#key-terms + ul > li a")
    expect(links).to_have_text([term.term for term in key_terms])

    for index, term in enumerate(key_terms):
        page.goto(site_url + LESSON, wait_until="networkidle")
        page.locator("article h2#key-terms + ul > li a").nth(index).click()
        expect(page).to_have_url(f"{site_url}{GLOSSARY}#{term.anchor}")
        entry = page.locator(f"article h2#{term.anchor}")
        expect(entry).to_have_count(1)
        expect(entry).to_be_in_viewport()
