"""Numbers papers reported (docs/reported.yml): loaded with every field, cited from References,
shown with their hardware and marked as not measured here."""

from __future__ import annotations

import re

import pytest

from site_src.references import ReferenceSyntaxError, find, parse
from site_src.reported import ReportedProblem, load, reported_html
from tests.conftest import REPO

REFERENCES = "**Dao 2023.** FlashAttention-2.\n{ #dao2023 }\n"
GOOD = """\
fa2_peak:
  number: "50–73% of the peak"
  what: "FlashAttention-2's forward throughput"
  hardware: "an NVIDIA A100"
  source: dao2023
"""


def files(tmp_path, reported: str):
    (tmp_path / "reported.yml").write_text(reported)
    (tmp_path / "references.md").write_text(REFERENCES)
    return tmp_path / "reported.yml", tmp_path / "references.md"


def test_an_entry_loads_with_its_fields_and_line(tmp_path):
    (entry,) = load(*files(tmp_path, "# numbers\n\n" + GOOD)).values()
    assert (entry.id, entry.number, entry.hardware, entry.source, entry.line) == (
        "fa2_peak", "50–73% of the peak", "an NVIDIA A100", "dao2023", 3)


@pytest.mark.parametrize("text, words, line", [
    (GOOD.replace('  hardware: "an NVIDIA A100"\n', ""), "entry 'fa2_peak' needs text for each of", 1),
    (GOOD.replace("dao2023", "nobody2020"), "cites 'nobody2020', which has no { #nobody2020 } entry", 1),
    ("fa2_peak: [unclosed\n", "reported.yml:2:", 2),
    ("- just a list\n", "write a mapping", 1),
])
def test_a_bad_file_is_one_line_naming_the_file_and_line(tmp_path, text, words, line):
    with pytest.raises(ReportedProblem) as raised:
        load(*files(tmp_path, text))
    message = str(raised.value)
    assert words in message and f"reported.yml:{line}:" in message and "\n" not in message


def test_the_html_names_the_hardware_links_the_source_and_says_not_measured_here(tmp_path):
    (entry,) = load(*files(tmp_path, GOOD)).values()
    html = reported_html(entry, "../references/")
    assert '<a class="rva-reported-source" href="../references/#dao2023">(reported on an NVIDIA A100)</a>' in html
    assert "not measured here" in re.search(r'title="([^"]*)"', html).group(1)


def test_text_from_the_file_is_escaped(tmp_path):
    (entry,) = load(*files(tmp_path, GOOD.replace("50–73% of the peak", "<script>x</script>"))).values()
    assert "<script>" not in reported_html(entry, "r/") and "&lt;script&gt;" in reported_html(entry, "r/")


def test_a_reported_reference_parses_by_its_bare_id():
    ref = parse("reported", "fa2_peak", 3)
    assert (ref.kind, ref.id, ref.line) == ("reported", "fa2_peak", 3)
    with pytest.raises(ReferenceSyntaxError, match="is not an id of docs/reported.yml"):
        parse("reported", "fa2.peak", 3)


def test_every_entry_of_the_sites_file_is_cited_by_a_page_and_every_citation_has_an_entry():
    entries = load(REPO / "docs" / "reported.yml", REPO / "docs" / "references.md")
    cited = {ref.key for page in (REPO / "docs").rglob("*.md") for ref in find(page.read_text(encoding="utf-8"))
             if ref.kind == "reported"}
    assert cited == set(entries)
