"""Which KaTeX fonts a page's formulas select, read from KaTeX's stylesheet (site_src/math_fonts.py)."""

from __future__ import annotations

from site_src.math_fonts import font_rules, fonts_used

STYLESHEET = (
    "@font-face{font-family:KaTeX_Main;src:url(fonts/KaTeX_Main-Regular.woff2)}"
    ".katex{font:normal 1.21em KaTeX_Main,Times New Roman,serif;line-height:1.2}"
    ".katex .mathnormal{font-family:KaTeX_Math;font-style:italic}"
    ".katex .boldsymbol{font-family:KaTeX_Math;font-style:italic;font-weight:700}"
    ".katex .delimsizing.size1{font-family:KaTeX_Size1}"
    ".katex .delimsizing.mult .delim-size4>span{font-family:KaTeX_Size4}"
    ".katex .op-symbol.small-op,.katex .mathbb{font-family:KaTeX_AMS}"
    ".katex .vlist{display:table-cell}"
)
EVERY_FONT = {f"KaTeX_{name}.woff2" for name in (
    "Main-Regular", "Math-Italic", "Math-BoldItalic", "Size1-Regular", "Size4-Regular", "AMS-Regular")}


def test_each_rule_names_its_family_weight_and_style_and_a_selectors_last_classes() -> None:
    rules = set(font_rules(STYLESHEET))
    assert rules == {
        (frozenset({"katex"}), "KaTeX_Main-Regular.woff2"),
        (frozenset({"mathnormal"}), "KaTeX_Math-Italic.woff2"),
        (frozenset({"boldsymbol"}), "KaTeX_Math-BoldItalic.woff2"),
        (frozenset({"delimsizing", "size1"}), "KaTeX_Size1-Regular.woff2"),
        (frozenset({"delim-size4"}), "KaTeX_Size4-Regular.woff2"),
        (frozenset({"op-symbol", "small-op"}), "KaTeX_AMS-Regular.woff2"),
        (frozenset({"mathbb"}), "KaTeX_AMS-Regular.woff2"),
    }


def test_a_font_is_used_only_where_one_element_has_all_of_its_classes() -> None:
    rules = font_rules(STYLESHEET)
    html = ('<span class="katex"><span class="mord mathnormal">x</span>'
            '<span class="delimsizing">(</span><span class="size1">)</span></span>')
    # .delimsizing and .size1 sit on different elements: Size1 is not selected
    assert fonts_used(html, rules, EVERY_FONT) == ["KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"]
    assert fonts_used('<span class="mopen delimsizing size1">(</span>', rules, EVERY_FONT) == [
        "KaTeX_Size1-Regular.woff2"]


def test_a_page_without_formulas_uses_no_font_and_a_missing_file_is_never_named() -> None:
    rules = font_rules(STYLESHEET)
    assert fonts_used('<p class="admonition">no math</p>', rules, EVERY_FONT) == []
    assert fonts_used('<span class="katex">x</span>', rules, set()) == []
