"""A translated notebook's headings take its English notebook's anchors, one to one by position."""

from __future__ import annotations

import pytest
from mkdocs.structure.toc import get_toc

from site_src.notebook_headings import Heading, HeadingMismatch, borrow_anchors, english_headings

TRANSLATED = ('<h1 id="">练习<a class="anchor-link" href="#">¶</a></h1><p>正文</p>'
              '<h2 id="1">练习 1：<code>x</code><a class="anchor-link" href="#1">¶</a></h2>')
ENGLISH = [Heading(1, "exercises"), Heading(2, "exercise-1-x")]


def toc_of_translation():
    return get_toc([{"level": 1, "id": "_1", "name": "练习", "children": [
        {"level": 2, "id": "1", "name": "练习 1", "children": []}]}])


def test_each_heading_and_its_sidebar_entry_take_the_english_anchor_at_its_position():
    toc = toc_of_translation()
    html = borrow_anchors(TRANSLATED, toc, ENGLISH, "docs/exercises/x.zh.py")
    assert '<h1 id="exercises">练习<a class="anchor-link" href="#exercises">' in html
    assert '<h2 id="exercise-1-x">练习 1：<code>x</code><a class="anchor-link" href="#exercise-1-x">' in html
    assert "<p>正文</p>" in html
    assert [toc.items[0].url, toc.items[0].children[0].url] == ["#exercises", "#exercise-1-x"]


@pytest.mark.parametrize("english", [ENGLISH[:1], ENGLISH + [Heading(2, "extra")], [Heading(1, "a"), Heading(3, "b")]])
def test_a_heading_added_dropped_or_at_another_level_is_an_error_naming_the_file(english):
    with pytest.raises(HeadingMismatch, match=r"^docs/exercises/x\.zh\.py: its headings"):
        borrow_anchors(TRANSLATED, toc_of_translation(), english, "docs/exercises/x.zh.py")


def test_the_english_anchors_are_those_of_the_toc_extension(tmp_path):
    notebook = tmp_path / "n.py"
    notebook.write_text('# %% [markdown]\n# # Exercises: two ways\n#\n# Text.\n\n# %%\n# # not a heading\n'
                        'x = 1\n\n# %% [markdown]\n# ## Exercise 1: a, b\n', encoding="utf-8")
    assert english_headings(notebook) == [Heading(1, "exercises-two-ways"), Heading(2, "exercise-1-a-b")]
