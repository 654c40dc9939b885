"""MkDocs hook: when Material's own script runs, and what it may fetch before the reader asks.

Material's template puts its bundle (110 KB) at the end of the body as a plain script, so the browser
parses and runs it before it may paint anything below it; Lighthouse counted it as render-blocking on
every page. Deferred, it runs after the page is parsed and still before DOMContentLoaded, which is
when Material starts (its document$ observable), and before our own deferred scripts, which follow it.

Just before the bundle goes site_src/assets/search_on_demand.js, which holds back the search index
download until the reader shows they are about to search.

The bundle's first act is to swap the page's `no-js` class for `js`, which shows the search box and
its button. Deferred, that would come after the first paint, and the header's buttons would jump
aside as the search box appeared (a layout shift on every page). A one-line script in the head makes
the swap before anything is drawn; without JavaScript the class stays and the search box stays hidden.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

_BUNDLE = re.compile(r'<script src="(?P<src>[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')
_NO_JS = re.compile(r'<html[^>]* class="no-js"')
SEARCH_ON_DEMAND = "assets/site/search_on_demand.js"
JS_CLASS = '<script>document.documentElement.classList.replace("no-js", "js")</script>'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    found = _BUNDLE.search(output)
    if found is None:
        raise PluginError(f"{page.file.src_uri}: Material's bundle script tag was not found in the page, so "
                          "site_src/hooks/theme_scripts.py cannot defer it. Has Material's template changed? "
                          "Update _BUNDLE there to match it.")
    hold = get_relative_url(SEARCH_ON_DEMAND, page.url)
    scripts = f'<script src="{hold}" defer></script>\n<script src="{found["src"]}" defer></script>'
    output = output[:found.start()] + scripts + output[found.end():]
    if _NO_JS.search(output) is None or "</head>" not in output:
        raise PluginError(f"{page.file.src_uri}: the page has no <html class=\"no-js\"> or no </head>, so "
                          "site_src/hooks/theme_scripts.py cannot swap the class before the first paint. "
                          "Has Material's template changed?")
    return output.replace("</head>", f"{JS_CLASS}\n</head>", 1)
