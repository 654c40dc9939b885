"""The Claims checked page: every claim has one of the four verdicts and links to what decides it.

The checks read the built HTML (the session's smoke-profile site), so they see what a reader sees:
anchors as rendered, and links that resolve or do not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import BuiltSite

VERDICTS = {"holds": "Holds", "caveats": "Holds with caveats", "wrong": "Wrong", "unsupported": "Unsupported"}
_CLAIM = re.compile(r'<h3 id="(claim-[a-z0-9-]+)">')
_BADGE = re.compile(r'<span class="rva-verdict rva-verdict-([a-z]+)">([^<]*)</span>')
_HREF = re.compile(r'href="([^"#]*)#([^"]+)"')


def claim_sections(html: str) -> dict[str, str]:
    """Claim anchor -> the HTML from its heading to the next heading of any level."""
    sections = {}
    for match in _CLAIM.finditer(html):
        rest = html[match.end():]
        end = re.search(r"<h[1-3][ >]", rest)
        sections[match.group(1)] = rest[:end.start()] if end else rest
    return sections


def claim_problems(html: str) -> list[str]:
    """What is wrong with a claims page: verdicts, evidence links, and the summary table's coverage."""
    sections = claim_sections(html)
    problems = []
    if len(sections) < 15:
        problems.append(f"only {len(sections)} claims; the page should check at least 15")
    for anchor, body in sections.items():
        badges = _BADGE.findall(body)
        if len(badges) != 1:
            problems.append(f"#{anchor}: {len(badges)} verdict badges; each claim needs exactly one")
        for kind, text in badges:
            if kind not in VERDICTS:
                problems.append(f"#{anchor}: unknown verdict '{kind}' (use one of: {', '.join(VERDICTS)})")
            elif VERDICTS[kind] not in text:
                problems.append(f"#{anchor}: the badge says '{text.strip()}' but its class says '{kind}'")
        evidence = body.split("<strong>Evidence.</strong>", 1)
        if len(evidence) != 2 or "href=" not in evidence[1]:
            problems.append(f"#{anchor}: no Evidence paragraph with a link to an experiment or a paper")
    summary = html.split('<h2 id="parallelism', 1)[0]
    summary_links = set(re.findall(r'href="#(claim-[a-z0-9-]+)"', summary))
    for anchor in sorted(set(sections) - summary_links):
        problems.append(f"#{anchor}: missing from the summary table")
    for anchor in sorted(summary_links - set(sections)):
        problems.append(f"the summary links to #{anchor}, which is no claim on the page")
    for row in re.findall(r"<tr>.*?</tr>", summary, re.S):  # the summary repeats each verdict by hand
        link, badge = re.search(r'href="#(claim-[a-z0-9-]+)"', row), _BADGE.search(row)
        own = _BADGE.search(sections.get(link.group(1), "")) if link else None
        if link and badge and own and badge.group(1) != own.group(1):
            problems.append(f"#{link.group(1)}: the summary says '{badge.group(1)}', the claim says '{own.group(1)}'")
    return problems


def broken_fragment_links(page: Path, site: Path) -> list[str]:
    """Links with a #fragment from `page` to pages of the site whose target id does not exist."""
    html = page.read_text(encoding="utf-8")
    broken = []
    for url, fragment in _HREF.findall(html):
        if url.startswith(("http:", "https:")):
            continue
        target = (page.parent / url).resolve() if url else page
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{url}#{fragment} (no such page)")
        elif f'id="{fragment}"' not in target.read_text(encoding="utf-8"):
            broken.append(f"{url}#{fragment}")
    return broken


# ---- the built page ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def claims_html(built_site: BuiltSite) -> str:
    return (built_site.site / "claims" / "index.html").read_text(encoding="utf-8")


def test_every_claim_has_one_of_the_four_verdicts_evidence_and_a_summary_row(claims_html: str):
    assert claim_problems(claims_html) == []


@pytest.mark.parametrize("page", ["claims/index.html", "references/index.html", "glossary/index.html"])
def test_every_anchored_link_on_the_page_reaches_its_target(built_site: BuiltSite, page: str):
    assert broken_fragment_links(built_site.site / page, built_site.site) == []


def test_every_link_from_a_lesson_to_the_references_reaches_an_entry(built_site: BuiltSite):
    broken = {}
    for page in sorted((built_site.site / "lessons").glob("*/index.html")):
        bad = [link for link in broken_fragment_links(page, built_site.site) if "references" in link]
        if bad:
            broken[page.parent.name] = bad
    assert broken == {}


# ---- the checks themselves fail on broken pages ------------------------------------------------------

def _claim(anchor: str, badge: str, evidence: str = '<a href="../lessons/x/#y">lesson</a>') -> str:
    return (f'<h3 id="{anchor}">A claim</h3>\n<p>{badge} · Source A</p>\n'
            f"<p><strong>Evidence.</strong> {evidence}</p>\n")


def _page(claims: list[str], summary: list[str]) -> str:
    rows = "".join(f'<tr><td><a href="#{anchor}">claim</a></td></tr>' for anchor in summary)
    return f'<h2 id="summary">Summary</h2><table>{rows}</table><h2 id="parallelism">P</h2>' + "".join(claims)


GOOD = '<span class="rva-verdict rva-verdict-wrong">✗ Wrong</span>'


def test_a_sound_page_of_fifteen_claims_passes():
    anchors = [f"claim-{n}" for n in range(15)]
    assert claim_problems(_page([_claim(a, GOOD) for a in anchors], anchors)) == []


@pytest.mark.parametrize("broken_claim, message", [
    (_claim("claim-x", '<span class="rva-verdict rva-verdict-maybe">Maybe</span>'), "unknown verdict 'maybe'"),
    (_claim("claim-x", '<span class="rva-verdict rva-verdict-holds">✗ Wrong</span>'), "its class says 'holds'"),
    (_claim("claim-x", "no badge at all"), "0 verdict badges"),
    (_claim("claim-x", GOOD, evidence="none"), "no Evidence paragraph"),
])
def test_a_claim_without_a_proper_verdict_or_evidence_is_reported(broken_claim: str, message: str):
    anchors = [f"claim-{n}" for n in range(15)]
    page = _page([_claim(a, GOOD) for a in anchors] + [broken_claim], anchors + ["claim-x"])
    problems = claim_problems(page)
    assert len(problems) == 1 and message in problems[0], problems


def test_a_summary_verdict_that_disagrees_with_its_claim_is_reported():
    anchors = [f"claim-{n}" for n in range(15)]
    holds = '<span class="rva-verdict rva-verdict-holds">✓ Holds</span>'
    page = _page([_claim(a, GOOD) for a in anchors], anchors).replace(
        '<a href="#claim-3">claim</a>', f'<a href="#claim-3">claim</a> {holds}')
    assert claim_problems(page) == ["#claim-3: the summary says 'holds', the claim says 'wrong'"]


def test_too_few_claims_and_a_missing_summary_row_are_reported():
    problems = claim_problems(_page([_claim("claim-a", GOOD), _claim("claim-b", GOOD)], ["claim-a"]))
    assert "only 2 claims" in problems[0]
    assert "#claim-b: missing from the summary table" in problems


def test_a_link_to_a_missing_anchor_is_reported(tmp_path: Path):
    (tmp_path / "references").mkdir()
    (tmp_path / "references" / "index.html").write_text('<p id="vaswani2017">Vaswani</p>')
    (tmp_path / "claims").mkdir()
    page = tmp_path / "claims" / "index.html"
    page.write_text('<a href="../references/#vaswani2017">ok</a> <a href="../references/#vaswani2071">typo</a>')
    assert broken_fragment_links(page, tmp_path) == ["../references/#vaswani2071"]
