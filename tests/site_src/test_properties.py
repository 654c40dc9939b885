"""Property tests of the parsers that read what contributors write: quizzes, result references, the
glossary YAML and page front matter. For any text, each returns a result or raises the project's
own error (a line number and a one-line message), never anything else.

The text is drawn from pieces of each syntax (quiz tags, choice markers, fences, math, YAML
punctuation) mixed with arbitrary characters, so that most examples get past the first line.
The "ci" profile is derandomized: `make test` tries the same examples every run. For a longer,
random search: RVA_HYPOTHESIS=explore .venv/bin/python -m pytest tests/site_src/test_properties.py
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_src.escaping import escape_tags
from site_src.glossary import GlossaryError, load_glossary, used_terms
from site_src.pages import FrontMatterError, front_matter
from site_src.quizzes import QuizError, escape_quiz_text, parse_quizzes
from site_src.references import ReferenceSyntaxError, find, parse, substitute

settings.register_profile("ci", max_examples=150, derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=5000, deadline=None)
PROFILE = settings.get_profile(os.environ.get("RVA_HYPOTHESIS", "ci"))


def pieces_of(*syntax: str) -> st.SearchStrategy[str]:
    """Text made of the given syntax pieces, newlines and arbitrary short strings, in any order."""
    piece = st.one_of(st.sampled_from(syntax), st.sampled_from(("\n", "\n", " ", "  ")), st.text(max_size=6))
    return st.lists(piece, max_size=40).map("".join)


MARKDOWN = pieces_of(
    "<quiz>", "</quiz>", "<quiz>\n", "\n</quiz>\n", "- [x] ", "- [ ] ", "- [X]", "- []", "* [x] ", "-[x]",
    "  > ", ">", "```", "~~~", "````", "`", "$$", "$", "\\[", "\\]", "\\(", "\\)", "{{", "}}",
    "{{ value:", "{{ figure:", "{{ table:", "{{ image:", "serial_depth.time", "@cpu", ":.2f", "<script>", "<",
)
YAMLISH = pieces_of(
    "- term: ", "  short: ", "  long: ", "  aliases: ", "  related: ", "[", "]", "{", "}", ", ", ": ", ":", "- ",
    "'", '"', "|", ">-", "&a ", "*a", "!!python/object:os.system", "!!binary ", "? ", "#", "\t", "---", "...",
    "2024-02-30", "0x", "Serial depth", "serial depth", "%YAML 1.1", "\x00", "\ufeff", "\x85",
)
FIELD_TEXT = st.text(min_size=1, max_size=12)
ENTRY = st.fixed_dictionaries(
    {"term": FIELD_TEXT, "short": FIELD_TEXT, "long": FIELD_TEXT},
    optional={"aliases": st.lists(FIELD_TEXT, max_size=3), "related": st.lists(FIELD_TEXT, max_size=3)},
)
YAML_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def assert_own_error(error: ValueError, text: str) -> None:
    """The project's errors carry a line within (or just after) the text and a one-line message."""
    lines = len(text.splitlines())  # every kind of line break, YAML's \x85 and \u2028 included
    assert isinstance(error.line, int) and 1 <= error.line <= lines + 2, (error.line, text)
    assert str(error).strip() and "\n" not in str(error), str(error)


@pytest.fixture(scope="module")
def scratch() -> Path:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


# ---- quizzes ---------------------------------------------------------------------------------------


@PROFILE
@given(st.one_of(MARKDOWN, st.text()))
def test_any_page_gives_its_quizzes_or_a_quiz_error(markdown):
    try:
        quizzes = parse_quizzes(markdown)
    except QuizError as error:
        assert_own_error(error, markdown)
        return
    lines = markdown.splitlines()
    for quiz in quizzes:
        assert 1 <= quiz.line < quiz.end <= len(lines)
        assert quiz.question and len(quiz.choices) >= 2 and quiz.correct_positions
    escaped = escape_quiz_text(markdown, quizzes)
    assert len(escaped.splitlines()) == len(lines)


# ---- result references -----------------------------------------------------------------------------


@PROFILE
@given(st.one_of(MARKDOWN, st.text()))
def test_any_page_gives_its_references_or_a_reference_error(markdown):
    try:
        references = find(markdown)
    except ReferenceSyntaxError as error:
        assert_own_error(error, markdown)
        return
    for reference in references:
        assert reference.kind in ("value", "figure", "table")
        assert 1 <= reference.line <= len(markdown.splitlines())


@PROFILE
@given(st.one_of(MARKDOWN, st.text()))
def test_a_page_without_references_comes_back_unchanged(markdown):
    if "{{" in markdown:
        markdown = markdown.replace("{{", "{ {")
    assert substitute(markdown, lambda reference: pytest.fail(f"found {reference}")) == markdown


@PROFILE
@given(st.from_regex(r"[A-Za-z_]{0,8}", fullmatch=True), st.text(max_size=40))
def test_any_reference_on_a_line_parses_or_is_a_reference_error(kind, body):
    line = f"Text {{{{ {kind}:{body} }}}} more text."
    try:
        references = find(line)
    except ReferenceSyntaxError as error:
        assert_own_error(error, line)
        return
    for reference in references:
        assert reference.id == f"{reference.experiment}.{reference.key}"
        assert parse(reference.kind, reference.id, 1).id == reference.id


# ---- the glossary ----------------------------------------------------------------------------------


def load(scratch: Path, text: str):
    path = scratch / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    try:
        return load_glossary(path)
    except GlossaryError as error:
        assert_own_error(error, text)
        return None


@PROFILE
@given(text=st.one_of(YAMLISH, st.text()))
def test_any_glossary_text_loads_or_is_a_glossary_error(scratch, text):
    terms = load(scratch, text)
    for key, term in (terms or {}).items():
        assert key == term.term.lower() and term.short and term.long


@PROFILE
@given(entries=st.lists(st.one_of(ENTRY, YAML_VALUE), max_size=4))
def test_any_yaml_document_loads_as_a_glossary_or_is_a_glossary_error(scratch, entries):
    text = yaml.safe_dump(entries, allow_unicode=True)
    terms = load(scratch, text)
    if terms is not None:
        used_terms(" ".join(term.term for term in terms.values()), terms)


# ---- front matter ----------------------------------------------------------------------------------


@PROFILE
@given(st.one_of(YAMLISH, st.text()), st.one_of(MARKDOWN, st.text(max_size=20)))
def test_any_front_matter_reads_as_a_mapping_or_is_a_front_matter_error(yaml_text, body):
    page = f"---\n{yaml_text}\n---\n{body}"
    try:
        data = front_matter(page)
    except FrontMatterError as error:
        assert_own_error(error, page)
        return
    assert isinstance(data, dict)


@PROFILE
@given(st.one_of(MARKDOWN, st.text()))
def test_any_page_without_front_matter_has_none(markdown):
    if markdown.startswith("---"):
        markdown = " " + markdown
    assert front_matter(markdown) == {}


# ---- escaping --------------------------------------------------------------------------------------


@PROFILE
@given(st.one_of(MARKDOWN, st.text()))
def test_escaped_text_keeps_its_lines_and_opens_no_tag_outside_code(text):
    escaped = escape_tags(text)
    assert escaped.count("\n") == text.count("\n")
    if "`" not in text:
        assert not re.search(r"<[A-Za-z/!?]", escaped)
