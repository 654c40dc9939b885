"""Finding {{ value|figure|table:experiment.key }} references in Markdown, and leaving code and math alone."""

from __future__ import annotations

import pytest

from site_src.references import Reference, ReferenceSyntaxError, find, substitute


def ids(markdown: str) -> list[tuple[str, str, int]]:
    return [(r.kind, r.id, r.line) for r in find(markdown)]


def marked(markdown: str) -> str:
    return substitute(markdown, lambda r: f"<{r.kind} {r.id}>")


def test_values_figures_and_tables_are_found_with_their_line_numbers():
    page = (
        "# Title\n"
        "\n"
        "It is {{ value:serial_depth.loop_ns_per_step }} per step.\n"
        "{{ figure:serial_depth.time_vs_length }}\n"
        "\n"
        "{{table:serial_depth.timings}}\n"
    )
    assert ids(page) == [
        ("value", "serial_depth.loop_ns_per_step", 3),
        ("figure", "serial_depth.time_vs_length", 4),
        ("table", "serial_depth.timings", 6),
    ]


def test_two_references_on_one_line_are_both_replaced_and_the_text_between_kept():
    assert marked("a {{ value:e.x }} b {{ value:e.y }} c\n") == "a <value e.x> b <value e.y> c\n"


def test_text_without_references_comes_back_unchanged():
    page = "Plain text, a {brace} and {{ double braces }} without a kind.\n```\ncode\n```\n"
    assert marked(page) == page


def test_a_pinned_profile_is_parsed():
    (ref,) = find("{{ figure:serial_depth.time_vs_length@cpu }}")
    assert (ref.experiment, ref.key, ref.profile, ref.spec) == ("serial_depth", "time_vs_length", "cpu", None)


def test_a_value_format_spec_is_parsed():
    (ref,) = find("{{ value:serial_depth.loop_ns_per_step:.1f }}")
    assert ref == Reference("value", "serial_depth", "loop_ns_per_step", None, ".1f", 1)


def test_a_value_with_profile_and_format_spec_is_parsed():
    (ref,) = find("{{ value:serial_depth.ratio@gpu:,.0f }}")
    assert (ref.profile, ref.spec) == ("gpu", ",.0f")


# Code and math are left alone ------------------------------------------------------------------------


@pytest.mark.parametrize("page", [
    "```\n{{ value:e.inside }}\n```\n",
    "```markdown\n{{ value:e.inside }}\n```\n",
    "~~~\n{{ value:e.inside }}\n~~~\n",
    "  ```\n  {{ value:e.inside }}\n  ```\n",
    "````\n```\n{{ value:e.inside }}\n```\n{{ value:e.inside }}\n````\n",
    "~~~\n```\n{{ value:e.inside }}\n~~~\n",
    "Write `{{ value:e.inside }}` in a page.\n",
    "Write ``{{ value:e.inside }}`` in a page.\n",
    "Inline math $x^{{ value:e.inside }}$ stays.\n",
    "Bracketed math \\({{ value:e.inside }}\\) stays.\n",
    "$$ {{ value:e.inside }} $$\n",
    "$$\nh_t = {{ value:e.inside }}\n$$\n",
    "$$\n\\begin{aligned}\na &= {{ value:e.inside }} \\\\\n\\end{aligned}\n$$\n",
], ids=["backticks", "backticks with info", "tildes", "indented fence", "longer fence holds a shorter",
        "tildes hold backticks", "inline code", "double-backtick code", "dollar math", "paren math",
        "one-line display math", "display math block", "multi-line display math"])
def test_references_inside_code_or_math_are_not_substituted(page):
    assert find(page) == []
    assert marked(page) == page


@pytest.mark.parametrize("page", [
    "\\[ {{ value:e.inside }} \\]\n",
    "\\[\nh_t = {{ value:e.inside }}\n\\]\n",
], ids=["one-line bracket display math", "bracket display math block"])
def test_references_inside_bracketed_display_math_are_not_substituted(page):
    # pymdownx.arithmatex (mkdocs.yml) treats \[ ... \] as display math, just like $$ ... $$.
    assert find(page) == []


def test_after_a_fence_closes_references_are_found_again_on_the_right_line():
    page = "```\n{{ value:e.inside }}\n```\n{{ value:e.after }}\n"
    assert ids(page) == [("value", "e.after", 4)]


def test_after_display_math_closes_references_are_found_again_on_the_right_line():
    page = "$$\nx = 1\n$$\nThen {{ value:e.after }}.\n"
    assert ids(page) == [("value", "e.after", 4)]


def test_a_reference_beside_inline_code_is_still_substituted():
    assert marked("`code` then {{ value:e.x }} and `more`\n") == "`code` then <value e.x> and `more`\n"


def test_a_reference_between_two_prices_is_still_substituted():
    assert marked("from $5 to {{ value:e.x }} to $6\n") == "from $5 to <value e.x> to $6\n"


# Malformed references --------------------------------------------------------------------------------


@pytest.mark.parametrize("reference", [
    "{{ value:serial_depth }}",
    "{{ value:Serial_Depth.x }}",
    "{{ value:serial-depth.x }}",
    "{{ value:serial_depth.x.y }}",
    "{{ value: }}",
    "{{ figure:serial_depth.x@ }}",
])
def test_a_malformed_id_raises_a_syntax_error_on_its_line(reference):
    with pytest.raises(ReferenceSyntaxError, match="is not a result id") as raised:
        find(f"line one\n\nline three {reference}\n")
    assert raised.value.line == 3


@pytest.mark.parametrize("kind", ["image", "Value", "val"])
def test_an_unknown_kind_raises_a_syntax_error_naming_it(kind):
    with pytest.raises(ReferenceSyntaxError, match=f"unknown reference kind '{kind}'") as raised:
        find(f"\n{{{{ {kind}:serial_depth.x }}}}\n")
    assert raised.value.line == 2


@pytest.mark.parametrize("kind", ["figure", "table"])
def test_a_figure_or_table_with_a_format_spec_is_rejected(kind):
    with pytest.raises(ReferenceSyntaxError, match=r"only values take a format spec; remove ':\.1f'") as raised:
        find(f"a\nb\nc\n{{{{ {kind}:serial_depth.x:.1f }}}}\n")
    assert raised.value.line == 4


def test_a_malformed_reference_inside_code_is_not_an_error():
    assert find("```\n{{ value:not an id }}\n```\n`{{ image:x }}`\n") == []
