// Exercise notebooks: hide each solution behind a "Show the solution" disclosure, closed by default.
//
// A notebook cell tagged "solution" (jupytext: `# %% tags=["solution"]`) reaches the HTML as a
// `celltag_solution` class, which nbconvert's templates write from the cell's tags: on the cell itself
// for a code cell, on the rendered Markdown inside it for a Markdown cell. Consecutive solution cells
// (the code, then the explanation) share one <details>, so a reader opens a solution once.
// <details>/<summary> is keyboard accessible without any script: Tab reaches the summary, Enter or
// Space opens it.

const SOLUTION = "celltag_solution";

function isSolution(cell) {
  return cell.classList.contains(SOLUTION) || cell.querySelector(`.${SOLUTION}`) !== null;
}

function wrapSolutions(notebook) {
  let details = null;
  for (const cell of [...notebook.children]) {
    if (!cell.classList.contains("jp-Cell") || !isSolution(cell)) {
      details = null;  // any other cell ends the current solution
      continue;
    }
    if (details === null) {
      details = document.createElement("details");
      details.className = "rva-solution";
      const summary = document.createElement("summary");
      summary.textContent = document.documentElement.lang.startsWith("zh") ? "显示答案" : "Show the solution";
      details.append(summary);
      cell.before(details);
    }
    details.append(cell);
  }
}

// document$ emits on the first load and after every instant navigation, with a fresh page body.
document$.subscribe(() => {
  for (const notebook of document.querySelectorAll(".jupyter-wrapper .jp-Notebook")) {
    wrapSolutions(notebook);
  }
});
