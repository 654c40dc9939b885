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
_KATEX_FILES = ("katex.min.css",)  # the math is typeset at build time (hooks/math.py): only its style and fonts
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
        uri = f"assets/site/{source.relative_to(_OWN).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(source)))
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
