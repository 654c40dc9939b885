"""MkDocs hook: when Material's own script runs, what it may fetch before the reader asks, and one thing
it no longer does.

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

As it starts, the bundle adds a `<meta name="color-scheme">` to the head and then fills it in. Chromium
takes each of those two changes as a change of the system's colours and restyles every element of the
page: two full restyles, 50-190 ms each on a throttled phone on an exercise page (Chromium's
invalidation tracking names them). The bundle is served with that meta left out of the document, and
site.css gives the root element the colour scheme the meta would have given it: dark scrollbars and
form controls in the dark palette.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from site_src.hooks.assets import built_asset

_BUNDLE = re.compile(r'<script src="(?P<src>[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')
_NO_JS = re.compile(r'<html[^>]* class="no-js"')
SEARCH_ON_DEMAND = "assets/site/search_on_demand.js"
JS_CLASS = '<script>document.documentElement.classList.replace("no-js", "js")</script>'
_BUNDLE_FILE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")
# The palette component's two statements in Material's minified bundle (mkdocs-material is pinned in
# requirements.txt); the meta element is still made, and filled in, but never joins the document.
_COLOR_SCHEME_META = re.compile(r'(let (\w+)=\w+\("meta",\{name:"color-scheme"\}\);)document\.head\.appendChild\(\2\);')


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Material's bundle, served without its color-scheme meta (the module's docstring says why)."""
    if config.theme.name != "material":  # the tests' small sites in MkDocs' own theme
        return files
    bundles = [file for file in files if _BUNDLE_FILE.fullmatch(file.src_uri)]
    if len(bundles) != 1:
        raise PluginError(f"site_src/hooks/theme_scripts.py expects one Material bundle, found "
                          f"{[file.src_uri for file in bundles]}. Has Material changed? Update _BUNDLE_FILE there.")
    bundle = bundles[0]
    source = Path(bundle.abs_src_path).read_text(encoding="utf-8")
    patched, found = _COLOR_SCHEME_META.subn(r"\1", source)
    if found != 1:
        raise PluginError("Material's bundle no longer adds its color-scheme meta as "
                          "site_src/hooks/theme_scripts.py expects (_COLOR_SCHEME_META there); has Material "
                          "changed? Update the pattern, or drop it and the html rule in site.css.")
    files.remove(bundle)
    files.append(built_asset(config, bundle.src_uri, patched))
    return files


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
