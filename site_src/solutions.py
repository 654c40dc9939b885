"""Exercise notebooks: each solution behind a "Show the solution" disclosure, closed, in the built page.

A notebook cell tagged "solution" (jupytext: `# %% tags=["solution"]`) reaches the HTML with a
`celltag_solution` class, which nbconvert's templates write from the cell's tags: on the cell itself for
a code cell, on the rendered Markdown inside it for a Markdown cell. Consecutive solution cells (the
code, then the explanation) share one <details>, so that a reader opens a solution once.

This was a script that moved the cells as each page started; in the browser that restyled the whole
notebook (130 ms on a throttled phone) after it had been drawn once. Built into the page, the
disclosure needs no script, and without JavaScript the solutions are hidden too. <details>/<summary>
is keyboard accessible by itself: Tab reaches the summary, Enter or Space opens it.
"""

from __future__ import annotations

import html as html_text
import re

from site_src.html_elements import top_level_elements

_NOTEBOOK = re.compile(r'<div class="jp-Notebook"[^>]*>')
_CELL = re.compile(r'<div class="jp-Cell\b')
_SOLUTION = re.compile(r'class="[^"]*\bcelltag_solution\b')


class UnbalancedNotebook(ValueError):
    """The notebook's HTML has tags that do not balance, so its cells cannot be told apart."""


def wrap_solutions(html: str, summary: str) -> str:
    """`html` with each run of consecutive solution cells of its notebooks in a closed <details>."""
    pieces, done = [], 0
    for notebook in _NOTEBOOK.finditer(html):
        cells = top_level_elements(html, notebook.end())
        if cells is None:
            raise UnbalancedNotebook("the notebook's HTML does not balance, so its solution cells cannot be found")
        for run in _solution_runs(html, cells):
            pieces += [html[done:run[0].start],
                       f'<details class="rva-solution"><summary>{html_text.escape(summary)}</summary>',
                       html[run[0].start:run[-1].end], "</details>"]
            done = run[-1].end
    return "".join(pieces) + html[done:]


def _solution_runs(html: str, cells):
    """Lists of consecutive cells that are solutions; any other cell ends a run."""
    run = []
    for cell in cells:
        text = html[cell.start:cell.end]
        if _CELL.match(text) and _SOLUTION.search(text):
            run.append(cell)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run
