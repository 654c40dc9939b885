"""Accessibility of every page of the built site in real Chromium: axe-core finds no serious or critical
violation in either colour scheme (contrast included), and every figure's image says what it shows."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import AXE, BLOCKING
from tests.browser.pages import LOCAL_HOSTS, page_paths

if TYPE_CHECKING:
    from tests.conftest import BuiltSite

# Material keeps the palette in localStorage; a fresh context has none, so it follows the emulated
# prefers-color-scheme through the `media` queries in mkdocs.yml.
SCHEMES = {"light": "default", "dark": "slate"}


def axe_violations(browser: Browser, base: str, paths: list[str], scheme: str) -> list[str]:
    """'page [impact] rule: what, where' for each serious or critical violation, plus outside requests."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found: list[str] = []
    here: list[str] = [""]

    def on_request(request) -> None:
        url = urlsplit(request.url)
        if url.scheme not in ("data", "blob") and url.hostname not in LOCAL_HOSTS:
            found.append(f"{here[0]}: request to another host in the {scheme} scheme: {request.url}")

    page.on("request", on_request)
    try:
        for path in paths:
            here[0] = path or "(home)"
            page.goto(base + path, wait_until="networkidle")
            shown = page.locator("body").get_attribute("data-md-color-scheme")
            assert shown == SCHEMES[scheme], f"{here[0]}: {scheme} scheme asked, Material shows '{shown}'"
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            for violation in result["violations"]:
                if violation["impact"] not in BLOCKING:
                    continue
                nodes = violation["nodes"]
                summary = nodes[0]["failureSummary"].replace("\n", " ")
                targets = ", ".join(" ".join(node["target"]) for node in nodes[:3])
                found.append(f"{here[0]} [{violation['impact']}] {violation['id']}: {violation['help']} "
                             f"({len(nodes)}x: {targets}). {summary}")
    finally:
        context.close()
    return found


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_every_page_has_no_serious_accessibility_violation(browser: Browser, site_url: str,
                                                           built_site: BuiltSite, scheme: str) -> None:
    paths = page_paths(built_site.site)
    violations = axe_violations(browser, site_url, paths, scheme)
    assert not violations, f"{len(violations)} problem(s) on {len(paths)} page(s), {scheme} scheme:\n" + \
        "\n".join(violations)


def test_axe_reports_a_planted_contrast_failure_and_a_nameless_button(browser: Browser, site_url: str,
                                                                      built_site: BuiltSite) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.evaluate("""() => document.querySelector("article").insertAdjacentHTML("beforeend",
        '<p style="color: #333">too dark on dark</p><button><svg width="10" height="10"></svg></button>')""")
    page.add_script_tag(path=str(AXE))
    rules = page.evaluate("axe.run(document).then(r => r.violations.map(v => v.id))")
    context.close()
    assert "color-contrast" in rules and "button-name" in rules, rules


class _Images(HTMLParser):
    """The <img> tags inside the page's article: (src, alt or None)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.images: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif tag == "img" and self.depth:
            found = dict(attrs)
            self.images.append((found.get("src") or "", found.get("alt")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


def alt_text_problems(html: str) -> list[str]:
    parser = _Images()
    parser.feed(html)
    problems = []
    for src, alt in parser.images:
        name = Path(urlsplit(src).path).name
        # words: Latin ones, and each Chinese character (Chinese writes no spaces between words)
        words = re.findall(r"[A-Za-z]{2,}|[\u4e00-\u9fff]", alt or "")
        if not alt or not alt.strip():
            problems.append(f"{name}: no alt text")
        elif re.search(r"\.(svg|png|jpe?g|gif|webp)\b", alt, re.I) or alt.strip() == Path(name).stem:
            problems.append(f"{name}: alt text is a file name: {alt!r}")
        elif len(words) < 4:
            problems.append(f"{name}: alt text too short to say what the figure shows: {alt!r}")
    return problems


def test_every_image_in_the_content_has_alt_text_that_says_what_it_shows(built_site: BuiltSite) -> None:
    problems, images = [], 0
    for file in sorted(built_site.site.rglob("*.html")):
        html = file.read_text(encoding="utf-8")
        images += html.count("<img")
        problems += [f"{file.relative_to(built_site.site)}: {p}" for p in alt_text_problems(html)]
    assert images > 0, "no images in the built site"
    assert not problems, "\n".join(problems)


def test_alt_text_check_rejects_empty_file_name_and_one_word_alt_text() -> None:
    html = ('<article><img src="a.svg"><img src="b.svg" alt=""><img src="fig/c-light.svg" alt="c-light.svg">'
            '<img src="d.svg" alt="figure"><img src="e.svg" alt="Time per step against sequence length"></article>')
    assert [p.split(":")[0] for p in alt_text_problems(html)] == ["a.svg", "b.svg", "c-light.svg", "d.svg"]
