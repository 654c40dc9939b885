"""The 'Measure it on your device' panels' markup (site_src/panels.py) in each language the site is built in."""

from __future__ import annotations

import re
from html import escape

import pytest

from site_src.panels import PANELS, Panel, panel_html

CJK = re.compile(r"[\u4e00-\u9fff]")
# The English panel as the build wrote it before the panels spoke Chinese, which must not change.
ENGLISH_SERIAL_DEPTH = (
    '<section class="rva-panel" data-panel="serial_depth" data-base="../../assets/site/panels/" '
    'data-wgsl="../../assets/site/panels/serial_depth.wgsl" data-build-data="../../data/cpu/serial_depth.json" '
    'data-build-device="cpu dev" data-repo="https://github.com/a/b" aria-labelledby="panel-serial_depth">'
    '<h3 id="panel-serial_depth">Measure it on your device: serial depth on your GPU</h3>'
    "<p>Does a chain of dependent steps cost time in proportion to its length on your GPU, while a parallel scan "
    "does not? Three ways of computing the same recurrence, over T from 64 to 65,536. It runs in this page, on "
    "your hardware, in a few seconds; nothing is sent anywhere. Every kernel's output is checked against the same "
    "computation in JavaScript before its time counts.</p>"
    '<p class="rva-panel__controls">'
    '<button type="button" class="md-button md-button--primary" data-role="start">Start measuring</button> '
    '<button type="button" class="md-button" data-role="stop" hidden>Stop</button> '
    '<progress data-role="progress" value="0" max="1" aria-label="Progress of the measurement"></progress></p>'
    '<p class="rva-panel__status" data-role="status" role="status" aria-live="polite"></p>'
    '<p class="rva-panel__fallback" data-role="fallback" hidden></p><div data-role="results"></div></section>'
)
ENGLISH_WORDS = ("Measure it on your device", "It runs in this page", "nothing is sent anywhere", "Start measuring",
                 ">Stop<", "Progress of the measurement")


def html(panel_id: str, language: str) -> str:
    return panel_html(panel_id, language, "../../assets/site/panels/", f"../../data/cpu/{panel_id}.json", "cpu dev",
                      "https://github.com/a/b")


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_the_english_panel_is_what_it_was():
    assert html("serial_depth", "en").split("<script", 1)[0] == ENGLISH_SERIAL_DEPTH


@pytest.mark.parametrize("panel_id", PANELS)
def test_a_panel_on_a_chinese_page_has_its_title_question_and_buttons_in_chinese(panel_id: str):
    markup = html(panel_id, "zh")
    title = between(markup, f'<h3 id="panel-{panel_id}">', "</h3>")
    intro = between(markup, "</h3><p>", "</p>")
    start = between(markup, 'data-role="start">', "</button>")
    stop = between(markup, 'data-role="stop" hidden>', "</button>")
    progress = between(markup, 'aria-label="', '"></progress>')
    assert title == escape(PANELS[panel_id].title["zh"]) and title.startswith("在你的设备上测量")
    assert intro.startswith(escape(PANELS[panel_id].question["zh"]))
    assert (start, stop) == ("开始测量", "停止")
    for text in (title, intro, start, stop, progress):
        assert CJK.search(text), text
    assert not [words for words in ENGLISH_WORDS if words in markup]
    assert PANELS[panel_id].question["en"] not in markup


@pytest.mark.parametrize("panel_id", PANELS)
def test_a_panel_is_the_same_panel_in_both_languages_apart_from_its_words(panel_id: str):
    english, chinese = html(panel_id, "en"), html(panel_id, "zh")
    tags = re.compile(r"<[^>]*?(?= aria-label=|>)")  # each tag up to its text-bearing attribute
    assert tags.findall(english) == tags.findall(chinese)
    assert english.split("</section>", 1)[1] == chinese.split("</section>", 1)[1]  # the same loader


def test_a_panel_missing_a_language_is_rejected_when_it_is_declared():
    with pytest.raises(ValueError, match="no zh title"):
        Panel({"en": "Measure it on your device: something"}, {"en": "A question?", "zh": "一个问题？"}, "x")
