"""Finding references in Markdown: ``{{ value:ID }}``, ``{{ figure:ID }}``, ``{{ table:ID }}`` for
measured results, and ``{{ reported:ID }}`` for a number a paper reported (docs/reported.yml).

An ID is ``experiment.key``, optionally followed by ``@profile`` to pin a profile (``@cpu``) and, for
values, by ``:spec`` to override the number's format (``{{ value:serial_depth.loop_ns_per_step:.1f }}``).
References inside fenced code, inline code and math are left alone, so pages can show the syntax and
math never collides with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from gen.render.ids import KEY, RESULT_ID
from site_src.markdown_lines import LineError, scan

KINDS = ("value", "figure", "table", "reported")
RESULT_KINDS = ("value", "figure", "table")  # those that come from a measurement; "reported" is cited
_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_]*)\s*:\s*([^{}]*?)\s*\}\}")
_REPORTED_ID = KEY  # an entry of docs/reported.yml
_ID = re.compile(rf"^{RESULT_ID}(?::(?P<spec>.+))?$")


class ReferenceSyntaxError(LineError):
    """A reference that cannot be understood; `line` is 1-based within the scanned text."""


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
    for line in scan(markdown):
        if line.masked is None:
            out.append(line.text)
            continue
        pieces, last = [], 0
        for match in _REFERENCE.finditer(line.masked):
            pieces.append(line.text[last:match.start()])
            pieces.append(replace(parse(match[1], match[2], line.number)))
            last = match.end()
        pieces.append(line.text[last:])
        out.append("".join(pieces))
    return "".join(out)


def find(markdown: str) -> list[Reference]:
    found: list[Reference] = []

    def collect(reference: Reference) -> str:
        found.append(reference)
        return ""

    substitute(markdown, collect)
    return found


