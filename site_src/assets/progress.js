// Course progress: which lessons' quizzes a reader has answered, and how many correctly.
// mkdocs-quiz keeps each page's answers in localStorage under "quiz_progress_" + the page's path;
// assets/site/quizzes.json (written by site_src/hooks/quizzes.py) says how many quizzes each page has.
// Nothing leaves the browser.

const QUIZ_STORAGE_PREFIX = "quiz_progress_";

// The site's root, read once, when this script loads with the first page: __config's base is relative
// to that page, and Material's instant navigation changes the address without replacing __config, so
// resolving it later, against another page's address, would point somewhere else.
const SITE_BASE = (() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  return new URL(config.base.replace(/\/?$/, "/"), location.href);
})();

function siteBase() {
  return SITE_BASE;
}

function storedAnswers(pathname) {
  try {
    const quizzes = JSON.parse(localStorage.getItem(QUIZ_STORAGE_PREFIX + pathname) || "{}");
    const entries = Object.values(quizzes);
    return {
      answered: entries.filter((quiz) => quiz.answered).length,
      correct: entries.filter((quiz) => quiz.correct).length,
    };
  } catch {
    return { answered: 0, correct: 0 };  // unreadable storage counts as nothing answered
  }
}

async function courseProgress() {
  const base = siteBase();
  const response = await fetch(new URL("assets/site/quizzes.json", base));
  if (!response.ok) return [];
  const counts = await response.json();
  return Object.entries(counts).map(([url, total]) => {
    const pathname = new URL(url, base).pathname;
    return { url, pathname, total, ...storedAnswers(pathname) };
  });
}

function markNavigation(pages) {
  for (const mark of document.querySelectorAll(".rva-progress-mark")) mark.remove();
  const byPath = new Map(pages.map((page) => [page.pathname, page]));
  for (const link of document.querySelectorAll("a.md-nav__link[href]")) {
    const target = new URL(link.getAttribute("href"), location.href);
    if (target.hash) continue;  // a table-of-contents entry, not a lesson
    const page = byPath.get(target.pathname);
    if (!page || page.answered === 0) continue;
    const mark = document.createElement("span");
    const done = page.answered >= page.total;
    mark.className = "rva-progress-mark" + (done ? " rva-progress-mark--done" : "");
    mark.textContent = done ? `✓ ${page.correct}/${page.total}` : `${page.answered}/${page.total}`;
    mark.title = `Quizzes: ${page.answered} of ${page.total} answered, ${page.correct} correct`;
    link.append(mark);
  }
}

function titleOf(page) {
  const link = [...document.querySelectorAll("a.md-nav__link[href]")].find(
    (a) => new URL(a.getAttribute("href"), location.href).pathname === page.pathname,
  );
  const label = link && link.querySelector(".md-ellipsis");
  return ((label || link)?.textContent || page.url).trim().replace(/\s*✓?\s*\d+\/\d+$/, "");
}

function renderPanel(panel, pages) {
  const answered = pages.reduce((sum, page) => sum + Math.min(page.answered, page.total), 0);
  const total = pages.reduce((sum, page) => sum + page.total, 0);
  const rows = pages
    .map((page) => {
      const row = document.createElement("tr");
      const cells = [titleOf(page), `${Math.min(page.answered, page.total)} / ${page.total}`, `${page.correct}`];
      cells.forEach((text, index) => {
        const cell = document.createElement("td");
        if (index === 0) {
          const link = document.createElement("a");
          link.href = new URL(page.url, siteBase()).href;
          link.textContent = text;
          cell.append(link);
        } else {
          cell.textContent = text;
        }
        row.append(cell);
      });
      return row;
    });
  panel.replaceChildren();
  const summary = document.createElement("p");
  summary.textContent = answered
    ? `You have answered ${answered} of the course's ${total} quiz questions in this browser.`
    : `The course has ${total} quiz questions; your answers will be remembered in this browser.`;
  const table = document.createElement("table");
  table.innerHTML = "<thead><tr><th>Lesson</th><th>Answered</th><th>Correct</th></tr></thead>";
  const body = document.createElement("tbody");
  body.append(...rows);
  table.append(body);
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "md-button rva-progress-reset";
  reset.textContent = "Forget all my answers";
  reset.addEventListener("click", () => {
    for (const page of pages) localStorage.removeItem(QUIZ_STORAGE_PREFIX + page.pathname);
    refresh();
  });
  panel.append(summary, table, reset);
}

async function refresh() {
  const pages = await courseProgress();
  markNavigation(pages);
  const panel = document.getElementById("course-progress");
  if (panel) renderPanel(panel, pages);
}

// Material's document$ fires on the first load and after every instant-navigation page change.
// mkdocs-quiz announces every change of a page's answers (an answer, its own reset) after saving them.
window.addEventListener("quizProgressUpdate", () => setTimeout(refresh, 50));

document$.subscribe(() => refresh());
