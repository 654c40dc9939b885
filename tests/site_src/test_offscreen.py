"""Which blocks get the wrapper that content-visibility may skip (site_src/offscreen.py)."""

from site_src.offscreen import WRAPPER, wrap_scroll_boxes

FORMULA = '<div class="arithmatex"><span class="katex-display"><span class="katex">x</span></span></div>'


def test_display_formulas_and_tables_are_wrapped_and_nothing_else() -> None:
    html = (f'<p>a <span class="arithmatex">y</span></p>{FORMULA}'
            '<table>\n<tr><td>1</td></tr>\n</table><table style="width: 50%"><tr><td>2</td></tr></table>'
            '<table class="highlighttable"><tr><td>3</td></tr></table>')
    wrapped = wrap_scroll_boxes(html)
    assert wrapped.count(f'<div class="{WRAPPER}">') == 3
    assert f'<div class="{WRAPPER}">{FORMULA}</div>' in wrapped
    assert f'<div class="{WRAPPER}"><table>\n<tr><td>1</td></tr>\n</table></div>' in wrapped
    assert f'<div class="{WRAPPER}"><table style="width: 50%">' in wrapped
    assert '<p>a <span class="arithmatex">y</span></p>' in wrapped  # inline math stays inline
    assert f'<div class="{WRAPPER}"><table class="highlighttable">' not in wrapped


def test_two_formulas_in_a_row_are_wrapped_one_by_one() -> None:
    wrapped = wrap_scroll_boxes(FORMULA + FORMULA)
    assert wrapped == f'<div class="{WRAPPER}">{FORMULA}</div>' * 2
