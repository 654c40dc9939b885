"""The picker's Chinese texts (rules.yaml's translations, examples.yaml's zh) are complete, hold the
same placeholders as the English, and change only the words of an answer, never its numbers."""

from __future__ import annotations

import pytest

import gen.picker.rules_file as rules_file
from gen.errors import GenError
from gen.picker.engine import load_rules, pick
from gen.picker.examples import load_examples
from gen.picker.translations import localized, localized_examples, missing, texts


def raw_rules() -> dict:
    return rules_file._load(str(rules_file.RULES_PATH), rules_file.RULES_PATH.stat().st_mtime_ns)


def test_every_text_the_picker_shows_has_a_chinese_translation():
    assert missing(raw_rules(), "zh") == []
    assert len(texts(raw_rules())) > 50


def test_every_worked_example_has_a_chinese_title_and_story():
    for key, example in localized_examples(load_examples(), "zh").items():
        assert example["title"] != load_examples()[key]["title"], key


def test_a_translation_that_drops_a_placeholder_is_rejected():
    rules = dict(raw_rules())
    rules["translations"] = {"zh": {"report.latency": "每个词元约需 {decode_ms}。"}}
    with pytest.raises(GenError, match="same {placeholders}"):
        localized(rules, "zh", "rules.yaml")


def test_a_translation_of_a_text_that_does_not_exist_is_rejected():
    rules = dict(raw_rules())
    rules["translations"] = {"zh": {"families.transformer.nickname": "变形金刚"}}
    with pytest.raises(GenError, match="names no text"):
        localized(rules, "zh", "rules.yaml")


@pytest.mark.parametrize("example", sorted(load_examples()))
def test_the_chinese_answer_has_the_english_answers_family_and_numbers(example):
    problem = load_examples()[example]["problem"]
    english, chinese = pick(problem, load_rules()), pick(problem, load_rules(language="zh"))
    assert chinese.family == english.family and chinese.quantities == english.quantities
    assert chinese.family_name != english.family_name and any("\u4e00" <= ch <= "\u9fff" for ch in chinese.memory)
