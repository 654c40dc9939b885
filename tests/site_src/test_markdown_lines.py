"""The one Markdown line scanner every page hook uses: fences, display math, inline code and math."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from site_src.glossary import used_terms
from site_src.markdown_lines import prose, scan
from site_src.quizzes import parse_quizzes
from site_src.references import find

WORDS = st.sampled_from(["attention", "state", "cache", "the", "{{ value:a.b }}", "x < y", "`code`", "$T^2$"])
FENCE_RUNS = st.sampled_from(["```", "````", "~~~", "~~~~"])
INDENTS = st.sampled_from(["", "  ", "   "])


@st.composite
def documents(draw) -> str:
    """Prose lines, fenced blocks (any fence character, length and indent, some never closed) and
    math blocks, in any order."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["prose", "fence", "math"]))
        if kind == "prose":
            lines.append(" ".join(draw(st.lists(WORDS, min_size=1, max_size=5))))
        elif kind == "fence":
            run, indent = draw(FENCE_RUNS), draw(INDENTS)
            lines += [indent + run + draw(st.sampled_from(["", "python"]))]
            lines += [" ".join(draw(st.lists(WORDS, min_size=1, max_size=3)))]
            if draw(st.booleans()):
                lines.append(draw(INDENTS) + run + draw(st.sampled_from(["", "`", "~"])))
        else:
            lines += ["$$", "a + b", "$$"]
    return "\n".join(lines) + "\n"


@given(documents())
def test_every_line_comes_back_as_written_with_its_number(markdown):
    lines = list(scan(markdown))
    assert "".join(line.text for line in lines) == markdown
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))


@given(documents())
def test_masking_keeps_columns_and_only_blanks(markdown):
    for line in scan(markdown):
        if line.masked is not None:
            assert len(line.masked) == len(line.text)
            assert all(m == t or m == " " for m, t in zip(line.masked, line.text, strict=True))
            assert "`" not in line.masked.replace("\\`", "")  # every code span is blanked whole


@given(documents(), st.sampled_from(["```", "~~~~"]), INDENTS)
def test_a_line_inside_a_closed_fence_is_never_prose(before, run, indent):
    assume(list(scan(before + "probe\n"))[-1].masked is not None)  # `before` leaves no block open
    lines = list(scan(before + f"{indent}{run}\nhidden words\n{indent}{run}\nafter\n"))
    hidden = lines[-3]
    assert hidden.text == "hidden words\n" and hidden.masked is None and hidden.in_fence
    assert lines[-1].masked == "after\n"


def test_a_fence_closes_only_on_a_run_of_its_own_character_at_least_as_long():
    markdown = "````\n```\n~~~~\n````` \nprose\n"
    assert [line.in_fence for line in scan(markdown)] == [True, True, True, True, False]
    assert [line.masked for line in scan("```\n```python\n```\nprose\n")][-1] == "prose\n"  # info string: no close


def test_an_indented_closing_fence_closes_the_block_for_every_hook():
    """The seam this module mends: one hook closed such a fence, another did not."""
    markdown = ("```\n  ```\n{{ value:serial_depth.torch_width }}\n<quiz>\nWhat?\n- [x] this\n"
                "  > yes\n- [ ] that\n  > no\n</quiz>\nattention\n")
    assert [ref.id for ref in find(markdown)] == ["serial_depth.torch_width"]
    assert len(parse_quizzes(markdown)) == 1
    assert "attention" in prose(markdown)
    assert used_terms("```\n  ```\nattention\n", _terms("attention")) == {"attention"}


def test_terms_in_code_or_math_are_not_mentions():
    assert used_terms("```\nattention\n```\n`attention` and $attention$\n", _terms("attention")) == set()


def _terms(name: str) -> dict:
    from site_src.glossary import Term
    return {name: Term(name, "short", "long", (), (), 1)}
