"""MkDocs hook: every formula typeset at build time by KaTeX (site_src/math.py), none in the browser.

A formula KaTeX cannot read stops the build with the page, the line and KaTeX's own message.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from gen.paths import rendered_root
from site_src.math import MathError, Typesetter
from site_src.pages import source_path

_typesetter: Typesetter | None = None


def on_pre_build(config: MkDocsConfig) -> None:
    global _typesetter
    # next to the rendered results: build/katex-cache.json, or a test's own folder (RVA_RENDERED);
    # RVA_KATEX_CACHE names another file, so that a test can build with an empty cache
    _typesetter = Typesetter(Path(os.environ.get("RVA_KATEX_CACHE") or rendered_root().parent / "katex-cache.json"))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        return _typesetter.page(html)
    except MathError as err:
        line = _line_of(page, err.tex)
        where = f"{source_path(page, config)}:{line}" if line else source_path(page, config)
        raise PluginError(f"{where}: KaTeX cannot typeset '{err.tex}': {err}. Fix the formula's TeX.") from None


def on_post_build(config: MkDocsConfig) -> None:
    if _typesetter:
        _typesetter.close()


def on_build_error(error: Exception) -> None:
    if _typesetter:
        _typesetter.close()  # answers so far are good: keep them for the next build


# ---- helpers ---------------------------------------------------------------------------------------

def _line_of(page: Page, tex: str) -> int | None:
    """The line of the page's source (front matter included) where the formula's first line stands."""
    first = tex.strip().splitlines()[0] if tex.strip() else ""
    lines = page.file.content_string.splitlines()
    return next((number for number, text in enumerate(lines, start=1) if first and first in text), None)
