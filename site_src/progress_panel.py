"""The home page's course-progress panel, built with the page: one row per page that has quizzes.

progress.js used to build the whole panel once the page had loaded, and the panel then grew from one
sentence to a table, pushing everything under it down the screen. Built here, with every count at
zero, it is drawn at its full size; progress.js only writes the reader's own counts into the cells and
the sentence. Without JavaScript the page's own sentence (in the Markdown, inside the panel's div) is
shown instead, as nothing could fill the counts in.
"""

from __future__ import annotations

import html
import re

from site_src.language import message

_PANEL = re.compile(r'(<div id="course-progress">)(?P<fallback>.*?)(</div>)', re.S)


def place_progress_panel(page_html: str, rows: list[tuple[str, str, str, int]], language: str) -> str:
    """`page_html` with its course-progress panel built; rows are (page, link, title, quizzes), in order,
    `page` being the page's address as quizzes.json has it.

    Unchanged when the page has no panel."""
    found = _PANEL.search(page_html)
    if found is None:
        return page_html
    total = sum(quizzes for *_, quizzes in rows)
    answered = message("progress_answered", language, answered="{answered}", total="{total}")
    none = message("progress_none", language, total="{total}")
    heads = "".join(f"<th>{html.escape(message(key, language))}</th>"
                    for key in ("progress_lesson", "progress_answered_column", "progress_correct_column"))
    body = "".join(f'<tr data-page="{html.escape(page)}"><td><a href="{html.escape(link)}">'
                   f"{html.escape(title)}</a></td><td>0 / {quizzes}</td><td>0</td></tr>"
                   for page, link, title, quizzes in rows)
    panel = (f'<div id="course-progress" data-answered="{html.escape(answered)}" data-none="{html.escape(none)}">'
             f'<noscript>{found["fallback"].strip()}</noscript>'
             f'<p>{html.escape(none.format(total=total))}</p>'
             f"<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>"
             f'<button type="button" class="md-button rva-progress-reset">'
             f'{html.escape(message("progress_reset", language))}</button></div>')
    return page_html[:found.start()] + panel + page_html[found.end():]
