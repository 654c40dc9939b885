"""One reading of a Markdown page, line by line: which lines sit inside a fenced code block or a
display-math block, and where inline code and inline math are on the others.

Every hook that looks for its own syntax in a page (references and guards, quizzes, glossary terms)
asks this module, so a fence that one of them sees as closed is closed for all of them. The rules are
CommonMark's for fences: a fence opens with three or more backticks or tildes, and closes on a line
holding only a run of the same character at least as long (indented or not).

    for line in scan(markdown):
        if line.masked is None: ...        # inside a code or math block: not prose
        else: find(line.masked)            # code and math blanked out, columns unchanged
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE_MATH = re.compile(r"\$\$.*?\$\$|\$(?=\S)[^$\n]*?\S\$|\\\(.*?\\\)|\\\[.*?\\\]")
_DISPLAY_MATH = (("$$", "$$"), ("\\[", "\\]"))  # (opening, closing) of math blocks over several lines


class LineError(ValueError):
    """A problem at a line of the text a hook read; `line` is 1-based within that text.

    The one error type of the page hooks: each hook adds its file's name and offset to `line`."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    text: str  # as written, with its line ending
    masked: str | None  # inline code and math blanked to spaces; None inside a code or math block
    in_fence: bool  # the line opens, closes or lies inside a fenced code block


def scan(markdown: str) -> Iterator[Line]:
    fence: str | None = None
    math_close: str | None = None  # the delimiter that ends the display-math block we are in
    for number, text in enumerate(markdown.splitlines(keepends=True), start=1):
        stripped = text.strip()
        opening = _FENCE.match(text)
        if fence is not None:
            run = opening.group(1) if opening else ""
            if run and run[0] == fence[0] and len(run) >= len(fence) and not stripped[len(run):].strip():
                fence = None
            yield Line(number, text, None, True)
            continue
        if opening:
            fence = opening.group(1)
            yield Line(number, text, None, True)
            continue
        if math_close is not None:
            if math_close in stripped:
                math_close = None
            yield Line(number, text, None, False)
            continue
        block = next((close for open_, close in _DISPLAY_MATH
                      if stripped.startswith(open_) and close not in stripped[len(open_):]), None)
        if block is not None:
            math_close = block
            yield Line(number, text, None, False)
            continue
        masked = INLINE_CODE.sub(lambda m: " " * len(m[0]), text)
        masked = _INLINE_MATH.sub(lambda m: " " * len(m[0]), masked)
        yield Line(number, text, masked, False)


def prose(markdown: str) -> str:
    """The page with every code block, math block, code span and inline formula blanked out."""
    return "".join(line.masked if line.masked is not None else "\n" for line in scan(markdown))
