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


def test_a_break_next_to_full_width_punctuation_goes_whatever_is_on_its_other_side():
    joined = join_wide_lines("<p>这一趋势：\n63 步之内，\nMamba-2 更快\n（见下文）。</p>")
    assert joined == "<p>这一趋势：63 步之内，Mamba-2 更快（见下文）。</p>"
    assert join_wide_lines("<p>一个 LSTM\n层</p>") == "<p>一个 LSTM\n层</p>"  # Latin then Chinese: the space stays
