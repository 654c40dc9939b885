"""Building pages: a bad reference stops the build at its page and line; the real lesson gets its results."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from site_src.references import find
from tests.conftest import REPO
from tests.site.building import FRONT_MATTER, build, line_of, tiny_site

PAGE = FRONT_MATTER + "# Tiny\n\nSome text.\n\n```\n{{ value:tiny.shown_as_syntax }}\n```\n\nThe answer is {}.\n"


def test_a_page_with_a_known_value_builds_and_shows_it(tmp_path):
    site = tiny_site(tmp_path)
    done, output = build(site, {"page.md": PAGE.replace("{}", "{{ value:tiny.answer }}")})
    assert done.returncode == 0, output
    html = (site / "site" / "page" / "index.html").read_text()
    assert re.search(r'<span class="rva-value" title="the answer\. Measured on Test CPU[^"]*">42</span>', html)
    assert "{{ value:tiny.shown_as_syntax }}" in html
    assert (site / "site" / "data" / "cpu" / "tiny.json").read_text() == '{"experiment": "tiny"}\n'


@pytest.mark.parametrize("reference, message", [
    ("{{ value:tiny.no_such_value }}", "unknown value id 'tiny.no_such_value'. Known values: tiny.answer."),
    ("{{ value:tinny.answer }}", "unknown experiment 'tinny' in value id 'tinny.answer' (experiments: tiny)."),
    ("{{ value:Tiny-Answer }}", "'Tiny-Answer' is not a result id"),
    ("{{ figure:tiny.answer:.1f }}", "only values take a format spec; remove ':.1f'"),
    ("{{ image:tiny.answer }}", "unknown reference kind 'image'"),
])
def test_a_bad_reference_stops_the_build_at_its_page_and_source_line(tmp_path, reference, message):
    site = tiny_site(tmp_path)
    page = PAGE.replace("{}", reference)
    done, output = build(site, {"page.md": page})
    assert done.returncode != 0
    assert f"docs/page.md:{line_of(page, reference)}: {message}" in output
    assert "Traceback" not in output


def test_a_bad_reference_in_a_page_without_front_matter_gets_its_own_line(tmp_path):
    site = tiny_site(tmp_path)
    page = "# Tiny\n\nText.\n\nAnd {{ value:tiny.no_such_value }}.\n"
    done, output = build(site, {"page.md": page})
    assert done.returncode != 0
    assert "docs/page.md:5: unknown value id 'tiny.no_such_value'" in output


def test_a_bad_reference_in_a_nested_page_names_that_page(tmp_path):
    site = tiny_site(tmp_path)
    page = FRONT_MATTER + "# Nested\n\n{{ value:tiny.no_such_value }}\n"
    done, output = build(site, {"index.md": "# Home\n", "lessons/nested.md": page})
    assert done.returncode != 0
    assert f"docs/lessons/nested.md:{line_of(page, 'no_such_value')}: unknown value id" in output


def test_a_missing_manifest_stops_the_build_saying_how_to_render_it(tmp_path):
    site = tiny_site(tmp_path)
    (site / "rendered" / "manifest.json").unlink()
    done, output = build(site, {"page.md": "# Tiny\n"})
    assert done.returncode != 0
    assert "results have not been rendered" in output and "Traceback" not in output


# The real site, built from smoke data ----------------------------------------------------------------

LESSON_SOURCE = REPO / "docs" / "lessons" / "02-serial-bottleneck.md"


@pytest.fixture(scope="module")
def lesson(built_site) -> str:
    return (built_site.site / "lessons" / "02-serial-bottleneck" / "index.html").read_text()


def test_each_figure_of_the_lesson_has_a_light_and_a_dark_image(lesson):
    for key in ("time_vs_length", "loop_over_vectorised"):
        figure = re.search(rf'<figure class="rva-figure(?: rva-skip)?" id="fig-serial_depth-{key}">.*?</figure>',
                           lesson, re.S)
        assert figure, key
        sources = re.findall(r'<img src="([^"]+)"', figure[0])
        assert [s.rsplit("#", 1)[1] for s in sources] == ["only-light", "only-dark"]
        assert sources[0].split("#")[0].endswith(f"figures/serial_depth/{key}.smoke-light.svg")
        assert sources[1].split("#")[0].endswith(f"figures/serial_depth/{key}.smoke-dark.svg")


def test_every_figure_image_the_lesson_links_to_exists(built_site, lesson):
    page_url = "lessons/02-serial-bottleneck/"
    sources = re.findall(r'<img src="([^"#]+\.svg)#only-(?:light|dark)"', lesson)
    assert len(sources) == 4
    for src in sources:
        assert (built_site.site / urljoin(page_url, src)).is_file(), src


def test_every_value_reference_of_the_lesson_becomes_a_value_span(lesson):
    references = [r for r in find(LESSON_SOURCE.read_text()) if r.kind == "value"]
    spans = re.findall(r'<span class="rva-value" title="[^"]*smoke-test data[^"]*">([^<]+)</span>', lesson)
    assert references and len(spans) == len(references)
    assert all(re.search(r"\d", text) for text in spans)


def test_no_reference_is_left_unsubstituted_in_the_lesson(lesson):
    assert not re.search(r"\{\{\s*(value|figure|table)\s*:", lesson)


def test_the_timings_table_is_rendered_as_a_table(lesson):
    table = re.search(r'<div class="rva-table(?: rva-skip)?" id="table-serial_depth-timings">(.*?)</div>', lesson, re.S)
    assert table and "<table>" in table[1] and "100,000" in table[1]


def test_the_site_publishes_the_smoke_result_as_a_data_file(built_site, lesson):
    published = built_site.site / "data" / "smoke" / "serial_depth.json"
    assert published.read_bytes() == (built_site.results / "smoke" / "serial_depth.json").read_bytes()
    assert '<a href="../../data/smoke/serial_depth.json">Data</a>' in lesson


def test_the_lesson_waits_for_one_stylesheet_and_starts_without_a_full_restyle(built_site, lesson):
    """Ours, with Material's two, KaTeX's and mkdocs-quiz's joined in (hooks/assets.py); Material's rule
    that restyled every element as each page started is left out, and so are its content tabs' rules,
    which the browser tried on every element at every restyle, since mkdocs.yml does not enable tabs."""
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', lesson)
    assert len(sheets) == 1 and sheets[0].endswith("assets/site/style.css"), sheets
    css = (built_site.site / "assets" / "site" / "style.css").read_text(encoding="utf-8")
    assert "[data-md-color-scheme=slate]" in css and "KaTeX_Main" in css  # the palette and KaTeX are in it
    assert ".md-header__button" in css and ".md-typeset .admonition" in css  # and Material's main sheet
    assert "[data-md-color-switching] *" not in css
    assert not re.search(r"\.tabbed-[a-z]", css)
    fonts = re.findall(r"url\((\.\./katex/fonts/[^)]+\.woff2)\)", css)
    assert fonts, "KaTeX's @font-face rules no longer point at assets/katex/fonts/"
    for font in fonts:
        assert (built_site.site / "assets" / "site" / font).resolve().is_file(), font
    head = lesson.split("</head>")[0]
    assert 'classList.replace("no-js", "js")' in head  # the search box is shown before the first paint


def test_the_quiz_progress_box_is_built_into_the_table_of_contents(lesson):
    toc = lesson.index('<nav class="md-nav md-nav--secondary"', lesson.index("md-sidebar--secondary"))
    box = lesson.index('<div id="quiz-progress-sidebar"')
    assert toc < box < lesson.index('class="md-content"')
    assert lesson.count('id="quiz-progress-sidebar"') == 1
    opening = lesson[box:lesson.index(">", box)]
    assert "display: none" not in opening
    quizzes = lesson.count('<div class="quiz"')
    assert quizzes and f'<span class="quiz-progress-total">{quizzes}</span>' in lesson
