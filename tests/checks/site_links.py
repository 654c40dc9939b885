"""A link and anchor checker for the built site, read from its folder as a static host would serve it.

Each HTML page is parsed once; every link it holds (a, link, img, script, source, iframe, object, and
url(...) in the site's stylesheets) is resolved as the browser would, with the site deployed under a
sub-path (PREFIX), and must reach a file of the site; a link with a #fragment must find that id or
name on its target page. LinkChecker did this over HTTP before, but it fetched and parsed a page
again for every anchor linked to it: with two languages that took more than ten minutes on CI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HOST = "http://site.test"
_LINK_ATTRIBUTES = {"a": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
                    "source": ("src",), "iframe": ("src",), "object": ("data",), "use": ("href",)}
_SRCSET = re.compile(r"\s*([^\s,]+)(?:\s+[^,]*)?,?")
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_NOT_FETCHED = ("data:", "javascript:", "mailto:", "tel:", "blob:", "about:")


@dataclass(frozen=True)
class Link:
    page: str  # the page's path below the site's root, '' for the home page
    line: int
    target: str  # as written in the page


@dataclass
class LinkReport:
    problems: list[str] = field(default_factory=list)  # 'page:line: link: what is wrong'
    external: list[str] = field(default_factory=list)  # 'url (on page)', one per external link, not fetched
    checked: int = 0  # how many links were resolved


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag != "meta" else ():
            if values.get(name):
                self.anchors.add(values[name])
        line = self.getpos()[0]
        for attribute in _LINK_ATTRIBUTES.get(tag, ()):
            if values.get(attribute) is not None:
                self.links.append((line, values[attribute]))
        if values.get("srcset"):
            self.links.extend((line, url) for url in _SRCSET.findall(values["srcset"]) if url)

    handle_startendtag = handle_starttag


@dataclass(frozen=True)
class _Parsed:
    anchors: frozenset[str]
    links: tuple[tuple[int, str], ...]


@cache
def _parse(file: Path) -> _Parsed:
    if file.suffix == ".css":
        text = file.read_text(encoding="utf-8")
        return _Parsed(frozenset(), tuple((text.count("\n", 0, m.start()) + 1, m[1]) for m in _CSS_URL.finditer(text)))
    parser = _PageParser()
    parser.feed(file.read_text(encoding="utf-8"))
    parser.close()
    return _Parsed(frozenset(parser.anchors), tuple(parser.links))


def _file_for(site: Path, path: str) -> Path | None:
    """The file a static host serves at `path` (below the site's root), or None: a 404."""
    candidate = site / unquote(path)
    if path.endswith("/") or path == "":
        candidate = candidate / "index.html"
    elif candidate.is_dir():
        candidate = candidate / "index.html"  # the host redirects x to x/
    return candidate if candidate.is_file() else None


def check_links(site: Path, pages: list[str], prefix: str) -> LinkReport:
    """Every link of the pages at `pages` (paths below the site's root, as page_paths gives them) and of
    the stylesheets they load, resolved with the site served at `prefix` ('/rva/')."""
    base = HOST + prefix
    report = LinkReport()
    external: set[str] = set()
    stylesheets: set[str] = set()

    def check(where: str, line: int, target: str, page_url: str) -> None:
        report.checked += 1
        if target.startswith(_NOT_FETCHED):
            return
        url = urljoin(page_url, target)
        if not url.startswith(HOST + "/"):
            external.add(f"{url} (on {where or 'the home page'})")
            return
        place = f"{where or '(home)'}:{line}: {target}"
        if not url.startswith(base):
            report.problems.append(f"{place}: leaves the site's folder {prefix}; use a relative link")
            return
        parts = urlsplit(url)
        path = parts.path[len(prefix):]
        file = _file_for(site, path)
        if file is None:
            report.problems.append(f"{place}: 404, no file {path or 'index.html'} in the site")
            return
        if file.suffix == ".css":
            stylesheets.add(file.relative_to(site).as_posix())
        fragment = unquote(parts.fragment)
        if fragment and file.suffix == ".html" and fragment not in _parse(file).anchors:
            report.problems.append(f"{place}: anchor #{fragment} not found on {path or 'the home page'}")

    for page in pages:
        file = _file_for(site, page)
        if file is None:
            report.problems.append(f"{page}: the page itself is missing")
            continue
        for line, target in _parse(file).links:
            check(page, line, target, base + page)
    done: set[str] = set()
    while stylesheets - done:  # a stylesheet's links, and those of any stylesheet it imports
        sheet = min(stylesheets - done)
        done.add(sheet)
        for line, target in _parse(site / sheet).links:
            check(sheet, line, target, base + sheet)
    report.problems = sorted(set(report.problems))
    report.external = sorted(external)
    return report
