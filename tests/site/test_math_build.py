"""A formula that KaTeX cannot read stops the build at its page and line, in one line."""

from __future__ import annotations

from tests.conftest import REPO
from tests.site.building import build, line_of, tiny_site


def test_a_broken_formula_stops_the_build_at_its_page_and_line(tmp_path):
    site = tiny_site(tmp_path)
    (site / "mkdocs.yml").write_text(
        (site / "mkdocs.yml").read_text() + f"  - {REPO / 'site_src' / 'hooks' / 'math.py'}\n"
        "markdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\n")
    page = "# Math\n\nFine: $x^2$.\n\nBroken: $\\frac{a$ here.\n"
    done, output = build(site, {"index.md": page})
    assert done.returncode != 0
    assert f"docs/index.md:{line_of(page, 'frac')}: KaTeX cannot typeset" in output
    assert "Traceback" not in output
