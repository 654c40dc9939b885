"""MkDocs hook: serve KaTeX (from node_modules) and our own CSS/JS from the site itself.

No page asks a third-party host for anything: math fonts and scripts come from our own origin.
A page with math preloads every KaTeX font its formulas use (site_src/math_fonts.py), so that text laid
out before they arrive does not reflow when they do (Lighthouse measured a layout shift of 0.19 on
lesson 3 with no preloads, and 0.07 on lesson 5 when its large delimiters' font was not preloaded).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from site_src.math_fonts import font_rules, fonts_used

_REPO = Path(__file__).resolve().parents[2]
_KATEX = _REPO / "node_modules" / "katex" / "dist"
_OWN = _REPO / "site_src" / "assets"
_BUILT = _REPO / "build" / "site-assets"  # what this hook makes from _OWN
_KATEX_FILES = ("katex.min.css",)  # the math is typeset at build time (hooks/math.py): only its style and fonts
# Our stylesheets, kept apart by concern, are served as one file: each is tiny, and each separate <link>
# was another render-blocking request (Lighthouse counted 160-310 ms each on a throttled phone).
_STYLESHEETS = ("site.css", "notebooks.css", "picker.css", "claims.css", "a11y.css")
STYLESHEET = "assets/site/style.css"  # mkdocs.yml's extra_css names it
# mkdocs-quiz inlines its stylesheet (10 KB) and script (44 KB) into every page, quizzes or not; served
# as files instead, they are downloaded once and cached (site_src/hooks/quizzes.py swaps the references in).
# Its stylesheet goes first in ours, so that our fixes to its colours (site.css) come after it.
_QUIZ = Path(str(resources.files("mkdocs_quiz")))
QUIZ_SCRIPT = "assets/quiz/quiz.js"


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
    files.append(File.generated(config, QUIZ_SCRIPT, abs_src_path=str(_QUIZ / "js" / "quiz.js")))
    parts = [("mkdocs-quiz's css/quiz.css", _QUIZ / "css" / "quiz.css")]
    parts += [(f"site_src/assets/{name}", _OWN / name) for name in _STYLESHEETS]
    combined = "\n".join(f"/* ---- {label} ---- */\n{path.read_text(encoding='utf-8')}" for label, path in parts)
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
        for name in fonts_used(output, _katex_font_rules(), _katex_fonts())
    )
    return output.replace("</head>", f"{links}\n</head>", 1)


@cache
def _katex_font_rules() -> list[tuple[frozenset[str], str]]:
    return font_rules((_KATEX / "katex.min.css").read_text(encoding="utf-8"))


@cache
def _katex_fonts() -> set[str]:
    return {path.name for path in (_KATEX / "fonts").glob("*.woff2")}
