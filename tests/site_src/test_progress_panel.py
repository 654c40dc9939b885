"""The home page's course-progress panel, built with the page (site_src/progress_panel.py)."""

from __future__ import annotations

import re

from site_src.progress_panel import place_progress_panel

PAGE = ('<h2>Your progress</h2>\n<div id="course-progress">\n<p>Kept in this browser only.</p>\n</div>\n'
        "<h2>Next</h2>")
ROWS = [("lessons/a/", "lessons/a/", "Lesson <A>", 3), ("lessons/b/", "lessons/b/", "Lesson B", 4)]


def test_the_panel_has_a_row_per_page_at_zero_and_keeps_the_pages_sentence_for_readers_without_js() -> None:
    out = place_progress_panel(PAGE, ROWS, "en")
    rows = re.findall(r'<tr data-page="([^"]+)"><td><a href="([^"]+)">(.*?)</a></td><td>(.*?)</td><td>(.*?)</td>',
                      out)
    assert rows == [("lessons/a/", "lessons/a/", "Lesson &lt;A&gt;", "0 / 3", "0"),
                    ("lessons/b/", "lessons/b/", "Lesson B", "0 / 4", "0")]
    assert "<noscript><p>Kept in this browser only.</p></noscript>" in out
    assert "<p>The course has 7 quiz questions;" in out
    assert 'data-answered="You have answered {answered} of the course&#x27;s {total} quiz' in out
    assert out.endswith("</div>\n<h2>Next</h2>") and out.count("<div") == out.count("</div>")


def test_the_chinese_panel_has_chinese_words_and_a_page_without_a_panel_is_unchanged() -> None:
    out = place_progress_panel(PAGE, ROWS, "zh")
    assert "<th>课程</th><th>已答</th><th>答对</th>" in out and "本课程共有 7 道测验题" in out
    assert place_progress_panel("<p>no panel</p>", ROWS, "en") == "<p>no panel</p>"
