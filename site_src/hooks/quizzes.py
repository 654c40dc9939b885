"""MkDocs hook: check every quiz before mkdocs-quiz renders it, and publish how many quizzes each
page has (assets/site/quizzes.json, and zh/assets/site/quizzes.json for the Chinese pages), which the
course-progress script needs: each language's progress counts its own pages.

mkdocs-quiz appends its stylesheet, its script and a progress sidebar to every page. A page without a
quiz gets none of them here; a page with quizzes refers to the script as a file, and the stylesheet is
part of the site's own (both served by site_src/hooks/assets.py), so neither is downloaded twice."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs_quiz import plugin as mkdocs_quiz

from site_src.hooks.assets import QUIZ_SCRIPT
from site_src.language import build_language, language_prefix
from site_src.pages import front_matter_lines, source_path
from site_src.progress_panel import place_progress_panel
from site_src.quiz_sidebar import place_progress_box
from site_src.quizzes import QuizError, escape_quiz_text, parse_quizzes

QUIZ_INDEX = "assets/site/quizzes.json"
_SIDEBAR = '<div id="quiz-progress-sidebar"'  # the first thing mkdocs-quiz appends to a page under Material
_counts: dict[str, int] = {}
_titles: dict[str, str] = {}  # the same pages' titles, for the home page's progress panel


def on_config(config: MkDocsConfig) -> None:
    _counts.clear()
    _titles.clear()  # each language is a build of its own; `mkdocs serve` rebuilds in the same process


@event_priority(110)  # before the results hook and mkdocs-quiz: the lines are still the page's own
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        quizzes = parse_quizzes(markdown)
    except QuizError as err:
        line = err.line + front_matter_lines(page, markdown)
        raise PluginError(f"{source_path(page, config)}:{line}: {err}") from None
    if quizzes:
        _counts[_count_key(page, config)] = len(quizzes)
    return escape_quiz_text(markdown, quizzes)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Runs after mkdocs-quiz's own on_page_content (hooks come after plugins)."""
    style, script = mkdocs_quiz.style, mkdocs_quiz.js_script
    appended = html.rfind(_SIDEBAR)
    if appended < 0:  # only Material gets the sidebar; the appended part then starts with the stylesheet
        appended = html.rfind(style)
    if appended < 0 or style not in html[appended:] or script not in html[appended:]:
        raise PluginError(f"{source_path(page, config)}: mkdocs-quiz did not append its sidebar, stylesheet "
                          "and script as site_src/hooks/quizzes.py expects; has mkdocs-quiz changed? "
                          "Update on_page_content there to match it.")
    if 'class="quiz"' not in html[:appended]:
        return html[:appended]
    _titles[_count_key(page, config)] = page.title or page.url
    if files.get_file_from_path(QUIZ_SCRIPT) is None:
        raise PluginError(f"{source_path(page, config)} has a quiz, but no hook serves {QUIZ_SCRIPT}: "
                          "add site_src/hooks/assets.py to the hooks in mkdocs.yml.")
    tail = html[appended:].replace(style, "").replace(
        script, f'<script src="{get_relative_url(QUIZ_SCRIPT, page.url)}" defer></script>')
    return html[:appended] + tail


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Runs once every page's content is known (MkDocs renders templates after reading all pages)."""
    quizzes = _counts.get(_count_key(page, config))
    if quizzes:
        output = place_progress_box(output, quizzes)
    language = build_language(config)
    rows = [(key, get_relative_url(language_prefix(language) + key, page.url), _titles.get(key, key), count)
            for key, count in sorted(_counts.items())]
    return place_progress_panel(output, rows, language)


def _count_key(page: Page, config: MkDocsConfig) -> str:
    """A page's address below its language's root, where progress.js resolves it."""
    return page.url.removeprefix(language_prefix(build_language(config)))


def on_post_build(config: MkDocsConfig) -> None:
    target = Path(config.site_dir) / language_prefix(build_language(config)) / QUIZ_INDEX
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(dict(sorted(_counts.items())), indent=1) + "\n", encoding="utf-8")
