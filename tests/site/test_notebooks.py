"""Exercise notebooks (docs/exercises/*.py, jupytext py:percent): every cell runs, solutions included;
every exercise has a starter and a solution; the site renders each notebook and offers it as an .ipynb."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jupytext
import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from tests.conftest import REPO

EXERCISES = REPO / "docs" / "exercises"
NOTEBOOKS = sorted(EXERCISES.glob("*.py"))
CELL_TIMEOUT_S = 60  # each cell is meant to take seconds; a minute means it hangs
SOLUTION = "solution"  # the cell tag that site_src/solutions.py puts behind "Show the solution"
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours of IPython's tracebacks


def shown(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def is_solution(cell: nbformat.NotebookNode) -> bool:
    return SOLUTION in cell.metadata.get("tags", [])


EXERCISE_HEADING = ("Exercise ", "练习 ")  # how an exercise's heading starts, in English and in Chinese
EXERCISES_SECTION = re.compile(r"^## (?:Exercises|练习)(?: \{ #exercises \})?\n(.*?)(?=^## |\Z)", re.S | re.M)


def exercises(notebook: nbformat.NotebookNode) -> dict[str, list[nbformat.NotebookNode]]:
    """Each 'Exercise ...' ('练习 ...') heading of level 1 or 2, with the cells after it up to the next one."""
    found: dict[str, list[nbformat.NotebookNode]] = {}
    current: list[nbformat.NotebookNode] | None = None
    for cell in notebook.cells:
        heading = re.match(r"#{1,2} (.*)", cell.source) if cell.cell_type == "markdown" else None
        if heading:
            current = found.setdefault(heading[1], []) if heading[1].startswith(EXERCISE_HEADING) else None
        elif current is not None:
            current.append(cell)
    return found


def lesson_exercise_count(notebook: Path) -> int:
    """How many numbered items the "## Exercises" section of the notebook's lesson (same name) has."""
    lessons = REPO / "docs" / "lessons"
    candidates = [lessons / f"{notebook.stem}.md", lessons / notebook.stem / "index.md"]
    lesson = next((c for c in candidates if c.is_file()), None)
    assert lesson, f"{shown(notebook)}: no lesson of the same name ({', '.join(shown(c) for c in candidates)})"
    section = EXERCISES_SECTION.search(lesson.read_text())
    assert section, f"{shown(lesson)} has no '## Exercises' section"
    return len(re.findall(r"^\d+\. ", section[1], re.M))


def test_there_are_exercise_notebooks():
    assert NOTEBOOKS, f"no notebooks in {shown(EXERCISES)}"


# ---- the notebooks themselves ----------------------------------------------------------------------

@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_cell_of_the_notebook_runs_solutions_included(notebook: Path, tmp_path: Path):
    nb = jupytext.read(notebook)
    # No kernel directories: jupyter_client then falls back on ipykernel's own spec, which runs this very
    # interpreter (the venv's), whatever kernels are installed for the user or the system.
    kernels = KernelSpecManager(kernel_dirs=[])
    client = NotebookClient(
        nb, km=KernelManager(kernel_name="python3", kernel_spec_manager=kernels),
        timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(tmp_path)}},  # files it writes go there
    )
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
                pytest.fail(f"{shown(notebook)}: cell {index} failed:\n{ANSI.sub('', str(err))}", pytrace=False)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_exercise_has_a_starter_cell_and_a_solution_cell(notebook: Path):
    found = exercises(jupytext.read(notebook))
    assert found, f"{shown(notebook)}: no '## Exercise ...' headings"
    for title, cells in found.items():
        code = [cell for cell in cells if cell.cell_type == "code"]
        assert any(not is_solution(cell) for cell in code), f"{shown(notebook)}: '{title}' has no starter cell"
        assert any(is_solution(cell) for cell in code), \
            f"{shown(notebook)}: '{title}' has no code cell tagged {SOLUTION!r} (# %% tags=[\"{SOLUTION}\"])"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_notebook_has_one_exercise_per_item_of_its_lessons_exercise_list(notebook: Path):
    assert len(exercises(jupytext.read(notebook))) == lesson_exercise_count(notebook)


# ---- the built site --------------------------------------------------------------------------------

def page_url(notebook: Path) -> str:
    """exercises/01-two-ways/, or zh/exercises/01-two-ways/ for the translation 01-two-ways.zh.py."""
    stem = notebook.stem
    return f"zh/exercises/{stem.removesuffix('.zh')}/" if stem.endswith(".zh") else f"exercises/{stem}/"


def page_html(built_site, notebook: Path) -> str:
    page = built_site.site / page_url(notebook) / "index.html"
    assert page.is_file(), f"{shown(notebook)} was not rendered to {page_url(notebook)}"
    return page.read_text()


def site_file(built_site, url: str) -> Path:
    path = built_site.site / urlsplit(url).path
    return path / "index.html" if url.endswith("/") else path


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_site_renders_the_notebook_with_its_solution_cells_behind_a_closed_disclosure(built_site, notebook: Path):
    html = page_html(built_site, notebook)
    assert '<div class="jupyter-wrapper">' in html
    # site_src/solutions.py finds solution cells by this class, which nbconvert writes from the cell's tags
    solution = re.search(rf'<details class="rva-solution"><summary>[^<]+</summary><div class="jp-Cell jp-CodeCell'
                         rf'[^"]*\bcelltag_{SOLUTION}\b', html)
    assert solution, "no solution cell sits in a <details> of its own"
    assert "solutions.js" not in html


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_notebook_page_offers_the_ipynb_for_download(built_site, notebook: Path):
    html = page_html(built_site, notebook)
    links = re.findall(rf'<a [^>]*href="([^"]*\b{re.escape(notebook.stem)}\.ipynb)"', html)
    assert links, f"no link to {notebook.stem}.ipynb on {page_url(notebook)}"
    for link in links:
        target = site_file(built_site, urljoin(page_url(notebook), link))
        assert target.is_file(), f"the download link {link} points at nothing"
        downloaded = nbformat.read(target, as_version=4)
        nbformat.validate(downloaded)
        assert [c.source for c in downloaded.cells] == [c.source for c in jupytext.read(notebook).cells]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_relative_link_in_the_notebook_resolves_in_the_built_site(built_site, notebook: Path):
    # mkdocs-jupyter renders Markdown with nbconvert, so MkDocs neither rewrites nor checks these links:
    # a notebook must link to the built page (../../lessons/NN-slug/), not to the .md source.
    html = page_html(built_site, notebook)
    wrapper = html[html.index('<div class="jupyter-wrapper">'):]
    links = [link for link in re.findall(r'<a [^>]*href="([^"#]+)[^"]*"', wrapper) if not urlsplit(link).scheme]
    assert links, f"{shown(notebook)} links nowhere (its introduction should link to its lesson)"
    for link in links:
        assert site_file(built_site, urljoin(page_url(notebook), link)).is_file(), f"{shown(notebook)}: {link}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_notebook_page_loads_no_script_or_stylesheet_from_another_host(built_site, notebook: Path):
    html = page_html(built_site, notebook)
    remote = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]*)"', html)
    assert not remote, f"{page_url(notebook)} loads from other hosts: {remote}"
    assert "require.js" not in html and "require.min.js" not in html, "mkdocs-jupyter's include_requirejs is on"
