"""MkDocs hook: the article's blocks that may skip rendering off screen are marked, tables and display
formulas in a wrapper of their own (site_src/offscreen.py says which and why). Runs after the math hook,
which writes the formulas' final HTML."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from site_src.hooks.notebooks import is_notebook
from site_src.offscreen import mark_skippable_blocks, wrap_scroll_boxes


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if is_notebook(page):  # a notebook is one block; a wrapper in its cells would skip nothing
        return html
    return mark_skippable_blocks(wrap_scroll_boxes(html))
