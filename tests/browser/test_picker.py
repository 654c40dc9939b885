"""The architecture picker's form in real Chromium (site_src/assets/picker.js) against the command line.

The page evaluates gen/picker/rules.yaml in JavaScript; `python -m gen pick --json` evaluates it in
Python. On every worked example, and on a problem typed into the form, both must show the same family,
deciding constraint, strategy, training FLOPs, memory, latency, failure mode and caveats, and the same
unformatted numbers to the last bit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from gen.picker.engine import load_rules, pick
from gen.picker.examples import load_examples
from tests.browser.pages import bring_into_view
from tests.conftest import REPO

LESSON = "lessons/06-choosing-an-architecture/"
EXAMPLES = load_examples()
NUMBERS = {"training": ("flops_per_token", "train_flops"), "memory": ("state_bytes", "memory_b1"),
           "latency": ("decode_ms",)}


def command_line(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "gen", "pick", *args, "--json"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def shown(answer: Locator) -> dict[str, Any]:
    """What an answer <dl> shows: its texts, list items, and the numbers in its data attributes."""
    bring_into_view(answer)
    def text(field: str) -> str:
        return answer.locator(f"[data-field='{field}']").inner_text().strip()

    def items(field: str) -> list[str]:
        found = answer.locator(f"[data-field='{field}'] li")
        return [item.strip() for item in found.all_inner_texts()]

    numbers = {}
    for field, names in NUMBERS.items():
        element = answer.locator(f"[data-field='{field}']")
        for name in names:
            numbers[name] = float(element.get_attribute(f"data-{name.replace('_', '-')}"))
    return {"family_name": text("family_name"), "constraint": text("constraint"), "strategy": items("strategy"),
            "training": text("training"), "memory": text("memory"), "latency": text("latency"),
            "failure_mode": text("failure_mode"), "caveats": items("caveats"), "shape": text("shape"),
            "numbers": numbers}


def expected(answer: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """The same view of the command line's JSON (or the engine's answer in `language`)."""
    failure = answer["failure_mode"]
    cited = load_rules(language=language)["words"]["cited"].format(text=failure["text"], cite=failure["cite"])
    return {"family_name": answer["family_name"], "constraint": answer["constraint"],
            "strategy": answer["strategy"], "training": answer["training"], "memory": answer["memory"],
            "latency": answer["latency"], "failure_mode": cited,
            "caveats": [c["text"] for c in answer["caveats"]], "shape": answer["shape"],
            "numbers": {name: answer["quantities"][name] for names in NUMBERS.values() for name in names}}


def form_answer(page: Page) -> Locator:
    output = page.locator("#picker-answer")
    expect(output).to_have_attribute("data-state", "answer")
    return output.locator("dl")


@pytest.fixture
def lesson(page: Page, site_url: str) -> Page:
    page.goto(site_url + LESSON)
    return page


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_form_and_the_command_line_agree_on_each_worked_example(lesson: Page, example: str):
    lesson.select_option("#picker-example", example)
    assert shown(form_answer(lesson)) == expected(command_line("--example", example))


def test_the_form_and_the_command_line_agree_on_a_problem_typed_into_the_form(lesson: Page):
    lesson.fill("#picker-seq_len", "300000")
    lesson.fill("#picker-batch", "4")
    lesson.fill("#picker-params", "3e9")
    lesson.fill("#picker-training_tokens", "2e12")
    lesson.fill("#picker-latency_ms", "15")
    lesson.check("#picker-recall")
    lesson.check("#picker-production")
    lesson.get_by_role("button", name="Pick an architecture").click()
    cli = command_line("--seq-len", "300000", "--batch", "4", "--params", "3e9", "--training-tokens", "2e12",
                       "--latency-ms", "15", "--recall", "--production")
    assert shown(form_answer(lesson)) == expected(cli)


@pytest.mark.parametrize("example", ["chat_assistant", "long_document_qa", "streaming_transcription"])
def test_a_worked_example_printed_in_the_lesson_matches_the_command_line(lesson: Page, example: str):
    block = lesson.locator(f"#pick-{example}")
    assert shown(block.locator("dl")) == expected(command_line("--example", example))


@pytest.mark.parametrize("example", ["chat_assistant", "streaming_meeting_assistant"])
def test_the_chinese_form_answers_in_chinese_exactly_as_the_engine_does(page: Page, site_url: str, example: str):
    page.goto(site_url + "zh/" + LESSON)
    page.select_option("#picker-example", example)
    rules = load_rules(language="zh")
    engine = json.loads(json.dumps(pick(EXAMPLES[example]["problem"], rules).to_dict()))
    assert shown(form_answer(page)) == expected(engine, "zh")
    expect(page.locator("#picker-answer dt").first).to_have_text(rules["words"]["family_name"])
    expect(page.get_by_role("button", name=rules["words"]["submit"])).to_have_count(1)


def test_a_bad_value_is_announced_in_the_live_region_instead_of_an_answer(lesson: Page):
    lesson.fill("#picker-seq_len", "0")
    lesson.get_by_role("button", name="Pick an architecture").click()
    output = lesson.locator("#picker-answer")
    expect(output).to_have_attribute("aria-live", "polite")
    expect(output).to_have_attribute("data-state", "error")
    expect(output).to_contain_text("Maximum sequence length: must be at least 1")


def test_every_input_has_a_label_and_a_description(lesson: Page):
    inputs = lesson.locator(".rva-pick form input")
    assert inputs.count() > 0
    for index in range(inputs.count()):
        field = inputs.nth(index)
        ident = field.get_attribute("id")
        assert lesson.locator(f"label[for='{ident}']").count() == 1, ident
        assert lesson.locator(f"#{field.get_attribute('aria-describedby')}").count() == 1, ident


def test_the_form_works_when_the_lesson_is_reached_from_another_page(page: Page, site_url: str):
    page.goto(site_url + "lessons/05-recurrence-returns/")
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Choosing an architecture").first.click()
    expect(page).to_have_url(site_url + LESSON)
    page.select_option("#picker-example", "genome_classifier")
    assert shown(form_answer(page))["family_name"] == expected(
        command_line("--example", "genome_classifier"))["family_name"]


def test_a_bad_value_on_the_chinese_page_is_announced_in_chinese(page: Page, site_url: str):
    page.goto(site_url + "zh/" + LESSON)
    rules = load_rules(language="zh")
    page.fill("#picker-seq_len", "0")
    page.get_by_role("button", name=rules["words"]["submit"]).click()
    output = page.locator("#picker-answer")
    expect(output).to_have_attribute("data-state", "error")
    label = next(spec["label"] for spec in rules["inputs"] if spec["name"] == "seq_len")
    expect(output).to_contain_text(rules["words"]["below_min"].replace("{field}", label).replace("{limit}", "1"))
    expect(output).not_to_contain_text("must be")
