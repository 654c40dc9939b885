"""The Chinese edition, built with the English one (mkdocs-static-i18n): every page under /zh/, a
language switcher that leads to the same page in the other language, quiz counts per language for the
progress panel, and a search index that has the Chinese text cut into words."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from site_src.translations import translations
from tests.browser.pages import page_paths
from tests.conftest import REPO

DOCS = REPO / "docs"
_SWITCH = re.compile(r'<a href="(?P<href>[^"]*)" hreflang="(?P<lang>[a-z]+)" class="md-select__link"')


def english_pages(site: Path) -> list[str]:
    return [path for path in page_paths(site) if not path.startswith("zh/")]


def html_of(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8") if not path.endswith(".html") \
        else (site / path).read_text(encoding="utf-8")


def switcher(html: str) -> dict[str, str]:
    return {match["lang"]: match["href"] for match in _SWITCH.finditer(html)}


def test_every_english_page_has_a_chinese_page_at_the_same_address_below_zh(built_site):
    pages = english_pages(built_site.site)
    assert len(pages) > 10
    missing = [path for path in pages if not (built_site.site / "zh" / path / "index.html").exists()]
    assert not missing, f"no Chinese page for {missing}"


def test_the_chinese_pages_say_they_are_chinese(built_site):
    assert '<html lang="zh"' in html_of(built_site.site, "zh/")
    assert '<html lang="en"' in html_of(built_site.site, "")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_language_switcher_leads_to_the_same_page_in_the_other_language(built_site, language):
    for path in english_pages(built_site.site):
        here = path if language == "en" else f"zh/{path}"
        links = switcher(html_of(built_site.site, here))
        assert set(links) == {"en", "zh"}, f"{here}: switcher offers {sorted(links)}"
        # relative, so that they hold wherever the site is served from (a root-absolute one would pass below)
        assert not any(link.startswith("/") for link in links.values()), f"{here}: {links}"
        base = f"http://site/{here}"
        assert urljoin(base, links["en"]) == f"http://site/{path}", f"{here}: English link {links['en']}"
        assert urljoin(base, links["zh"]) == f"http://site/zh/{path}", f"{here}: Chinese link {links['zh']}"


def test_each_language_counts_its_own_quizzes_for_the_progress_panel(built_site):
    english = json.loads((built_site.site / "assets/site/quizzes.json").read_text(encoding="utf-8"))
    chinese = json.loads((built_site.site / "zh/assets/site/quizzes.json").read_text(encoding="utf-8"))
    assert english and not any(url.startswith("zh/") for url in english)
    assert chinese == english  # the same lessons, each with the same number of quizzes, below /zh/


def test_search_indexes_the_chinese_pages_cut_into_words(built_site):
    index = json.loads((built_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert "zh" in index["config"]["lang"] and "\\u200b" in index["config"]["separator"]
    chinese = [doc for doc in index["docs"] if doc["location"].startswith("zh/")]
    assert chinese and any("\u200b" in doc["text"] for doc in chinese)


@pytest.mark.parametrize("translation", [t for t in translations(DOCS) if t.path.suffix == ".md"],
                         ids=lambda t: t.path.relative_to(DOCS).as_posix())
def test_a_translated_page_is_built_from_its_translation_not_the_english_text(built_site, translation):
    uri = translation.source.relative_to(DOCS).with_suffix("").as_posix()
    path = "zh/" if uri == "index" else f"zh/{uri}/"
    html = html_of(built_site.site, path)
    assert "rva-translation-notice" not in html or translation.outdated
    assert re.search(r"[\u4e00-\u9fff]", html.split("<article", 1)[1])  # Chinese in the article itself


_HEADING_ID = re.compile(r'<h[1-6] id="([^"]*)">')
_TOC_LINK = re.compile(r'<a href="#([^"]*)" class="md-nav__link">')


@pytest.mark.parametrize("notebook", sorted(p.stem for p in (DOCS / "exercises").glob("*.py") if ".zh" not in p.name))
def test_a_translated_notebook_keeps_its_english_notebooks_section_anchors(built_site, notebook):
    english = html_of(built_site.site, f"exercises/{notebook}/")
    chinese = html_of(built_site.site, f"zh/exercises/{notebook}/")
    anchors = _HEADING_ID.findall(english)
    assert len(anchors) >= 3 and all(anchors), anchors
    assert _HEADING_ID.findall(chinese) == anchors
    sidebar = set(_TOC_LINK.findall(chinese))  # Material leaves the page's title (the h1) out
    assert sidebar == set(_TOC_LINK.findall(english)) and sidebar == set(anchors[1:]), sidebar


_FIGURE_SOURCE = re.compile(r'<img src="([^"]*figures/[^"]*\.svg)#only-(?:light|dark)"')


def test_the_chinese_pages_show_the_chinese_figures_and_the_english_pages_the_english_ones(built_site):
    def figures_on(pages: list[str]) -> list[str]:
        return [src for page in pages for src in _FIGURE_SOURCE.findall(html_of(built_site.site, page))]

    english = figures_on(english_pages(built_site.site))
    chinese = figures_on([f"zh/{path}" for path in english_pages(built_site.site)])
    assert len(chinese) == len(english) > 20
    assert all("-zh-" in src for src in chinese), [src for src in chinese if "-zh-" not in src]
    assert not any("-zh-" in src for src in english)


_LINK = re.compile(r'<a\b(?P<attrs>[^>]*)>')
_HREF = re.compile(r'href="(?P<href>[^"]*)"')


def test_a_chinese_page_links_only_to_chinese_pages_besides_the_language_switcher(built_site):
    """A reader of the Chinese edition who follows a link (a reported number's source, a glossary term,
    the next lesson) stays in Chinese; data files, figures and assets are shared by both languages."""
    shared = ("assets/", "data/", "figures/", "search/", "sitemap")
    strays = []
    for page in english_pages(built_site.site):
        base = f"https://site/zh/{page}"
        for link in _LINK.finditer(html_of(built_site.site, f"zh/{page}")):
            href = _HREF.search(link["attrs"])
            if not href or "hreflang=" in link["attrs"] or href["href"].startswith(("http", "mailto:", "#")):
                continue
            target = urljoin(base, href["href"]).split("#")[0].removeprefix("https://site/")
            if not target.startswith(("zh/", *shared)) and not target.endswith((".json", ".svg", ".xml")):
                strays.append(f"zh/{page} -> {href['href']}")
    assert not strays, strays[:10]
