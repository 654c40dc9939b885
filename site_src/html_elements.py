"""The top-level elements of a piece of HTML, found by balancing its tags.

The hooks that mark or wrap whole blocks of a page (site_src/offscreen.py, site_src/solutions.py) need
to know where each block begins and ends; a regular expression cannot tell a block's own closing tag
from that of a block nested in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    start: int  # where its opening tag begins
    end: int  # just after its closing tag
    tag: str


def top_level_elements(html: str, start: int = 0) -> list[Element] | None:
    """The elements at the top level of `html` from `start` on, up to its end or to the closing tag of
    the element `start` lies in; None when the tags there do not balance."""
    parser = _Finder(html, start)
    parser.feed(html[start:])
    parser.close()
    return parser.elements if parser.depth == 0 or parser.closed else None


class _Finder(HTMLParser):
    def __init__(self, html: str, start: int) -> None:
        super().__init__(convert_charrefs=False)
        self.html, self.start = html, start
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", html[start:])]
        self.depth, self.closed, self.elements = 0, False, []

    def _here(self) -> int:
        line, column = self.getpos()
        return self.start + self.line_starts[line - 1] + column

    def _tag_end(self, at: int) -> int:
        return self.html.index(">", at) + 1

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.closed:
            return
        if self.depth == 0:
            at = self._here()
            self.elements.append(Element(at, self._tag_end(at), tag))
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs) -> None:  # <br/>, MathML's <mspace/>: opens nothing
        if not self.closed and self.depth == 0:
            at = self._here()
            self.elements.append(Element(at, self._tag_end(at), tag))

    def handle_endtag(self, tag: str) -> None:
        if self.closed or tag in _VOID:
            return
        self.depth -= 1
        if self.depth < 0:  # the enclosing element's closing tag: the fragment ends here
            self.closed, self.depth = True, 0
        elif self.depth == 0:
            self.elements[-1].end = self._tag_end(self._here())
