"""Exercise notebooks in a real browser: every solution starts closed behind "Show the solution" and
opens by mouse or keyboard to show its code, also when reached from another page, with no console error."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest
from playwright.sync_api import Browser, Page, expect

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "screenshots"
# The English notebooks (a translation, x.zh.py, gets the same disclosures on its page below zh/)
NOTEBOOKS = sorted(p for p in (REPO / "docs" / "exercises").glob("*.py") if ".zh." not in p.name)
LESSON = "lessons/02-serial-bottleneck/"
# Luminance (0-255) of a <pre>'s text and of the first opaque background behind it.
TEXT_AND_BACKGROUND_LUMINANCE = r"""(pre) => {
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\d.]+/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let node = pre;
  let fill = "rgba(0, 0, 0, 0)";
  while (node && /rgba\(0, 0, 0, 0\)|transparent/.test(fill)) {
    fill = getComputedStyle(node).backgroundColor;
    node = node.parentElement;
  }
  return [luminance(getComputedStyle(pre.querySelector("code") || pre).color), luminance(fill)];
}"""


def page_url(notebook: Path) -> str:
    return f"exercises/{notebook.stem}/"


def solutions(notebook: Path) -> list[str]:
    """The first line of each solution's code: one per run of consecutive solution cells, as on the page."""
    firsts: list[str] = []
    previous_was_solution = False
    for cell in jupytext.read(notebook).cells:
        solution = "solution" in cell.metadata.get("tags", [])
        if solution and not previous_was_solution:
            firsts.append("")
        if solution and cell.cell_type == "code" and not firsts[-1]:
            firsts[-1] = cell.source.splitlines()[0]
        previous_was_solution = solution
    return firsts


def watch_for_errors(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
    return problems


def is_open(page: Page, index: int) -> bool:
    return page.locator("details.rva-solution").nth(index).evaluate("details => details.open")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_solution_starts_closed_and_a_click_shows_its_code(page: Page, site_url: str, notebook: Path):
    problems = watch_for_errors(page)
    page.goto(site_url + page_url(notebook), wait_until="networkidle")
    expected = solutions(notebook)
    details = page.locator("details.rva-solution")
    expect(details).to_have_count(len(expected))
    assert page.locator(".jp-Notebook > .jp-Cell.celltag_solution").count() == 0, "a solution cell was left out"

    for index, first_line in enumerate(expected):
        solution = details.nth(index)
        expect(solution.locator("summary")).to_have_text("Show the solution")
        code = solution.locator(".highlight-ipynb pre").first
        assert not is_open(page, index)
        expect(code).to_be_hidden()
        solution.locator("summary").click()
        assert is_open(page, index)
        expect(code).to_be_visible()
        expect(code).to_contain_text(first_line)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_a_solution_opens_from_the_keyboard(page: Page, site_url: str, notebook: Path):
    page.goto(site_url + page_url(notebook), wait_until="networkidle")
    summary = page.locator("details.rva-solution summary").first
    summary.focus()
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    assert is_open(page, 0)
    page.keyboard.press("Enter")
    assert not is_open(page, 0)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_solutions_are_wrapped_when_the_page_is_reached_from_another_page(page: Page, site_url: str, notebook: Path):
    # Material would swap the body in without a reload if navigation.instant came back; either way
    # each visit shows each disclosure once.
    problems = watch_for_errors(page)
    page.goto(site_url + LESSON, wait_until="networkidle")
    for _ in range(2):  # there, back, and there again: nothing may be set up twice
        page.locator(f'.md-nav a.md-nav__link[href$="{page_url(notebook)}"]').first.click()
        page.wait_for_url(f"**/{page_url(notebook)}")
        expect(page.locator("details.rva-solution")).to_have_count(len(solutions(notebook)))
        page.locator(f'.md-nav a.md-nav__link[href$="{LESSON}"]').first.click()
        page.wait_for_url(f"**/{LESSON}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_an_opened_solution_shows_its_code_legibly_in_both_schemes(browser: Browser, site_url: str, notebook: Path):
    """The first solution, opened, shows its code, whose text stands out from its background in the
    light and the dark scheme (a screenshot of each is kept in build/screenshots for looking at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme, material_scheme in (("light", "default"), ("dark", "slate")):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(site_url + page_url(notebook), wait_until="networkidle")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", material_scheme)
        solution = page.locator("details.rva-solution").first
        solution.locator("summary").click()
        code = solution.locator("pre").first
        expect(code).to_be_visible()
        assert solutions(notebook)[0] in code.inner_text()
        text, background = code.evaluate(TEXT_AND_BACKGROUND_LUMINANCE)
        assert abs(text - background) > 100, (scheme, text, background)  # of 255: clearly legible
        page.screenshot(path=SCREENSHOTS / f"{notebook.stem}-notebook-{scheme}.png", full_page=True)
        context.close()
