"""Every page of the built site is valid HTML to the Nu HTML Checker (vnu), run once over all pages.

Errors in markup that Material for MkDocs, mkdocs-quiz or mkdocs-jupyter write, and that our pages
cannot change, are filtered one by one below, each with the reason; every other error fails the test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.conftest import BuiltSite

REPO = Path(__file__).resolve().parents[2]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class Known:
    """An error that is not ours: its message, and a pattern its source line(s) must contain."""
    message: str  # regular expression, matched at the start of vnu's message
    markup: str  # regular expression searched in the reported lines of the page and the two after them
    why: str


KNOWN = [
    Known(r"Attribute “autocomplete” is only allowed when the input type is",
          r'class="md-toggle"[^>]*autocomplete="off"',
          "Material's drawer and search toggles are checkboxes with autocomplete=off (base.html), so that "
          "Firefox does not restore them open"),
    Known(r"Bad value “” for attribute “tabindex” on element “label”", r'<label class="md-nav__link"[^>]*tabindex=""',
          "Material's section labels in the navigation (partials/nav-item.html) write tabindex=\"\" for the "
          "active section"),
    Known(r"The “aria-label” attribute must not be specified on any “div” element unless",
          r'id="quiz-progress-(sidebar|mobile)"',
          "mkdocs-quiz's progress sidebar, a div with aria-label and no role (hidden, unused on this site)"),
    Known(r"A “style” element in “body” must be the first child of its parent", r'<style type="text/css">\.quiz',
          "mkdocs-quiz inlines its stylesheet where it inserts its sidebar, in the body"),
    Known(r"An inline “script” element .* must not have a “defer” attribute|An inline “script” element",
          r'<script type="text/javascript" defer>',
          "mkdocs-quiz inlines its script with defer, which browsers ignore on inline scripts"),
    Known(r"The “aria-label” attribute must not be specified on any “clipboard-copy” element", r"<clipboard-copy ",
          "mkdocs-jupyter's copy button for notebook cells (its notebook.html.j2 template)"),
]


def validate(pages: list[Path]) -> list[dict]:
    """vnu's messages of type 'error' (and fatal ones) for all pages, in one JVM."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: the Nu HTML Checker runs on it. Run `make test` (it installs "
                    "default-jre-headless), or `apt-get install default-jre-headless`.")
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, pages)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr)["messages"]
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def is_known(message: dict) -> bool:
    lines = _page_lines(message["url"])
    last = message.get("lastLine", 1)
    shown = "\n".join(lines[message.get("firstLine", last) - 1:last + 2])
    return any(re.match(k.message, message["message"]) and re.search(k.markup, shown) for k in KNOWN)


_lines: dict[str, list[str]] = {}


def _page_lines(url: str) -> list[str]:
    if url not in _lines:
        _lines[url] = Path(url.removeprefix("file:")).read_text(encoding="utf-8").splitlines()
    return _lines[url]


def unknown_errors(site: Path, pages: list[Path]) -> list[str]:
    return [f"{Path(m['url'].removeprefix('file:')).relative_to(site)}:{m.get('lastLine', '?')}: {m['message']}"
            for m in validate(pages) if not is_known(m)]


def test_every_page_of_the_built_site_is_valid_html(built_site: BuiltSite) -> None:
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) > 5, f"only {len(pages)} HTML pages in {built_site.site}"
    errors = unknown_errors(built_site.site, pages)
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors)


def test_an_error_of_our_own_fails_even_on_a_page_with_filtered_theme_errors(built_site: BuiltSite,
                                                                              tmp_path: Path) -> None:
    lesson = next(built_site.site.glob("lessons/*/index.html"))  # a page with Material's and mkdocs-quiz's errors
    page = tmp_path / "index.html"
    broken = '<p><a href="x" href="y">twice</a><div id="dup"></div><span id="dup"></span></p>'
    page.write_text(lesson.read_text(encoding="utf-8").replace("</article>", broken + "</article>", 1),
                    encoding="utf-8")

    errors = unknown_errors(tmp_path, [page])

    assert any("Duplicate attribute “href”" in e for e in errors), errors
    assert any("Duplicate ID “dup”" in e for e in errors), errors
