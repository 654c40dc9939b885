"""MkDocs hook: serve KaTeX (from node_modules) and our own CSS/JS from the site itself.

No page asks a third-party host for anything: math fonts and scripts come from our own origin.
A page with math preloads every KaTeX font its formulas use (site_src/math_fonts.py), so that text laid
out before they arrive does not reflow when they do (Lighthouse measured a layout shift of 0.19 on
lesson 3 with no preloads, and 0.07 on lesson 5 when its large delimiters' font was not preloaded).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from site_src.css_trim import class_names, without_classes
from site_src.math_fonts import font_rules, fonts_used

_REPO = Path(__file__).resolve().parents[2]
_KATEX = _REPO / "node_modules" / "katex" / "dist"
_OWN = _REPO / "site_src" / "assets"
_BUILT = _REPO / "build" / "site-assets"  # what the hooks make: the joined stylesheet, the patched bundle
_KATEX_CSS = _KATEX / "katex.min.css"  # the math is typeset at build time (hooks/math.py): only its style and fonts
# Our stylesheets, kept apart by concern, are served as one file: each is tiny, and each separate <link>
# was another render-blocking request (Lighthouse counted 160-310 ms each on a throttled phone).
_STYLESHEETS = ("site.css", "notebooks.css", "picker.css", "claims.css", "a11y.css")
STYLESHEET = "assets/site/style.css"  # mkdocs.yml's extra_css names it
# Material's two stylesheets (main, then palette) and KaTeX's join that file too, in the order they had
# as links, so that a page waits for one stylesheet (a notebook page for one more, hooks/notebooks.py).
_MATERIAL_SHEET = re.compile(r"assets/stylesheets/(main|palette)\.[0-9a-f]+\.min\.css")
_MATERIAL_LINK = re.compile(r'\s*<link rel="stylesheet" href="[^"]*assets/stylesheets/(?:main|palette)\.[0-9a-f]+'
                            r'\.min\.css">')
# Material styles features that mkdocs.yml may leave off. The browser tests every selector whose last
# part has no class or tag of its own against every element, at every restyle: the content tabs'
# 150 selectors were 40% of the time a lesson spent matching selectors (Chromium's selector statistics,
# lesson 5). A feature's rules go, named by the prefix of its classes, when its extension is off.
_OPTIONAL_FEATURES = {"pymdownx.tabbed": "tabbed-"}
# Material turns transitions off while it switches the colour scheme, with a rule on every element below
# an attribute of <body>. It sets that attribute as each page starts, so the rule made the browser
# restyle the whole page twice (about 0.4 s on a throttled phone, most of Material's start-up). A
# switch to dark mode now fades colours over Material's own transition times (a quarter second).
_SWITCHING = "[data-md-color-switching] *,[data-md-color-switching] :after,[data-md-color-switching] :before" \
             "{transition-duration:0s!important}"
# mkdocs-quiz inlines its stylesheet (10 KB) and script (44 KB) into every page, quizzes or not; served
# as files instead, they are downloaded once and cached (site_src/hooks/quizzes.py swaps the references in).
# Its stylesheet goes first in ours, so that our fixes to its colours (site.css) come after it.
_QUIZ = Path(str(resources.files("mkdocs_quiz")))
QUIZ_SCRIPT = "assets/quiz/quiz.js"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if not _KATEX_CSS.exists():
        raise PluginError(
            f"{_KATEX} is missing: KaTeX is not installed. Run `npm ci` (`make site` does it for you)."
        )
    for source in sorted((_KATEX / "fonts").iterdir()):
        uri = f"assets/katex/{source.relative_to(_KATEX).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    for source in sorted(path for path in _OWN.rglob("*") if path.is_file()):  # panels/ holds the panels' code
        if source.parent == _OWN and source.name in _STYLESHEETS:
            continue
        uri = f"assets/site/{source.relative_to(_OWN).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    files.append(File.generated(config, QUIZ_SCRIPT, abs_src_path=str(_QUIZ / "js" / "quiz.js")))
    parts = _stylesheet_parts(files, config)
    combined = "\n".join(f"/* ---- {label} ---- */\n{css}" for label, css in parts)
    files.append(built_asset(config, STYLESHEET, combined))
    return files


def built_asset(config: MkDocsConfig, uri: str, text: str) -> File:
    """A file the hooks make for the site at `uri`, written under build/site-assets/ first:
    mkdocs-static-i18n handles only files that have a source path."""
    target = _BUILT / PurePosixPath(uri).name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:  # an unchanged file keeps its time
        target.write_text(text, encoding="utf-8")
    return File.generated(config, uri, abs_src_path=str(target))


def _stylesheet_parts(files: Files, config: MkDocsConfig) -> list[tuple[str, str]]:
    """(label, CSS) for each stylesheet that STYLESHEET joins, in cascade order."""
    katex = _KATEX_CSS.read_text(encoding="utf-8").replace("url(fonts/", "url(../katex/fonts/")
    parts = [("KaTeX's katex.min.css, its fonts in assets/katex/fonts", katex),
             ("mkdocs-quiz's css/quiz.css", (_QUIZ / "css" / "quiz.css").read_text(encoding="utf-8"))]
    parts += [(f"site_src/assets/{name}", (_OWN / name).read_text(encoding="utf-8")) for name in _STYLESHEETS]
    if config.theme.name != "material":  # the tests' small sites in MkDocs' own theme
        return parts
    sheets = {match[1]: file for file in files if (match := _MATERIAL_SHEET.fullmatch(file.src_uri))}
    if "main" not in sheets or (_has_palette(config) and "palette" not in sheets):
        raise PluginError(f"site_src/hooks/assets.py expects Material's main stylesheet and, with a palette, "
                          f"its palette stylesheet; found {sorted(file.src_uri for file in sheets.values())}. "
                          "Has Material changed? Update _MATERIAL_SHEET there.")
    main = Path(sheets["main"].abs_src_path).read_text(encoding="utf-8")
    absent = {name for extension, prefix in _OPTIONAL_FEATURES.items()
              if extension not in config.markdown_extensions
              for name in class_names(main) if name.startswith(prefix)}
    material = [(f"Material's {sheets['main'].src_uri}, without the rules of {sorted(_OPTIONAL_FEATURES)} "
                 "when mkdocs.yml leaves them off", without_classes(main, absent))]
    if _has_palette(config):  # Material ships the palette stylesheet always, but links it only then
        palette = Path(sheets["palette"].abs_src_path).read_text(encoding="utf-8")
        if _SWITCHING not in palette:
            raise PluginError("Material's palette stylesheet no longer has the rule site_src/hooks/assets.py "
                              "drops (_SWITCHING there); has Material changed? Update _SWITCHING to match.")
        label = f"Material's {sheets['palette'].src_uri}, without its transition switch"
        material.append((label, palette.replace(_SWITCHING, "")))
    return material + parts


def _has_palette(config: MkDocsConfig) -> bool:
    """Whether the theme links Material's palette stylesheet (it does when mkdocs.yml sets a palette)."""
    return config.theme.name == "material" and bool(config.theme.get("palette"))


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = _without_material_links(output, page.file.src_uri, config)
    if 'class="arithmatex' not in output:  # "arithmatex" or "arithmatex rva-short" (site_src/math.py)
        return output
    links = "".join(
        f'<link rel="preload" href="{get_relative_url(f"assets/katex/fonts/{name}", page.url)}" as="font" '
        f'type="font/woff2" crossorigin>'
        for name in fonts_used(output, _katex_font_rules(), _katex_fonts())
    )
    return output.replace("</head>", f"{links}\n</head>", 1)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page, which MkDocs renders from its template alone, links the joined stylesheet too."""
    return _without_material_links(output, template_name, config) if template_name == "404.html" else output


def _without_material_links(output: str, source: str, config: MkDocsConfig) -> str:
    """A page without its links to Material's stylesheets, which STYLESHEET holds."""
    output, links = _MATERIAL_LINK.subn("", output)
    expected = (config.theme.name == "material") + _has_palette(config)
    if links != expected:
        raise PluginError(f"{source}: {links} of Material's {expected} stylesheet links were found, so "
                          "site_src/hooks/assets.py cannot serve them inside assets/site/style.css. Has "
                          "Material's template changed? Update _MATERIAL_LINK there.")
    return output


@cache
def _katex_font_rules() -> list[tuple[frozenset[str], str]]:
    return font_rules(_KATEX_CSS.read_text(encoding="utf-8"))


@cache
def _katex_fonts() -> set[str]:
    return {path.name for path in (_KATEX / "fonts").glob("*.woff2")}
