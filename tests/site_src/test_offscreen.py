"""Which blocks content-visibility may skip, and which get a wrapper for it (site_src/offscreen.py)."""

import re

from site_src.offscreen import (
    FIRST_RENDERED,
    LAST_RENDERED,
    SKIPPABLE,
    WRAPPER,
    mark_skippable_blocks,
    wrap_scroll_boxes,
)

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


def _skipped(html: str) -> list[str]:
    """The opening tags that carry the skippable class."""
    return [tag for tag in re.findall(r"<[a-z0-9]+[^>]*>", html) if SKIPPABLE in tag]


def test_only_the_middle_blocks_are_marked_and_never_a_heading_or_a_form() -> None:
    blocks = [f"<p>{index}<br><img src=x.svg alt=''></p>\n" for index in range(40)]
    blocks[25] = "<h2 id='x'>A heading</h2>\n"
    blocks[26] = '<div class="quiz"><p>Q</p><form><input type="radio"></form></div>\n'
    blocks[27] = "<form><input></form>\n"
    blocks[28] = '<div class="admonition note"><p>held</p></div>\n'
    marked = mark_skippable_blocks("".join(blocks))
    expected = set(range(FIRST_RENDERED, 40 - LAST_RENDERED)) - {25, 26, 27}
    assert _skipped(marked) == [f'<p class="{SKIPPABLE}">' if i != 28 else f'<div class="admonition note {SKIPPABLE}">'
                                for i in sorted(expected)]
    assert re.sub(rf'( class="{SKIPPABLE}"| {SKIPPABLE})', "", marked) == "".join(blocks)  # nothing else changes


def test_a_page_with_few_blocks_or_tags_that_do_not_balance_is_left_as_it_was() -> None:
    assert mark_skippable_blocks("<p>a</p>" * (FIRST_RENDERED + LAST_RENDERED)) == "<p>a</p>" * 28
    unbalanced = "<div>" + "<p>a</p>" * 40
    assert mark_skippable_blocks(unbalanced) == unbalanced


def test_self_closed_math_elements_and_nested_blocks_do_not_upset_the_count() -> None:
    block = '<div class="rva-block"><math><mspace width="1em"/><mi>x</mi></math><div><p>in</p></div></div>'
    marked = mark_skippable_blocks(block * 30)
    assert _skipped(marked) == [f'<div class="rva-block {SKIPPABLE}">'] * (30 - FIRST_RENDERED - LAST_RENDERED)
