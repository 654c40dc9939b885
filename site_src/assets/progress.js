// Course progress: which lessons' quizzes a reader has answered, and how many correctly.
// mkdocs-quiz keeps each page's answers in localStorage under "quiz_progress_" + the page's path;
// assets/site/quizzes.json (written by site_src/hooks/quizzes.py) says how many quizzes each page has.
// Nothing leaves the browser.

const QUIZ_STORAGE_PREFIX = "quiz_progress_";

// The words this script writes itself, in each language the site is built in (<html lang> is Material's
// theme.language): the title of a lesson's mark in the navigation. The home page's panel is built with
// the page, its words included (site_src/progress_panel.py, site_src/messages.yml); this fills in counts.
// Each language counts its own pages: the Chinese pages live under /zh/ with their own quizzes.json.
const WORDS = {
  en: { mark: (p) => `Quizzes: ${p.answered} of ${p.total} answered, ${p.correct} correct` },
  zh: { mark: (p) => `测验：共 ${p.total} 题，已答 ${p.answered} 题，答对 ${p.correct} 题` },
};
const PAGE_LANGUAGE = document.documentElement.lang.split("-")[0];
const LANGUAGE = PAGE_LANGUAGE in WORDS ? PAGE_LANGUAGE : "en";
const words = WORDS[LANGUAGE];

// The site's root, read once, when this script loads: __config's base is relative to the page, and
// were Material's instant navigation on, it would change the address without replacing __config, so
// resolving it later, against another page's address, would point somewhere else.
const SITE_BASE = (() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  return new URL(config.base.replace(/\/?$/, "/"), location.href);
})();

// The root of this page's language: the site's root for English, zh/ below it for Chinese
// (site_src/language.py's language_prefix), where that language's quizzes.json and pages are.
function siteBase() {
  return LANGUAGE === "en" ? SITE_BASE : new URL(`${LANGUAGE}/`, SITE_BASE);
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
    mark.title = words.mark(page);
    link.append(mark);
  }
}

function fillPanel(panel, pages) {
  // The rows, the sentence's two forms and the button come with the page; only the counts are the reader's.
  const answered = pages.reduce((sum, page) => sum + Math.min(page.answered, page.total), 0);
  const total = pages.reduce((sum, page) => sum + page.total, 0);
  const template = answered ? panel.dataset.answered : panel.dataset.none;
  panel.querySelector(":scope > p").textContent =
    template.replace("{answered}", answered).replace("{total}", total);
  for (const page of pages) {
    const cells = panel.querySelector(`tr[data-page="${CSS.escape(page.url)}"]`)?.cells;
    if (!cells) continue;  // a page with quizzes the build did not list: nothing to show it in
    cells[1].textContent = `${Math.min(page.answered, page.total)} / ${page.total}`;
    cells[2].textContent = `${page.correct}`;
  }
  const reset = panel.querySelector(".rva-progress-reset");
  reset.onclick = () => {  // a property, not a listener: refreshing the panel must not add another
    for (const page of pages) localStorage.removeItem(QUIZ_STORAGE_PREFIX + page.pathname);
    refresh();
  };
}

async function refresh() {
  const pages = await courseProgress();
  markNavigation(pages);
  const panel = document.getElementById("course-progress");
  if (panel) fillPanel(panel, pages);
}

// Material's document$ fires on the first load and after every instant-navigation page change.
// mkdocs-quiz announces every change of a page's answers (an answer, its own reset) after saving them.
window.addEventListener("quizProgressUpdate", () => setTimeout(refresh, 50));

document$.subscribe(() => refresh());
