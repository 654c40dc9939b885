"""mkdocs-quiz's progress box, placed in the table of contents at build time (site_src/quiz_sidebar.py)."""

from __future__ import annotations

from site_src.quiz_sidebar import place_progress_box

TOC = ('<div class="md-sidebar md-sidebar--secondary" data-md-type="toc">\n'
       '<nav class="md-nav md-nav--secondary" aria-label="Table of contents">\n'
       '<label class="md-nav__title" for="__toc">Table of contents</label></nav></div>\n')
BOX = ('<div id="quiz-progress-sidebar" aria-label="Quiz Progress" style="display: none;">\n'
       '  <ul class="md-nav__list"><li><div class="md-nav__link"><span class="md-ellipsis">Answered: '
       '<span class="quiz-progress-answered">0</span> / <span class="quiz-progress-total">0</span></span></div></li>\n'
       '  <li><div class="md-nav__link"><span class="md-ellipsis">Correct: <span class="quiz-progress-score">0</span>'
       ' / <span class="quiz-progress-score-total">0</span></span>\n<a href="#">Reset</a>\n</div></li>\n'
       '  </ul>\n</div>\n')
CONTENT = '<div class="md-content"><article><div class="quiz" id="quiz-0">q</div>\n' + BOX + '</article></div>'


def test_the_box_moves_to_the_top_of_the_table_of_contents_shown_and_counted() -> None:
    out = place_progress_box(TOC + CONTENT, 4)
    assert out.count('id="quiz-progress-sidebar"') == 1
    toc = out.index('<nav class="md-nav md-nav--secondary"')
    assert toc < out.index('id="quiz-progress-sidebar"') < out.index('for="__toc"') < out.index('class="md-content"')
    assert "display: none" not in out
    assert '"quiz-progress-total">4</span>' in out
    # the reader's own counts are the script's to fill in; the score line waits for a first answer
    assert '"quiz-progress-answered">0<' in out and '"quiz-progress-score-total">0<' in out
    assert out.count(" hidden>") == 1 and '<span class="md-ellipsis" hidden>Correct:' in out
    assert place_progress_box(out, 4) == out  # placed once


def test_a_page_without_a_table_of_contents_or_a_box_is_left_as_it_is() -> None:
    assert place_progress_box(CONTENT, 4) == CONTENT
    assert place_progress_box(TOC + CONTENT.replace(BOX, ""), 4) == TOC + CONTENT.replace(BOX, "")
