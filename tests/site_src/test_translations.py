"""Translations record the English page they translate, and say when it has changed since."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jupytext
import pytest

from site_src.hooks import translations as hook
from site_src.translations import (
    TranslationError,
    english_runs,
    read,
    report,
    source_hash,
    source_of,
    stamp,
    translations,
)
from tests.conftest import REPO

DOCS = REPO / "docs"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_translation_names_the_english_page_beside_it():
    assert source_of(Path("docs/lessons/01-two-ways.zh.md")) == Path("docs/lessons/01-two-ways.md")
    assert source_of(Path("docs/exercises/01-two-ways.zh.py")) == Path("docs/exercises/01-two-ways.py")
    assert source_of(Path("docs/index.md")) == Path("docs/index.md")


def test_a_stamped_translation_is_current_until_its_english_page_changes(tmp_path):
    english = write(tmp_path / "page.md", "---\ntitle: Page\n---\n\n# Page\n\nText.\n")
    chinese = write(tmp_path / "page.zh.md", "---\ntitle: 页面\n---\n\n# 页面\n\n正文。\n")
    stamp(chinese)
    assert f"translation_of: {source_hash(english)}" in chinese.read_text(encoding="utf-8")
    assert not read(chinese).outdated

    english.write_text(english.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    assert read(chinese).outdated
    assert "page.zh.md" in report(tmp_path)

    stamp(chinese)  # after bringing it up to date: the record is replaced, not added twice
    assert not read(chinese).outdated
    assert chinese.read_text(encoding="utf-8").count("translation_of:") == 1


def test_a_translation_without_a_record_stops_with_its_file_line_and_the_command_that_fixes_it(tmp_path):
    write(tmp_path / "page.md", "# Page\n")
    chinese = write(tmp_path / "page.zh.md", "---\ntitle: 页面\n---\n\n# 页面\n")
    with pytest.raises(TranslationError, match=r"page\.zh\.md:1: .*python -m site_src\.translations stamp"):
        read(chinese)


def test_a_translation_of_a_page_that_does_not_exist_is_an_error(tmp_path):
    chinese = write(tmp_path / "gone.zh.md", "---\ntranslation_of: 000000000000\n---\n")
    with pytest.raises(TranslationError, match="does not exist"):
        read(chinese)


def test_a_notebooks_record_sits_in_its_jupytext_header_and_the_notebook_still_reads(tmp_path):
    english = DOCS / "exercises" / "01-two-ways.py"
    write(tmp_path / "exercises" / "01-two-ways.py", english.read_text(encoding="utf-8"))
    chinese = write(tmp_path / "exercises" / "01-two-ways.zh.py", english.read_text(encoding="utf-8"))
    stamp(chinese)
    assert not read(chinese).outdated
    original = jupytext.reads(english.read_text(encoding="utf-8"), fmt="py:percent")
    translated = jupytext.reads(chinese.read_text(encoding="utf-8"), fmt="py:percent")
    assert [cell.source for cell in translated.cells] == [cell.source for cell in original.cells]


def test_the_report_lists_pages_not_yet_translated(tmp_path):
    write(tmp_path / "done.md", "# Done\n")
    stamp(write(tmp_path / "done.zh.md", "# 完成\n"))
    write(tmp_path / "todo.md", "# To do\n")
    text = report(tmp_path)
    assert "todo.md" in text and "done.md" not in text.replace("done.zh.md", "")


def test_every_translation_in_the_repository_records_its_english_page():
    for translation in translations(DOCS):  # raises at the first one without a valid record
        assert translation.source.exists()


def zh_config() -> SimpleNamespace:
    return SimpleNamespace(theme={"language": "zh"})


def zh_page(path: Path, url: str, locale: str = "zh") -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(abs_src_path=str(path), locale=locale), url=url)


def test_an_outdated_translation_says_so_under_its_title_with_a_link_to_the_english_page(tmp_path):
    english = write(tmp_path / "lessons" / "x.md", "# X\n\nText.\n")
    chinese = write(tmp_path / "lessons" / "x.zh.md", "# 甲\n\n正文。\n")
    stamp(chinese)
    markdown = "# 甲\n\n正文。\n"
    page = zh_page(chinese, "zh/lessons/x/")
    assert hook.on_page_markdown(markdown, page, zh_config(), None) == markdown  # current: no notice

    english.write_text("# X\n\nNew text.\n", encoding="utf-8")
    shown = hook.on_page_markdown(markdown, page, zh_config(), None)
    assert shown.startswith("# 甲\n")
    assert "rva-translation-notice" in shown and "(../../../lessons/x/)" in shown


def test_an_english_page_shown_in_the_chinese_edition_says_it_is_not_translated_yet(tmp_path):
    english = write(tmp_path / "x.md", "# X\n")
    shown = hook.on_page_markdown("# X\n\nText.\n", zh_page(english, "zh/x/", locale="en"), zh_config(), None)
    assert "本页尚未译成中文" in shown


def test_english_left_in_chinese_prose_is_found_but_names_code_math_and_titles_are_not():
    page = ("---\ntitle: 标题\nkey_terms: [hidden state, serial depth, path length]\n---\n\n"
            "# 标题\n\n"
            "使用 KV cache 的 FlashAttention-2 kernel，见 [Vaswani et al. 2017](../references.md#vaswani2017)。\n"
            "论文 “Lost in the Middle: How Language Models Use Long Contexts” 和 *Neural Computation and Things*。\n"
            "代码 `for step in range(the_length)` 与公式 $h_t = a h_{t-1} + b x_t$ 照旧。\n"
            "但这一句 the model keeps every state 没有翻译。\n")
    assert english_runs(page) == [(11, "the model keeps every state")]


@pytest.mark.parametrize("translation", [t.path for t in translations(DOCS) if t.path.suffix == ".md"],
                         ids=lambda path: path.relative_to(DOCS).as_posix())
def test_a_chinese_page_leaves_no_english_prose_untranslated(translation: Path):
    runs = english_runs(translation.read_text(encoding="utf-8"))
    assert not runs, "\n".join(f"{translation.relative_to(REPO)}:{line}: {text!r}" for line, text in runs)
