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
_TOTAL = '<span class="quiz-progress-total">0</span>'
# The score line reads "Correct: right / answered"; a11y.js hides it while nothing is answered. Hidden
# here already, it does not show for a moment and then vanish, moving the table of contents up a line.
_SCORE_LINE = re.compile(r'<span class="md-ellipsis">(?=(?:(?!</span>\s*</div>).)*?class="quiz-progress-score-total")',
                         re.S)


def place_progress_box(html: str, quizzes: int) -> str:
    """The page with the box moved into the table of contents; unchanged where either is missing."""
    box, toc = _BOX.search(html), _TOC.search(html)
    if box is None or toc is None or toc.end() > box.start():
        return html  # no box (no quiz, or placed already) or no table of contents (quiz.js leaves it hidden)
    shown = box[0].replace(box["hidden"], "", 1)
    shown = shown.replace(_TOTAL, _TOTAL.replace(">0<", f">{quizzes}<"))
    shown = _SCORE_LINE.sub('<span class="md-ellipsis" hidden>', shown, count=1)
    without = html[:box.start()] + html[box.end():]
    return without[:toc.end()] + "\n" + shown + without[toc.end():]
