"""Browser fixtures: the built site served over local HTTP and one headless Chromium for the session.

The site is served under a sub-path (PREFIX), not at the server root, because that is how a project
site is usually deployed (e.g. GitHub Pages at /<repo>/): a page that only works at the root fails here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

if TYPE_CHECKING:  # only for the annotation: at run time pytest has already imported it as "conftest"
    from tests.conftest import BuiltSite

PREFIX = "/rva/"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")  # axe-core impacts that fail a test

# Debian's Chromium where apt installed it, otherwise Playwright's own (`make test` runs `playwright
# install chromium` on a machine without apt, macOS say); flags keep it from calling home (the tests check
# that every request stays on 127.0.0.1, and Chromium's own traffic would muddy that).
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")


def _chromium() -> str:
    if DEBIAN_CHROMIUM.exists():
        return str(DEBIAN_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return playwright.chromium.executable_path


CHROMIUM = _chromium()
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the site folder at PREFIX; anything outside PREFIX is a 404, like on a real host."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_deployment__")
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, format: str, *args: object) -> None:
        pass  # the tests report what matters; a line per request would drown pytest's output


@contextmanager
def serve(folder: Path, handler: type[SimpleHTTPRequestHandler] = _SiteHandler) -> Iterator[str]:
    """Serve a built site on a free port of 127.0.0.1; yields its base URL (ending in /)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """Base URL (ending in /) of the built site, served on a free port of 127.0.0.1."""
    with serve(built_site.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context, so no palette choice stored by Material leaks between tests."""
    context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
