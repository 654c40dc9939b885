"""Small facts about a page that several hooks need: its path as a contributor knows it, and where
its Markdown starts in the source file (so errors point at the right line)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page


def source_path(page: Page, config: MkDocsConfig) -> str:
    """docs/lessons/x.md: relative to the working directory when the docs are below it."""
    docs = Path(config.docs_dir)
    try:
        docs = docs.relative_to(Path.cwd())
    except ValueError:
        pass
    return (docs / page.file.src_uri).as_posix()


def front_matter_lines(page: Page, markdown: str) -> int:
    """How many lines of the source file precede the Markdown that hooks see (the front matter)."""
    source = page.file.content_string
    start = source.find(markdown[:200]) if markdown else -1
    return source[:start].count("\n") if start > 0 else 0
