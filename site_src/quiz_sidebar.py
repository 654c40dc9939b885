"""Put mkdocs-quiz's progress box in the table-of-contents sidebar when the page is built.

mkdocs-quiz appends the box to the page's content, hidden, and its script moves it to the top of
Material's table of contents and shows it once the page has loaded; the table of contents then jumps
down by the box's height (about 150 px) on every lesson a reader opens on a wide screen. Placed there
already, shown, and with the page's quiz count filled in, it is drawn where it stays; the script finds
it in place and only updates the counts. Without JavaScript it stays hidden (site.css, `.no-js`), as
its counts would never change.
"""

from __future__ import annotations

import re

_BOX = re.compile(r'<div id="quiz-progress-sidebar"[^>]*?(?P<hidden> style="display: none;")[^>]*>.*?'
                  r'</ul>\s*</div>\n?', re.S)
# The secondary sidebar's own table of contents; quiz.js looks for the same element.
_TOC = re.compile(r'<div class="md-sidebar md-sidebar--secondary".*?<nav class="md-nav md-nav--secondary"[^>]*>',
                  re.S)
_TOTALS = re.compile(r'(<span class="quiz-progress(?:-score)?-total">)0(</span>)')


def place_progress_box(html: str, quizzes: int) -> str:
    """The page with the box moved into the table of contents; unchanged where either is missing."""
    box, toc = _BOX.search(html), _TOC.search(html)
    if box is None or toc is None or toc.end() > box.start():
        return html  # no box (no quiz, or placed already) or no table of contents (quiz.js leaves it hidden)
    shown = box[0].replace(box["hidden"], "", 1)
    shown = _TOTALS.sub(lambda m: f"{m[1]}{quizzes}{m[2]}", shown)
    without = html[:box.start()] + html[box.end():]
    return without[:toc.end()] + "\n" + shown + without[toc.end():]
