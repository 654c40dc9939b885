"""MkDocs hook: every exercise notebook's page offers the notebook as an .ipynb download.

mkdocs-jupyter renders docs/exercises/*.py (jupytext py:percent) as pages. Its include_source option
copies the .py itself beside the page, and Material shows no button for it (page.nb_url is only read
by a custom template), so this hook converts the notebook to .ipynb next to its page and puts a
download button at the top of the page, where Material puts its other page actions.

It also makes a notebook page's ids the same at every build (nbconvert writes each cell's random
nbformat id into the HTML; they become nb-cell-N, as mkdocs-jupyter's copy buttons use cell-N) and
gives a translated notebook's headings its English notebook's anchors (site_src/notebook_headings.py),
and puts each solution behind a closed "Show the solution" disclosure (site_src/solutions.py).

It drops the MathJax and Mermaid loaders nbconvert writes, and moves the stylesheet mkdocs-jupyter
writes into every notebook page (JupyterLab's, about 600 KB,
the same on every page) into one file that a reader's browser fetches once and caches,
assets/site/notebook.css, trimmed to the rules that the notebook pages can use (site_src/css_trim.py).
"""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path, PurePosixPath

import jupytext
import material
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from site_src.css_trim import classes_in, trim
from site_src.language import DEFAULT, build_language, message
from site_src.notebook_headings import HeadingMismatch, borrow_anchors, english_headings
from site_src.solutions import UnbalancedNotebook, wrap_solutions
from site_src.translations import language_of, source_of

NOTEBOOKS = PurePosixPath("exercises")  # under docs/; mkdocs.yml's mkdocs-jupyter include matches it
_ICON = Path(material.__file__).parent / "templates" / ".icons" / "material" / "download.svg"
_CELL_ID = re.compile(r'(<div class="jp-Cell[^"]*" id=")cell-id=[^"]*(")')
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
# nbconvert's template loads MathJax (from an empty URL: the site typesets math with KaTeX at build time)
# and Mermaid from cdnjs for diagrams our notebooks do not have: dead weight, and a third-party host
_UNUSED_SCRIPTS = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
                             r'|<script type="module">(?:(?!</script>).)*\.jp-Mermaid(?:(?!</script>).)*</script>',
                             re.S)
NOTEBOOK_CSS = "assets/site/notebook.css"  # JupyterLab's stylesheet, shared by the notebook pages, trimmed


class _Shared:
    """What the notebook pages of a build share: the stylesheet mkdocs-jupyter gave them, the classes
    their markup uses (so the rules that can match them), and the site folders to write it into."""

    css = ""
    classes: set[str] = {"jupyter-wrapper"}
    roots: set[Path] = set()

# ---- hooks -----------------------------------------------------------------------------------------


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not is_notebook(page):
        return content
    content = _UNUSED_SCRIPTS.sub("", _shared_stylesheet(content, page))
    counter = itertools.count()
    content = _CELL_ID.sub(lambda match: f"{match[1]}nb-cell-{next(counter)}{match[2]}", content)
    source = Path(page.file.abs_src_path)
    if language_of(source) != DEFAULT:
        try:
            content = borrow_anchors(content, page.toc, english_headings(source_of(source)),
                                     f"docs/{page.file.src_uri}")
        except HeadingMismatch as err:
            raise PluginError(str(err)) from None
    try:
        content = wrap_solutions(content, message("show_solution", build_language(config)))
    except UnbalancedNotebook as err:
        raise PluginError(f"docs/{page.file.src_uri}: {err}") from None
    name = html.escape(_ipynb_name(page))
    button = (f'<a href="{name}" download class="md-content__button md-icon rva-notebook-download" '
              f'title="{html.escape(message("download_notebook", build_language(config), name=name))}">'
              f'{_ICON.read_text()}</a>')
    return button + content


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if is_notebook(page):
        target = Path(page.file.abs_dest_path).parent / _ipynb_name(page)
        target.parent.mkdir(parents=True, exist_ok=True)  # MkDocs writes the page itself only after this hook
        notebook = jupytext.read(page.file.abs_src_path)
        for index, cell in enumerate(notebook.cells):
            cell.id = f"cell-{index}"  # nbformat draws random ids; numbered ones keep builds byte-identical
        jupytext.write(notebook, target, fmt="ipynb")
        _Shared.roots.add(Path(page.file.abs_dest_path).parent.parents[len(PurePosixPath(page.url).parts) - 1])
    return output


def on_post_build(config: MkDocsConfig) -> None:
    """Write the notebooks' stylesheet, trimmed to the rules their pages can use (site_src/css_trim.py)."""
    if not _Shared.css:
        return
    css = trim(_Shared.css, _Shared.classes)
    for root in _Shared.roots:
        (root / NOTEBOOK_CSS).parent.mkdir(parents=True, exist_ok=True)
        (root / NOTEBOOK_CSS).write_text(css, encoding="utf-8")


# ---- helpers ---------------------------------------------------------------------------------------


def _shared_stylesheet(content: str, page: Page) -> str:
    """The page's content with its inline stylesheets replaced by a link to the shared one."""
    css = "\n".join(_STYLE.findall(content))
    if not css:
        return content
    if _Shared.css and css != _Shared.css:
        raise PluginError(f"docs/{page.file.src_uri}: mkdocs-jupyter gave this notebook another stylesheet "
                          "than the others; site_src/hooks/notebooks.py shares one file among them all.")
    _Shared.css = css
    _Shared.classes |= classes_in(content)
    link = f'<link rel="stylesheet" href="{html.escape(get_relative_url(NOTEBOOK_CSS, page.url))}">\n'
    return link + _STYLE.sub("", content)


def is_notebook(page: Page) -> bool:
    source = PurePosixPath(page.file.src_uri)
    return source.parent == NOTEBOOKS and source.suffix == ".py"


def _ipynb_name(page: Page) -> str:
    return PurePosixPath(page.file.src_uri).with_suffix(".ipynb").name
