"""The glossary loader: a malformed glossary is rejected at its YAML line; usage is found in prose only."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_src.glossary import GlossaryError, load_glossary, used_terms

ENTRY = "- term: {term}\n  short: A short definition.\n  long: A longer one.\n"


def glossary(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yml"
    path.write_text(text)
    return path


def error_of(tmp_path: Path, text: str) -> GlossaryError:
    with pytest.raises(GlossaryError) as caught:
        load_glossary(glossary(tmp_path, text))
    return caught.value


def test_entries_load_with_their_aliases_related_terms_and_anchors(tmp_path):
    text = (ENTRY.format(term="KV cache") + "  aliases: [KV caches]\n  related: [Attention]\n"
            + ENTRY.format(term="Attention"))
    terms = load_glossary(glossary(tmp_path, text))
    assert set(terms) == {"kv cache", "attention"}
    assert terms["kv cache"].forms == ("KV cache", "KV caches")
    assert terms["kv cache"].related == ("Attention",)
    assert terms["kv cache"].anchor == "kv-cache"
    assert terms["attention"].line == 6


def test_an_entry_without_a_short_definition_is_rejected_at_its_line(tmp_path):
    err = error_of(tmp_path, ENTRY.format(term="A") + "- term: B\n  long: Only long.\n")
    assert err.line == 4 and "'short'" in str(err)


def test_an_unknown_field_is_rejected_as_a_likely_typo(tmp_path):
    err = error_of(tmp_path, ENTRY.format(term="A") + "  aliasses: [a]\n")
    assert err.line == 1 and "unknown field 'aliasses'" in str(err)


def test_two_entries_may_not_share_a_spelling(tmp_path):
    err = error_of(tmp_path, ENTRY.format(term="Scan") + ENTRY.format(term="Parallel scan") + "  aliases: [scan]\n")
    assert err.line == 4 and "already used by the entry 'Scan'" in str(err)


def test_a_related_term_must_have_an_entry(tmp_path):
    err = error_of(tmp_path, ENTRY.format(term="A") + "  related: [Nothing]\n")
    assert err.line == 1 and "'Nothing', which has no entry" in str(err)


def test_invalid_yaml_is_rejected_with_the_line_of_the_problem(tmp_path):
    err = error_of(tmp_path, ENTRY.format(term="A") + "- term: [unclosed\n")
    assert err.line >= 4 and "not valid YAML" in str(err)


def test_a_glossary_that_is_not_a_list_is_rejected(tmp_path):
    err = error_of(tmp_path, "term: A\n")
    assert err.line == 1 and "list of entries" in str(err)


def test_terms_are_found_in_prose_but_not_in_code(tmp_path):
    terms = load_glossary(glossary(tmp_path, ENTRY.format(term="KV cache") + ENTRY.format(term="Serial depth")))
    markdown = "A KV cache grows.\n\n```python\nserial depth = 1  # Serial depth\n```\n\nAnd `Serial depth` in code.\n"
    assert used_terms(markdown, terms) == {"kv cache"}


def test_a_term_inside_a_longer_word_is_not_a_mention(tmp_path):
    terms = load_glossary(glossary(tmp_path, ENTRY.format(term="GRU")))
    assert used_terms("GRUs and pre-GRU models", terms) == set()
    assert used_terms("a GRU, then", terms) == {"gru"}


def test_only_the_first_mention_of_a_term_in_each_section_keeps_its_hover_definition():
    from site_src.glossary import first_mentions_only

    depth, work = '<abbr title="Steps in a row">depth</abbr>', '<abbr title="All operations">work</abbr>'
    depth_alias = '<abbr title="Steps in a row">serial depth</abbr>'  # an alias: the same term
    html = (f"<p>{depth} and {work}, {depth_alias} again, {work}</p>"
            f'<h2 id="next">Next</h2><p>{depth} once more, then {depth}</p>')
    assert first_mentions_only(html) == (
        f"<p>{depth} and {work}, serial depth again, work</p>"
        f'<h2 id="next">Next</h2><p>{depth} once more, then depth</p>')
