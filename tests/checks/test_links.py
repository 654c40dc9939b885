"""Every internal link and anchor of the built site resolves, checked by LinkChecker (with its AnchorCheck
plugin) over HTTP, with the site served under a sub-path as it would be deployed. External links are
listed in build/checks/external-links.txt, never fetched: the tests run offline.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import PREFIX, _SiteHandler, serve
from tests.browser.pages import page_paths

if TYPE_CHECKING:
    from tests.conftest import BuiltSite

REPO = Path(__file__).resolve().parents[2]
LINKCHECKER = Path(sys.executable).parent / "linkchecker"
CONFIG = Path(__file__).with_name("linkcheckerrc")
REPORT = REPO / "build" / "checks" / "external-links.txt"


class _LinkCheckedHandler(_SiteHandler):
    def end_headers(self) -> None:
        # LinkChecker waits 0.1-0.6 s between two requests to one host unless the host sends this header.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()


@dataclass(frozen=True)
class LinkReport:
    problems: list[str]  # 'page:line: link: what is wrong', one per broken link or anchor
    external: list[str]  # 'url (on page)', one per external link, not fetched
    checked: int  # how many URLs LinkChecker looked at


def check_links(site: Path, paths: list[str], depth: int = -1) -> LinkReport:
    """LinkChecker over the pages at `paths` (relative to the site root) and, to `depth`, what they link to."""
    with serve(site, _LinkCheckedHandler) as base:
        command = [str(LINKCHECKER), "--config", str(CONFIG), "--no-status", "--no-robots", "--verbose",
                   "--output", "csv", "--recursion-level", str(depth), *(base + path for path in paths)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    lines = [line for line in done.stdout.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter=";"))
    assert rows, f"LinkChecker reported nothing (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"

    def where(row: dict[str, str]) -> str:
        page = row["parentname"].removeprefix(base) or "(start)"
        return f"{page}:{row['line']}: {row['urlname']}"

    host = base.removesuffix(PREFIX) + "/"
    problems, external = [], set()
    for row in rows:
        url = row["url"] or row["urlname"]
        if url.startswith(("http://", "https://")) and not url.startswith(host):
            external.add(f"{url} (on {row['parentname'].removeprefix(base) or 'the home page'})")
        elif url.startswith(host) and not url.startswith(base):
            # LinkChecker leaves such a URL unchecked as outside the site; deployed under a sub-path, it is broken
            problems.append(f"{where(row)}: leaves the site's folder {PREFIX}; use a relative link")
        elif row["valid"] != "True":
            problems.append(f"{where(row)}: {row['result']}")
        elif row["warningstring"]:
            problems.append(f"{where(row)}: {row['warningstring']}")
    return LinkReport(sorted(set(problems)), sorted(external), len(rows))


def test_every_internal_link_and_anchor_of_the_built_site_resolves(built_site: BuiltSite) -> None:
    paths = page_paths(built_site.site)  # every page, so a page no link reaches is checked too
    report = check_links(built_site.site, paths)

    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("".join(f"{line}\n" for line in report.external), encoding="utf-8")
    print(f"{len(report.external)} external link(s), not fetched (listed in {REPORT}):", *report.external, sep="\n")
    assert report.checked > len(paths), f"LinkChecker looked at only {report.checked} URLs"
    assert not report.problems, f"{len(report.problems)} broken link(s) or anchor(s):\n" + "\n".join(report.problems)


def test_a_broken_link_a_broken_anchor_and_a_link_outside_the_sub_path_are_all_reported(
        built_site: BuiltSite, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    home = site / "index.html"
    planted = ('<p><a href="no-such-page/">gone</a> <a href="glossary/#no-such-anchor">nowhere</a> '
               '<a href="/glossary/">outside the deployment</a> <a href="glossary/">fine</a></p>')
    home.write_text(home.read_text(encoding="utf-8").replace("</article>", planted + "</article>", 1),
                    encoding="utf-8")

    report = check_links(site, [""], depth=1)

    text = "\n".join(report.problems)
    assert "no-such-page/" in text and "404" in text, text
    assert "no-such-anchor" in text and "not found" in text, text
    assert "/glossary/: leaves the site's folder /rva/" in text, text
    assert len(report.problems) == 3, text
