"""Page weight: what a reader's browser downloads on the first visit to each lesson and exercise page.

Every response of a first load in a fresh Chromium context (empty cache) is counted once, by its decoded
size: the HTML, CSS, JavaScript, fonts and the figures that load with the page. The search index and the
search worker are left out: Material fetches them in the background for the search box, they are the
same for every page, and they grow with the whole site rather than with the page being read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import Browser, Response

if TYPE_CHECKING:
    from tests.conftest import BuiltSite

KIB = 1024
# Measured (November 2026, math typeset at build time): 530-700 KiB per lesson. About 320 KiB is the
# same on every page: Material's stylesheet (134), palette (12) and bundle (111), KaTeX's stylesheet (24)
# and our own CSS and JS (~40; picker.js, 13 of it, is only used by lesson 6); math adds KaTeX fonts
# (42-55). The rest is the page's own HTML (mkdocs-quiz's inline script and style, 54 KiB on every
# page; the typeset formulas, whose HTML and MathML outweigh their TeX several times) and the figures
# near the top (they load lazily; ~27 KiB each). The headroom (to 850 KiB) covers a longer lesson and a
# few more figures, not a new library: bringing back KaTeX's 267 KiB script fails on most lessons.
# December 2026: lessons 1 and 5 now teach the mechanisms themselves (the LSTM, GRU, multi-head and
# position equations; the recurrent families' table and the state-tracking arithmetic), about a hundred
# formulas each, and came to 990-1,040 KiB. Their typeset HTML compresses about tenfold, so a reader on
# Pages downloads well under half of that; making pages lighter is issue 18's work.
LESSON_BUDGET = 1_150 * KIB
# Measured: 1,030-1,120 KiB per exercise page. About 560 KiB of each is the JupyterLab stylesheet that
# mkdocs-jupyter inlines into every notebook page; the shared assets above and KaTeX's fonts (the
# notebooks' math is typeset at build time too) make up most of the rest.
EXERCISE_BUDGET = 1_300 * KIB
# Background fetches for the search box: not part of reading the page.
EXCLUDED = ("search/search_index.json", "assets/javascripts/workers/")


def test_every_lesson_page_stays_within_its_weight_budget(browser: Browser, site_url: str,
                                                          built_site: BuiltSite) -> None:
    check_pages(browser, site_url, pages_under(built_site.site, "lessons"), LESSON_BUDGET)


def test_every_exercise_page_stays_within_its_weight_budget(browser: Browser, site_url: str,
                                                            built_site: BuiltSite) -> None:
    check_pages(browser, site_url, pages_under(built_site.site, "exercises"), EXERCISE_BUDGET)


# ---- helpers ---------------------------------------------------------------------------------------

def pages_under(site: Path, section: str) -> list[str]:
    """URL paths of the pages the build made under one section, as the nav links them."""
    pages = [f"{section}/{index.parent.name}/" for index in sorted((site / section).glob("*/index.html"))]
    assert pages, f"no pages under {section}/ in the built site"
    return pages


def check_pages(browser: Browser, site_url: str, paths: list[str], budget: int) -> None:
    weights = {path: first_load(browser, site_url + path) for path in paths}
    over = [f"{path}: {total(sizes) / KIB:.0f} KiB, over the {budget / KIB:.0f} KiB budget; largest: "
            + ", ".join(f"{url.removeprefix(site_url)} {size / KIB:.0f} KiB" for url, size in largest(sizes))
            for path, sizes in weights.items() if total(sizes) > budget]
    assert not over, ("pages heavier than their budget (make them lighter, or raise the budget in "
                      "tests/browser/test_page_weight.py and say why):\n" + "\n".join(over))


def first_load(browser: Browser, url: str) -> dict[str, int]:
    """Decoded bytes of every response of a first load of url, by response URL (each counted once)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        responses: list[Response] = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        sizes = {response.url: len(response.body()) for response in responses
                 if response.ok and not any(part in response.url for part in EXCLUDED)}
    finally:
        context.close()
    assert url in sizes, f"{url}: the page itself was not among the responses of its load"
    return sizes


def total(sizes: dict[str, int]) -> int:
    return sum(sizes.values())


def largest(sizes: dict[str, int], count: int = 4) -> list[tuple[str, int]]:
    return sorted(sizes.items(), key=lambda item: -item[1])[:count]
