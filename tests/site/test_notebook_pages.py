"""An exercise notebook's page links one shared stylesheet instead of carrying JupyterLab's inline, and
loads neither MathJax nor Mermaid (the math is typeset at build time; the notebooks have no diagrams)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from tests.browser.pages import page_paths

_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]*assets/site/notebook\.css)">')


def test_every_notebook_page_links_the_same_shared_stylesheet_and_inlines_none(built_site):
    notebooks = [path for path in page_paths(built_site.site) if "exercises/" in path]
    assert len(notebooks) >= 12  # six notebooks, in two languages
    shared = set()
    for path in notebooks:
        html = (built_site.site / path / "index.html").read_text(encoding="utf-8")
        links = _STYLESHEET.findall(html)
        assert len(links) == 1, f"{path}: {links}"
        shared.add(urljoin(f"http://site/{path}", links[0]))
        assert "jp-Cell" in html and ".jp-Cell" not in html, f"{path} still carries JupyterLab's stylesheet"
        assert "mathjax" not in html.lower() and "cdnjs" not in html, f"{path} still loads MathJax or Mermaid"
    assert len(shared) == 1, shared
    css = built_site.site / shared.pop().removeprefix("http://site/")
    # trimmed to what the pages use: JupyterLab's whole stylesheet is about 600 KB
    assert 5_000 < css.stat().st_size < 60_000 and ".jp-Cell" in css.read_text(encoding="utf-8")
