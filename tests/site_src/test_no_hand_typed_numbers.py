"""Measured numbers in pages come from results, never typed by hand (STYLE.md, convention 7).

A measured time, memory size, speed or ratio typed as a literal goes stale the moment the experiment is
run again on another machine. This test looks for the usual shapes of such a literal in the prose of
the lessons, the home page, the reproduce page and the claims page: a number followed by a time unit
(ns, µs, ms, s), a binary memory unit (KiB, MiB, GiB, TiB), a FLOP rate, or a "×" attached to the
number ("4.9×"). Code, math, value references and quoted text (a source's own words) are not prose,
so they are skipped. Decimal units (GB, TB) are left out on purpose: on this site they name hardware
("an 80 GB accelerator") and quoted claims, while measured bytes are published as values.

A number that must stay literal, because it is a cited claim or a definition, goes in ALLOWED with the
reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_src.markdown_lines import scan
from site_src.translations import language_of, source_of
from tests.conftest import REPO

ENGLISH_PAGES = [REPO / "docs" / "index.md", REPO / "docs" / "reproduce.md", REPO / "docs" / "claims.md",
                 *(p for p in (REPO / "docs" / "lessons").glob("*.md") if language_of(p) == "en")]
# Their translations too: a Chinese page may not type a number its English page takes from the data.
PAGES = sorted([*ENGLISH_PAGES, *(t for p in ENGLISH_PAGES for t in p.parent.glob(f"{p.stem}.*.md"))])

_NUMBER = r"(?<![\w.,])\d[\d,]*(?:\.\d+)?(?:\s?[–-]\s?\d[\d,]*(?:\.\d+)?)?"
_UNIT = r"(?:ns|µs|us|ms|s|KiB|MiB|GiB|TiB|[kMGTP]?FLOP/s)"
_LITERAL = re.compile(rf"{_NUMBER}(?:[ \u00a0]?{_UNIT}(?![\w/])|×(?!\s*\d))")
_VALUE = re.compile(r"\{\{.*?\}\}")
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)

# (page, literal) -> why it may stay as typed
ALLOWED = {
    ("docs/lessons/03-three-limits.md", "5–10×"): "the source's speed-up claim that the section tests",
    ("docs/claims.md", "5–10×"): "the source's speed-up claim, quoted as the claim under test",
    ("docs/claims.md", "1 ms"): "the source's phone-latency claim, which the page marks unsupported",
    ("docs/lessons/04-memory-at-inference.md", "1 GiB"): "a unit conversion, not a measurement",
    ("docs/claims.md", "1 GiB"): "a unit conversion, not a measurement",
}


def hand_typed_numbers(markdown: str) -> list[tuple[int, str]]:
    """(line, literal) for every number-with-unit in the prose of a page; lines count from 1."""
    front = _FRONT_MATTER.match(markdown)
    skipped = front.group(0).count("\n") if front else 0
    body = markdown[front.end():] if front else markdown
    found = []
    for line in scan(body):
        number, masked = line.number, line.masked
        if masked is None:  # inside fenced code or a display-math block
            continue
        prose = _QUOTED.sub(" ", _VALUE.sub(" ", masked))
        found += [(number + skipped, match.group(0)) for match in _LITERAL.finditer(prose)]
    return found


# ---- the pages ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_a_page_quotes_measured_numbers_only_through_value_references(page: Path):
    where = page.relative_to(REPO).as_posix()
    allowed_as = source_of(page).relative_to(REPO).as_posix()  # a translation may keep its source's literals
    problems = [f"{where}:{line}: '{literal}' looks like a measured number typed by hand. Use "
                "{{ value:experiment.key }} (python -m gen --list shows the experiments), or add it to "
                "ALLOWED in this test with the reason it must stay literal."
                for line, literal in hand_typed_numbers(page.read_text(encoding="utf-8"))
                if (allowed_as, literal) not in ALLOWED]
    assert not problems, "\n".join(problems)


def test_every_allowed_literal_still_occurs_on_its_page():
    stale = [f"{page}: '{literal}'" for page, literal in ALLOWED
             if literal not in {found for _, found in hand_typed_numbers((REPO / page).read_text(encoding="utf-8"))}]
    assert not stale, "ALLOWED lists literals no page has any more; remove them:\n" + "\n".join(stale)


# ---- the finder itself -------------------------------------------------------------------------------

@pytest.mark.parametrize("planted", [
    "The loop costs 16.4 ns per step.",
    "A decode step took 50.5 ms at the longest cache.",
    "Each step of the loop costs 2.8 µs on this machine.",
    "The naive version peaks at 1,040 MiB.",
    "The cache needs 64 GiB at 128K tokens.",
    "The core reached 179 GFLOP/s.",
    "The loop is 5.6× slower than sum().",
    "The Transformer's step became 90× slower.",
])
def test_a_planted_measured_literal_is_found(planted: str):
    page = f"---\ntitle: Planted\n---\n\n# Planted\n\nSome prose.\n{planted}\n"
    assert [line for line, _ in hand_typed_numbers(page)] == [8]


@pytest.mark.parametrize("text", [
    "The loop is {{ value:serial_depth.loop_vs_sum_ratio_at_100k }} slower than sum().",
    "Run `python -m timeit -n 5 -s 3 ms` to time it.",
    "The cache holds $2 \\times 32 \\times 128 = 8192$ bytes, or $8\\ \\text{KiB}$.",
    "One source says Transformers train \"5–10× faster per epoch\".",
    "Each token adds 2 × 32 × 8 × 128 × 2 bytes.",
    "An 80 GB accelerator holds a 7B model and 16 layers.",
    "It took 3 rounds in 2017 and 99% of the runs.",
])
def test_values_code_math_quotes_and_plain_counts_are_not_flagged(text: str):
    assert hand_typed_numbers(f"# Page\n\n{text}\n") == []


def test_numbers_inside_fenced_code_and_display_math_are_not_flagged():
    page = "# Page\n\n```python\nprint('3.2 ms')\n```\n\n$$\nt = 4.1\\ \\text{ms}\n$$\n"
    assert hand_typed_numbers(page) == []
