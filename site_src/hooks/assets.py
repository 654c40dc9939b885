"""MkDocs hook: serve KaTeX (from node_modules) and our own CSS/JS from the site itself.

No page asks a third-party host for anything: math fonts and scripts come from our own origin.
Pages with math preload KaTeX's two commonest fonts, so that text laid out before they arrive does not
reflow when they do (Lighthouse measured a layout shift of 0.19 on lesson 3 without it).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

_REPO = Path(__file__).resolve().parents[2]
_KATEX = _REPO / "node_modules" / "katex" / "dist"
_OWN = _REPO / "site_src" / "assets"
_BUILT = _REPO / "build" / "site-assets"  # what this hook makes from _OWN
_KATEX_FILES = ("katex.min.css",)  # the math is typeset at build time (hooks/math.py): only its style and fonts
# Our stylesheets, kept apart by concern, are served as one file: each is tiny, and each separate <link>
# was another render-blocking request (Lighthouse counted 160-310 ms each on a throttled phone).
_STYLESHEETS = ("site.css", "notebooks.css", "picker.css", "claims.css", "a11y.css")
STYLESHEET = "assets/site/style.css"  # mkdocs.yml's extra_css names it
_PRELOADED_FONTS = ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2")  # used by almost any formula


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if not all((_KATEX / name).exists() for name in _KATEX_FILES):  # what this hook serves from KaTeX
        raise PluginError(
            f"{_KATEX} is missing: KaTeX is not installed. Run `npm ci` (`make site` does it for you)."
        )
    sources = [_KATEX / name for name in _KATEX_FILES] + sorted((_KATEX / "fonts").iterdir())
    for source in sources:
        uri = f"assets/katex/{source.relative_to(_KATEX).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    for source in sorted(path for path in _OWN.rglob("*") if path.is_file()):  # panels/ holds the panels' code
        if source.parent == _OWN and source.name in _STYLESHEETS:
            continue
        uri = f"assets/site/{source.relative_to(_OWN).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    combined = "\n".join(f"/* ---- site_src/assets/{name} ---- */\n{(_OWN / name).read_text(encoding='utf-8')}"
                         for name in _STYLESHEETS)
    # written to a file: mkdocs-static-i18n handles only files that have a source path
    target = _BUILT / "style.css"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != combined:  # an unchanged file keeps its time
        target.write_text(combined, encoding="utf-8")
    files.append(File.generated(config, STYLESHEET, abs_src_path=str(target)))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if 'class="arithmatex' not in output:  # "arithmatex" or "arithmatex rva-short" (site_src/math.py)
        return output
    links = "".join(
        f'<link rel="preload" href="{get_relative_url(f"assets/katex/fonts/{name}", page.url)}" as="font" '
        f'type="font/woff2" crossorigin>'
        for name in _PRELOADED_FONTS
    )
    return output.replace("</head>", f"{links}\n</head>", 1)
