"""Which pages the built site has, and which hosts count as its own, for the browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def page_paths(site: Path) -> list[str]:
    """URL paths, relative to the site root, of every HTML page in the built site.

    404.html is left out: with no site_url set, Material renders it with root-absolute links
    (/assets/...) because it cannot know at which URL the host will serve it, so it only works when the
    site sits at the root of its domain, and these tests serve the site under a sub-path.
    """
    paths = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        if relative == "404.html":
            continue
        paths.append(relative.removesuffix("index.html"))  # directory URLs, as the nav links them
    return paths


def bring_into_view(element: Locator) -> None:
    """Scroll `element` into view and let two frames pass, as a reader scrolling to it would.

    An off-screen block may skip rendering (content-visibility, site_src/assets/site.css) until it nears
    the viewport; until then it has no box and an empty innerText.
    """
    element.scroll_into_view_if_needed()
    element.page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
