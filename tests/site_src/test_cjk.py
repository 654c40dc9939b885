"""Line breaks inside Chinese sentences are taken out of the HTML; code keeps its lines."""

from __future__ import annotations

from site_src.cjk import join_wide_lines


def test_a_break_between_two_chinese_characters_goes_and_one_next_to_latin_text_stays():
    assert join_wide_lines("<p>每道练习都有一项任务、\n一个代码单元，\n以及 GPU\n上的测量</p>") == \
        "<p>每道练习都有一项任务、一个代码单元，以及 GPU\n上的测量</p>"


def test_code_keeps_its_lines():
    code = '<pre><code>"""开销\n就与调用"""</code></pre>'
    assert join_wide_lines(f"<p>前\n后</p>{code}<p>甲\n乙</p>") == f"<p>前后</p>{code}<p>甲乙</p>"


def test_english_text_is_unchanged():
    text = "<p>one line\nand another</p>"
    assert join_wide_lines(text) == text
