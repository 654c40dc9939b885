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
