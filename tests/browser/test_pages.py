"""The built site in a real browser: pages load cleanly and offline, math and figures render, and the
palette toggle swaps each figure for its dark-scheme twin."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.pages import LOCAL_HOSTS, bring_into_view, page_paths

if TYPE_CHECKING:
    from tests.conftest import BuiltSite

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "screenshots"
LESSON = "lessons/02-serial-bottleneck/"
# Material's palette toggle: each label points at the radio input of the scheme it switches *to*.
TO_DARK = 'label.md-header__button[for="__palette_1"]'
TO_LIGHT = 'label.md-header__button[for="__palette_0"]'


def load_every_image(page: Page, pending: set[str] | None = None) -> None:
    """Load the figures' lazy images too (both schemes), so broken ones and screenshots show them.

    Chromium fetches a loading="lazy" image only near the viewport, and never one that is hidden, so
    without this the dark figures and anything below the fold would go unrequested.
    """
    page.eval_on_selector_all("img[loading=lazy]", "images => images.forEach(i => i.loading = 'eager')")
    page.wait_for_function("[...document.images].every(i => i.complete)")
    if pending is not None:  # the images' response events can trail their `complete`
        deadline = time.monotonic() + 10
        while pending and time.monotonic() < deadline:
            page.wait_for_timeout(50)


def test_every_page_loads_without_errors_or_outside_requests(page: Page, site_url: str,
                                                             built_site: BuiltSite) -> None:
    paths = page_paths(built_site.site)
    assert "" in paths and LESSON in paths, f"home page or lesson missing from the built site: {paths}"

    problems: list[str] = []
    pending: set[str] = set()
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
    page.on("request", lambda r: pending.add(r.url))
    page.on("requestfinished", lambda r: pending.discard(r.url))

    def on_failed(request) -> None:
        pending.discard(request.url)
        problems.append(f"request failed ({request.failure}): {request.url}")

    def on_request(request) -> None:
        url = urlsplit(request.url)
        if url.scheme not in ("data", "blob") and url.hostname not in LOCAL_HOSTS:
            problems.append(f"request to another host: {request.url}")

    page.on("requestfailed", on_failed)
    page.on("request", on_request)
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))

    for path in paths:
        page.goto(site_url + path, wait_until="networkidle")
        load_every_image(page, pending)
        broken = page.eval_on_selector_all("img", "images => images.filter(i => !i.naturalWidth).map(i => i.src)")
        problems.extend(f"image did not decode: {src}" for src in broken)

    assert not problems, f"{len(problems)} problem(s) on {len(paths)} page(s):\n" + "\n".join(problems)


def test_every_math_font_a_page_uses_is_preloaded_and_none_it_does_not(browser: Browser, site_url: str,
                                                                      built_site: BuiltSite) -> None:
    """KaTeX's fonts block text until they arrive, so a late one shifts the page (site_src/math_fonts.py)."""
    wrong = []
    for path in page_paths(built_site.site):
        context = browser.new_context(viewport={"width": 412, "height": 823})  # an empty cache per page
        page = context.new_page()
        requested: set[str] = set()
        page.on("request", lambda r, seen=requested: r.resource_type == "font" and seen.add(r.url.rsplit("/", 1)[1]))
        page.goto(site_url + path, wait_until="networkidle")
        # lay out everything, the blocks that skip rendering off screen too (site.css), so each font is asked for
        page.add_style_tag(content=".md-content__inner > * { content-visibility: visible !important; }")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        preloaded = set(page.eval_on_selector_all(
            'link[rel=preload][as=font]', "links => links.map(l => l.href.split('/').pop())"))
        context.close()
        if requested != preloaded:
            wrong.append(f"/{path}: uses {sorted(requested)}, preloads {sorted(preloaded)}")
    assert not wrong, ("pages whose preloaded fonts differ from the fonts they use (site_src/math_fonts.py "
                       "reads which class selects which font from KaTeX's stylesheet):\n" + "\n".join(wrong))


# Collects the layout shifts a page makes as it loads, with the elements that moved (Layout Instability API).
RECORD_LAYOUT_SHIFTS = """
    window.rvaShifts = [];
    new PerformanceObserver(list => {
        for (const shift of list.getEntries()) {
            if (shift.hadRecentInput) continue;
            const moved = shift.sources.map(s => s.node ? (s.node.id || s.node.className || s.node.nodeName) : "?");
            window.rvaShifts.push({value: shift.value, moved: moved.join(", ")});
        }
    }).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("width, height", [(412, 823), (1920, 1200)], ids=["phone", "tall-desktop"])
def test_no_page_shifts_its_content_as_it_loads(browser: Browser, site_url: str, built_site: BuiltSite,
                                                width: int, height: int) -> None:
    """Content in the first screen stays where it first appears (Lighthouse's CLS).

    Blocks off screen skip rendering at an estimated height (site.css); one estimated in the first
    screen would push everything under it down and then let it jump back up as the page renders.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(RECORD_LAYOUT_SHIFTS)
    page = context.new_page()
    shifted = []
    for path in page_paths(built_site.site):
        page.goto(site_url + path, wait_until="networkidle")
        shifts = page.evaluate("window.rvaShifts")
        total = sum(shift["value"] for shift in shifts)
        if total > 0.01:  # Lighthouse's "good" is under 0.1; a page that renders in place scores about 0
            shifted.append(f"/{path}: {total:.3f} ({'; '.join(s['moved'] for s in shifts)})")
    context.close()
    assert not shifted, (f"pages whose content moves as they load ({width} x {height}; the elements that "
                         "moved in brackets):\n" + "\n".join(shifted))


def test_lesson_page_shows_typeset_math_figures_and_measured_values(page: Page, site_url: str) -> None:
    page.goto(site_url + LESSON, wait_until="networkidle")

    expect(page.locator(".katex").first).to_be_visible()
    untypeset = page.locator(".arithmatex:not(:has(.katex))")
    expect(untypeset).to_have_count(0)  # typeset at build time (site_src/hooks/math.py): no formula is left as TeX
    errors = page.locator(".katex-error")  # KaTeX renders a formula it cannot parse as red source text
    assert errors.count() == 0, f"KaTeX could not typeset: {errors.all_inner_texts()}"

    # a figure below the fold is laid out and loaded when the reader nears it (site.css, loading=lazy)
    figure = page.locator(".rva-figure").first
    bring_into_view(figure)
    expect(figure.locator("img:visible").first).to_be_visible()

    values = page.eval_on_selector_all(".rva-value", "spans => spans.map(s => [s.textContent, s.title])")
    assert values, "no measured values (.rva-value) on the lesson page"
    bad = [(text, title) for text, title in values if not text.strip() or "Measured on" not in title]
    assert not bad, f"measured values without text or provenance: {bad}"


def shown_figure_themes(page: Page) -> list[str]:
    """For each figure, which scheme's image is displayed ('light', 'dark', or both).

    Asked of the computed style, not the box: an off-screen block's layout may be skipped
    (content-visibility, site_src/assets/site.css), and a skipped image has no box to measure.
    """
    return page.eval_on_selector_all(".rva-figure", """figures => figures.map(figure =>
        [...figure.querySelectorAll("img")]
            .filter(img => getComputedStyle(img).display !== "none")
            .map(img => img.src.includes("-dark.svg") ? "dark" : img.src.includes("-light.svg") ? "light" : img.src)
            .join("+"))""")


def root_color_scheme(page: Page) -> str:
    """The colour scheme of the page's own scrollbar and canvas (site.css sets it, in place of the meta
    that site_src/hooks/theme_scripts.py keeps Material's bundle from adding)."""
    return page.evaluate("getComputedStyle(document.documentElement).colorScheme")


def test_palette_toggle_swaps_every_figure_between_light_and_dark(page: Page, site_url: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(site_url + LESSON, wait_until="networkidle")
    load_every_image(page)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    figures = len(shown_figure_themes(page))
    assert figures > 0, "no figures on the lesson page"
    assert shown_figure_themes(page) == ["light"] * figures
    assert root_color_scheme(page) == "normal"
    assert page.locator('meta[name="color-scheme"]').count() == 0
    page.screenshot(path=SCREENSHOTS / "lesson-light.png", full_page=True)

    page.locator(TO_DARK).click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert shown_figure_themes(page) == ["dark"] * figures
    assert root_color_scheme(page) == "dark"
    page.screenshot(path=SCREENSHOTS / "lesson-dark.png", full_page=True)

    page.locator(TO_LIGHT).click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert shown_figure_themes(page) == ["light"] * figures
    assert root_color_scheme(page) == "normal"


PHONE = {"width": 390, "height": 844}  # an iPhone 14's viewport in CSS pixels


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_is_wider_than_a_phone(browser: Browser, site_url: str, built_site: BuiltSite, scheme: str) -> None:
    """At 390 px nothing pushes the page sideways: long code and tables scroll inside their own box, and
    no short formula, badge or command line sticks out (short formulas are kept whole, site_src/math.py)."""
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    wide = []
    for path in page_paths(built_site.site):
        page.goto(site_url + path, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{path or '(home)'}: {width} px")
    context.close()
    assert not wide, f"pages wider than {PHONE['width']} px in the {scheme} scheme: {wide}"


def test_a_figure_keeps_a_readable_width_on_a_phone_and_scrolls_inside_its_frame(page: Page, site_url: str) -> None:
    """Shrunk to a 390 px screen a figure's labels would be 4-7 px high: it stays 540 px wide (three
    quarters of its drawn size), its frame scrolls sideways and takes a tab stop, and the page does not."""
    page.set_viewport_size(PHONE)
    page.goto(site_url + LESSON, wait_until="load")
    # a11y.js checks one region per idle moment (most sit in blocks not laid out yet): wait for the last
    page.wait_for_function("""() => [...document.querySelectorAll(".rva-figure__frame")]
        .every(frame => frame.hasAttribute("tabindex") || frame.scrollWidth <= frame.clientWidth)""")
    frames = page.eval_on_selector_all(".rva-figure__frame", """frames => frames.map(frame => {
        const img = [...frame.querySelectorAll("img")].find(i => i.getBoundingClientRect().width > 0);
        return [img.getBoundingClientRect().width, frame.scrollWidth > frame.clientWidth,
                frame.getAttribute("tabindex"), getComputedStyle(frame).overflowX];
    })""")
    assert frames, "no figure frames on the lesson page"
    assert all(width >= 540 and scrolls and tab == "0" and overflow == "auto"
               for width, scrolls, tab, overflow in frames), frames
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
