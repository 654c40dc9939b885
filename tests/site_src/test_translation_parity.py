"""Each translated page shows what its English page shows: the same measured values, figures, tables
and cited numbers (by id, so never a number of its own), the same guards on its interpretive
sentences, the same markers, the same section anchors, and the same quizzes with the same right answers.

Every number on the site is a reference to measured data; a translation that drops one, or types one,
drifts from the measurements. This compares the source of each pair of pages. A translation that is
outdated (site_src/translations.py) may legitimately differ until it is brought up to date, so it is
compared only while it is current.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import markdown
import pytest

from site_src.guards import guards
from site_src.markdown_lines import scan
from site_src.quizzes import parse_quizzes
from site_src.references import find
from site_src.translations import translations
from tests.conftest import REPO

DOCS = REPO / "docs"
CURRENT = [t for t in translations(DOCS) if t.path.suffix == ".md" and not t.outdated]
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HEADING = re.compile(r"^#{2,6} ")


def heading_ids(text: str) -> list[str]:
    """The anchors of a page's section headings, as MkDocs's toc extension gives them. A Chinese
    heading keeps its English page's anchor with `{ #id }`, so links into a section work in both."""
    headings = [line.text.strip() for line in scan(text) if line.masked is not None and _HEADING.match(line.text)]
    md = markdown.Markdown(extensions=["toc", "attr_list"])
    md.convert("\n\n".join(headings))

    def flat(tokens):
        return [id_ for token in tokens for id_ in (token["id"], *flat(token["children"]))]
    return flat(md.toc_tokens)


def shown(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    return {
        "references": Counter((ref.kind, ref.experiment, ref.key, ref.spec) for ref in find(text)),
        "guards": Counter(guard.text for guard in guards(text)),
        "markers": Counter(comment for comment in _COMMENT.findall(text) if not comment.startswith("<!-- holds:")),
        "section anchors": heading_ids(text),
        "quiz answers": [quiz.correct_positions for quiz in parse_quizzes(text)],
        "choices per quiz": [len(quiz.choices) for quiz in parse_quizzes(text)],
    }


@pytest.mark.parametrize("translation", CURRENT, ids=lambda t: t.path.relative_to(DOCS).as_posix())
def test_a_current_translation_shows_the_same_results_guards_markers_and_quiz_answers(translation):
    english, translated = shown(translation.source), shown(translation.path)
    for what in english:
        assert translated[what] == english[what], (
            f"{translation.path.relative_to(REPO)} differs from {translation.source.relative_to(REPO)} in its {what}")


def test_the_comparison_notices_a_dropped_value(tmp_path):
    english = tmp_path / "page.md"
    english.write_text("# P\n\nThe loop takes {{ value:serial_depth.loop }} per step.\n", encoding="utf-8")
    chinese = tmp_path / "page.zh.md"
    chinese.write_text("# 页\n\n循环每步约需 25 ns。\n", encoding="utf-8")
    assert shown(chinese)["references"] != shown(english)["references"]
