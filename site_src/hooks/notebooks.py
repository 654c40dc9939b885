"""MkDocs hook: every exercise notebook's page offers the notebook as an .ipynb download.

mkdocs-jupyter renders docs/exercises/*.py (jupytext py:percent) as pages. Its include_source option
copies the .py itself beside the page, and Material shows no button for it (page.nb_url is only read
by a custom template), so this hook converts the notebook to .ipynb next to its page and puts a
download button at the top of the page, where Material puts its other page actions.
"""

from __future__ import annotations

import html
from pathlib import Path, PurePosixPath

import jupytext
import material
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from site_src.language import build_language, message

NOTEBOOKS = PurePosixPath("exercises")  # under docs/; mkdocs.yml's mkdocs-jupyter include matches it
_ICON = Path(material.__file__).parent / "templates" / ".icons" / "material" / "download.svg"

# ---- hooks -----------------------------------------------------------------------------------------


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not _is_notebook(page):
        return content
    name = html.escape(_ipynb_name(page))
    button = (f'<a href="{name}" download class="md-content__button md-icon rva-notebook-download" '
              f'title="{html.escape(message("download_notebook", build_language(config), name=name))}">'
              f'{_ICON.read_text()}</a>')
    return button + content


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if _is_notebook(page):
        target = Path(page.file.abs_dest_path).parent / _ipynb_name(page)
        target.parent.mkdir(parents=True, exist_ok=True)  # MkDocs writes the page itself only after this hook
        notebook = jupytext.read(page.file.abs_src_path)
        for index, cell in enumerate(notebook.cells):
            cell.id = f"cell-{index}"  # nbformat draws random ids; numbered ones keep builds byte-identical
        jupytext.write(notebook, target, fmt="ipynb")
    return output


# ---- helpers ---------------------------------------------------------------------------------------


def _is_notebook(page: Page) -> bool:
    source = PurePosixPath(page.file.src_uri)
    return source.parent == NOTEBOOKS and source.suffix == ".py"


def _ipynb_name(page: Page) -> str:
    return PurePosixPath(page.file.src_uri).with_suffix(".ipynb").name
