"""Every internal link and anchor of the built site resolves, with the site deployed under a sub-path
(tests/checks/site_links.py). External links are listed in build/checks/external-links.txt, never
fetched: the tests run offline.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import PREFIX
from tests.browser.pages import page_paths
from tests.checks.site_links import check_links

if TYPE_CHECKING:
    from tests.conftest import BuiltSite

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "build" / "checks" / "external-links.txt"


def test_every_internal_link_and_anchor_of_the_built_site_resolves(built_site: BuiltSite) -> None:
    paths = page_paths(built_site.site)  # every page, so a page no link reaches is checked too
    report = check_links(built_site.site, paths, PREFIX)

    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("".join(f"{line}\n" for line in report.external), encoding="utf-8")
    print(f"{len(report.external)} external link(s), not fetched (listed in {REPORT}):", *report.external, sep="\n")
    assert report.checked > 100 * len(paths), f"only {report.checked} links on {len(paths)} pages"
    assert not report.problems, f"{len(report.problems)} broken link(s) or anchor(s):\n" + "\n".join(report.problems)


def test_a_broken_link_a_broken_anchor_and_a_link_outside_the_sub_path_are_all_reported(
        built_site: BuiltSite, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    home = site / "index.html"
    planted = ('<p><a href="no-such-page/">gone</a> <a href="glossary/#no-such-anchor">nowhere</a> '
               '<a href="/glossary/">outside the deployment</a> <a href="glossary/">fine</a> '
               '<img src="figures/no-such-figure.svg" alt=""></p>')
    home.write_text(home.read_text(encoding="utf-8").replace("</article>", planted + "</article>", 1),
                    encoding="utf-8")
    (site / "assets" / "planted.css").write_text("a { background: url(../no-such-image.png) }", encoding="utf-8")
    home.write_text(home.read_text(encoding="utf-8").replace(
        "</head>", '<link rel="stylesheet" href="assets/planted.css"></head>', 1), encoding="utf-8")

    report = check_links(site, [""], PREFIX)

    text = "\n".join(report.problems)
    assert "no-such-page/: 404" in text, text
    assert "#no-such-anchor not found" in text, text
    assert "/glossary/: leaves the site's folder /rva/" in text, text
    assert "no-such-figure.svg: 404" in text, text
    assert "assets/planted.css:1: ../no-such-image.png: 404" in text, text
    assert len(report.problems) == 5, text
