"""MkDocs hook: check every quiz before mkdocs-quiz renders it, and publish how many quizzes each
page has (assets/site/quizzes.json), which the course-progress script needs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

# MkDocs imports hooks by file path; make the repository's packages importable however it was started.
_REPO = Path(__file__).resolve().parents[2]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from site_src.pages import front_matter_lines, source_path  # noqa: E402
from site_src.quizzes import QuizError, escape_quiz_text, parse_quizzes  # noqa: E402

QUIZ_INDEX = "assets/site/quizzes.json"
_counts: dict[str, int] = {}


def on_config(config: MkDocsConfig) -> None:
    _counts.clear()  # `mkdocs serve` rebuilds in the same process


@event_priority(110)  # before the results hook and mkdocs-quiz: the lines are still the page's own
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        quizzes = parse_quizzes(markdown)
    except QuizError as err:
        line = err.line + front_matter_lines(page, markdown)
        raise PluginError(f"{source_path(page, config)}:{line}: {err}") from None
    if quizzes:
        _counts[page.url] = len(quizzes)
    return escape_quiz_text(markdown, quizzes)


def on_post_build(config: MkDocsConfig) -> None:
    target = Path(config.site_dir) / QUIZ_INDEX
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(dict(sorted(_counts.items())), indent=1) + "\n", encoding="utf-8")
