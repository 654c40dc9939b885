"""Finding references in Markdown: ``{{ value:ID }}``, ``{{ figure:ID }}``, ``{{ table:ID }}`` for
measured results, and ``{{ reported:ID }}`` for a number a paper reported (docs/reported.yml).

An ID is ``experiment.key``, optionally followed by ``@profile`` to pin a profile (``@cpu``) and, for
values, by ``:spec`` to override the number's format (``{{ value:serial_depth.loop_ns_per_step:.1f }}``).
References inside fenced code, inline code and math are left alone, so pages can show the syntax and
math never collides with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gen.render.ids import KEY, RESULT_ID

KINDS = ("value", "figure", "table", "reported")
RESULT_KINDS = ("value", "figure", "table")  # those that come from a measurement; "reported" is cited
_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_]*)\s*:\s*([^{}]*?)\s*\}\}")
_REPORTED_ID = KEY  # an entry of docs/reported.yml
_ID = re.compile(rf"^{RESULT_ID}(?::(?P<spec>.+))?$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE_MATH = re.compile(r"\$\$.*?\$\$|\$(?=\S)[^$\n]*?\S\$|\\\(.*?\\\)|\\\[.*?\\\]")
_DISPLAY_MATH = (("$$", "$$"), ("\\[", "\\]"))  # (opening, closing) of math blocks over several lines


class ReferenceSyntaxError(ValueError):
    """A reference that cannot be understood; `line` is 1-based within the scanned text."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


@dataclass(frozen=True)
class Reference:
    kind: str
    experiment: str
    key: str
    profile: str | None
    spec: str | None
    line: int  # 1-based line within the scanned text

    @property
    def id(self) -> str:
        return self.key if self.kind == "reported" else f"{self.experiment}.{self.key}"


def parse(kind: str, body: str, line: int) -> Reference:
    if kind not in KINDS:
        raise ReferenceSyntaxError(line, f"unknown reference kind '{kind}' (use one of: {', '.join(KINDS)})")
    if kind == "reported":  # a number a paper reported, by its id in docs/reported.yml
        if not _REPORTED_ID.match(body):
            raise ReferenceSyntaxError(line, f"'{body}' is not an id of docs/reported.yml; write lower_case_words")
        return Reference(kind, "", body, None, None, line)
    match = _ID.match(body)
    if not match:
        raise ReferenceSyntaxError(
            line, f"'{body}' is not a result id; write experiment.key, e.g. serial_depth.time_vs_length"
        )
    if match["spec"] and kind != "value":
        raise ReferenceSyntaxError(line, f"only values take a format spec; remove ':{match['spec']}'")
    return Reference(kind, match["experiment"], match["key"], match["profile"], match["spec"], line)


def substitute(markdown: str, replace: Callable[[Reference], str]) -> str:
    """Replace every reference outside code and math with replace(reference)."""
    out = []
    for number, line, masked in _scannable_lines(markdown):
        if masked is None:
            out.append(line)
            continue
        pieces, last = [], 0
        for match in _REFERENCE.finditer(masked):
            pieces.append(line[last:match.start()])
            pieces.append(replace(parse(match[1], match[2], number)))
            last = match.end()
        pieces.append(line[last:])
        out.append("".join(pieces))
    return "".join(out)


def find(markdown: str) -> list[Reference]:
    found: list[Reference] = []

    def collect(reference: Reference) -> str:
        found.append(reference)
        return ""

    substitute(markdown, collect)
    return found


def _scannable_lines(markdown: str) -> Iterator[tuple[int, str, str | None]]:
    """(line number, line, masked line) where the mask blanks code and math; None inside blocks."""
    fence: str | None = None
    math_close: str | None = None  # the delimiter that ends the display-math block we are in
    for number, line in enumerate(markdown.splitlines(keepends=True), start=1):
        stripped = line.strip()
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not stripped[len(opening.group(1)):].strip():
                fence = None
            yield number, line, None
            continue
        if opening:
            fence = opening.group(1)
            yield number, line, None
            continue
        if math_close is not None:
            if math_close in stripped:
                math_close = None
            yield number, line, None
            continue
        block = next((close for open_, close in _DISPLAY_MATH
                      if stripped.startswith(open_) and close not in stripped[len(open_):]), None)
        if block is not None:
            math_close = block
            yield number, line, None
            continue
        masked = _INLINE_CODE.sub(lambda m: " " * len(m[0]), line)
        masked = _INLINE_MATH.sub(lambda m: " " * len(m[0]), masked)
        yield number, line, masked
