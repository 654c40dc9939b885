"""The catalog of figure and table words in another language (gen/render/translate.py)."""

from __future__ import annotations

import pytest

from gen.errors import GenError
from gen.render import translate
from gen.render.translate import Catalog, template_of

CATALOG = Catalog("zh", {"slope {} against {}": "斜率 {}，对照 {}", "Time (ms)": "时间（ms）",
                         "at $T = 2^{10}$, {}": "在 $T = 2^{10}$ 时为 {}"},
                  frozenset({"LSTM", "ms"}))


def test_a_number_becomes_a_placeholder_outside_math_only():
    assert template_of("slope 1.78 against 0.99") == ("slope {} against {}", ["1.78", "0.99"])
    assert template_of("at $T = 2^{10}$, 1,024 ms") == ("at $T = 2^{10}$, {}", ["1,024 ms"])
    assert template_of("from 23.1 µs to 1.50 s in 5 steps") == ("from {} to {} in {} steps", ["23.1 µs", "1.50 s", "5"])


def test_a_translation_gets_the_numbers_of_the_drawn_text_in_order():
    assert CATALOG.text("slope 1.78 against 0.99") == "斜率 1.78，对照 0.99"
    assert CATALOG.text("at $T = 2^{10}$, 1,024 ms") == "在 $T = 2^{10}$ 时为 1,024 ms"
    assert CATALOG.text("Time (ms)") == "时间（ms）"


def test_names_units_numbers_and_math_need_no_entry():
    assert CATALOG.text("LSTM") == "LSTM"
    assert CATALOG.text("12.5 ms") == "12.5 ms"
    assert CATALOG.text("$\\tilde h_t$") == "$\\tilde h_t$"
    assert not CATALOG.missing


def test_a_text_with_no_entry_is_not_guessed_and_is_listed():
    words = Catalog("zh", dict(CATALOG.texts), CATALOG.keep)
    assert words.text("LSTM time per step 3 ms") is None
    assert words.take_missing() == {"LSTM time per step {}"}
    assert words.missing == set()


@pytest.mark.parametrize(("text", "problem"), [
    ('texts:\n  "slope {}": "斜率"\n', "has 1 {} for numbers but its translation"),
    ('texts:\n  "slope {}": ""\n', "has no translation"),
    ('texts:\n  "a": [b\n', "not valid YAML"),
])
def test_a_broken_catalog_entry_is_an_error_naming_the_file(tmp_path, monkeypatch, text, problem):
    monkeypatch.setattr(translate, "CATALOGS", tmp_path)
    (tmp_path / "xx.yml").write_text(text, encoding="utf-8")
    translate._load.cache_clear()
    try:
        with pytest.raises(GenError, match="xx.yml") as raised:
            translate.catalog("xx")
        assert problem in str(raised.value)
    finally:
        translate._load.cache_clear()


def test_a_text_of_several_sentences_is_translated_sentence_by_sentence_where_it_has_no_entry():
    words = Catalog("zh", {"Time (ms)": "时间（ms）", "The loop wins at {} steps.": "循环在 {} 步时胜出。",
                           "Both agree.": "两者一致。"}, frozenset())
    assert words.text("The loop wins at 12 steps. Both agree.") == "循环在 12 步时胜出。两者一致。"
    # one sentence missing: nothing is guessed, and what is listed is that sentence, not the whole text
    assert words.text("The loop wins at 12 steps. Neither agrees.") is None
    assert words.take_missing() == {"Neither agrees."}


def _figure_with_word_ticks():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    fig, ax = plt.subplots()
    ax.imshow([[0, 1], [1, 0]])
    ax.set_xticks([0, 1], labels=["key 1", "key 2"])  # a FixedFormatter: its texts exist only once drawn
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"round {y:.0f}"))
    ax.set_yticks([0, 1])
    return fig, ax


def test_tick_labels_written_when_a_figure_is_drawn_are_translated():
    words = Catalog("zh", {"key {}": "键 {}", "round {}": "第 {} 轮"}, frozenset())
    fig, ax = _figure_with_word_ticks()
    assert translate.translate_drawn(fig, words)
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["键 1", "键 2"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["第 0 轮", "第 1 轮"]


def test_a_figure_whose_tick_labels_have_no_entry_is_not_translated():
    words = Catalog("zh", {"key {}": "键 {}"}, frozenset())
    fig, _ = _figure_with_word_ticks()
    assert not translate.translate_drawn(fig, words)
    assert words.take_missing() == {"round {}"}


def test_the_device_text_is_translated_around_the_device_names():
    from gen.render.build import _device_text, _device_translations

    words = Catalog("zh", {
        "{cpu} ({cores} cores, timed on {threads} thread)": "{cpu}（{cores} 核，计时用 {threads} 个线程）",
        "{device} (host CPU: {cpu})": "{device}（主机 CPU：{cpu}）"}, frozenset())
    cpu = {"device_kind": "cpu", "cpu": "AMD EPYC 7B13", "logical_cores": 2, "timing_threads": 1,
           "device_name": "AMD EPYC 7B13 (2 cores, timed on 1 thread)"}
    gpu = {"device_kind": "cuda", "cpu": "Intel Xeon 8480", "device_name": "NVIDIA H200"}
    assert _device_translations(cpu, {"zh": words}) == {"zh": "AMD EPYC 7B13（2 核，计时用 1 个线程）"}
    assert _device_translations(gpu, {"zh": words}) == {"zh": "NVIDIA H200（主机 CPU：Intel Xeon 8480）"}
    # with no entry the English text stands, as a figure's would
    assert _device_translations(cpu, {"zh": Catalog("zh", {}, frozenset())}) == {"zh": _device_text(cpu)}
