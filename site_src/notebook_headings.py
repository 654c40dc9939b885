"""A translated exercise notebook's section headings take the anchors of its English notebook's.

mkdocs-jupyter makes a heading's id from its text with every non-ASCII letter dropped, so a Chinese
heading got an empty id (invalid HTML) or a bare number, and its sidebar link pointed at another id
again. A Markdown page keeps its English anchors with `{ #id }`; notebooks cannot, so the anchors are
set here, by position: the n-th heading of the translation is the n-th heading of the English notebook
(tests/site_src/test_translation_parity.py holds a translation to its English page's structure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jupytext
from markdown import Markdown
from mkdocs.structure.toc import AnchorLink, TableOfContents

# mkdocs-jupyter writes each heading as <hN id="...">text<a class="anchor-link" href="#...">¶</a></hN>
_HEADING = re.compile(r'<h([1-6]) id="[^"]*">(.*?)<a class="anchor-link" href="#[^"]*">', re.S)


class HeadingMismatch(ValueError):
    """A translation whose headings cannot be matched one to one with its English notebook's."""


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str


def english_headings(notebook: Path) -> list[Heading]:
    """The headings of a notebook's Markdown cells, with the anchors MkDocs's toc extension (and so
    mkdocs-jupyter's sidebar) gives them, in page order."""
    cells = jupytext.read(notebook).cells
    markdown = Markdown(extensions=["toc"])
    markdown.convert("\n\n".join(cell.source for cell in cells if cell.cell_type == "markdown"))
    return list(_walk(markdown.toc_tokens))


def borrow_anchors(html: str, toc: TableOfContents, english: list[Heading], source: str) -> str:
    """The page's HTML with every heading's id and ¶ link set to the English anchor at its position;
    `toc` (the sidebar's entries) is updated in place to match. `source` names the file in errors."""
    found = _HEADING.findall(html)
    levels = [int(level) for level, _ in found]
    if levels != [heading.level for heading in english]:
        raise HeadingMismatch(
            f"{source}: its headings (levels {levels}) do not match its English notebook's "
            f"(levels {[heading.level for heading in english]}); translate each heading, add or drop none")
    anchors = iter(english)

    def replace(match: re.Match) -> str:
        anchor = next(anchors).anchor
        return f'<h{match[1]} id="{anchor}">{match[2]}<a class="anchor-link" href="#{anchor}">'

    for link, heading in zip(_links(toc), english, strict=False):
        link.id = heading.anchor
    return _HEADING.sub(replace, html)


def _walk(tokens: list[dict]):
    for token in tokens:
        yield Heading(token["level"], token["id"])
        yield from _walk(token["children"])


def _links(items) -> list[AnchorLink]:
    found = []
    for item in items:
        found.append(item)
        found.extend(_links(item.children))
    return found
