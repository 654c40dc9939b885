"""Each run of solution cells behind one closed disclosure, built into the page (site_src/solutions.py)."""

import pytest

from site_src.solutions import UnbalancedNotebook, wrap_solutions

CODE = '<div class="jp-Cell jp-CodeCell">\n<div class="highlight"><pre>x = 1</pre></div>\n</div>'
SOLUTION = '<div class="jp-Cell jp-CodeCell celltag_solution" id="nb-cell-2"><div><pre>y = 2</pre></div></div>'
EXPLAINED = ('<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedMarkdown celltag_solution">'
             '<p>Because <br>y is 2.</p></div></div>')
SUMMARY = '<details class="rva-solution"><summary>Show the solution</summary>'


def notebook(*cells: str) -> str:
    return '<div class="jupyter-wrapper"><div class="jp-Notebook" data-x="1">' + "\n".join(cells) + "</div></div>"


def test_consecutive_solution_cells_share_one_disclosure_and_any_other_cell_ends_it() -> None:
    page = notebook(CODE, SOLUTION, EXPLAINED, CODE, SOLUTION)
    wrapped = wrap_solutions(page, "Show the solution")
    assert wrapped == notebook(CODE, f"{SUMMARY}{SOLUTION}\n{EXPLAINED}</details>", CODE,
                               f"{SUMMARY}{SOLUTION}</details>")


def test_a_page_without_solutions_is_unchanged_and_the_summary_is_escaped() -> None:
    assert wrap_solutions(notebook(CODE, CODE), "x") == notebook(CODE, CODE)
    assert "<summary>A &lt;b&gt;</summary>" in wrap_solutions(notebook(SOLUTION), "A <b>")


def test_a_notebook_whose_tags_do_not_balance_is_an_error() -> None:
    with pytest.raises(UnbalancedNotebook):
        wrap_solutions('<div class="jp-Notebook"><div class="jp-Cell celltag_solution"><div>', "x")
