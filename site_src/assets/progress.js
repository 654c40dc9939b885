// Course progress: which lessons' quizzes a reader has answered, and how many correctly.
// mkdocs-quiz keeps each page's answers in localStorage under "quiz_progress_" + the page's path;
// assets/site/quizzes.json (written by site_src/hooks/quizzes.py) says how many quizzes each page has.
// Nothing leaves the browser.

const QUIZ_STORAGE_PREFIX = "quiz_progress_";

// The panel's words in each language the site is built in (<html lang> is Material's theme.language).
// Each language counts its own pages: the Chinese pages live under /zh/ with their own quizzes.json.
const WORDS = {
  en: {
    mark: (p) => `Quizzes: ${p.answered} of ${p.total} answered, ${p.correct} correct`,
    answered: (answered, total) => `You have answered ${answered} of the course's ${total} quiz questions in this browser.`,
    none: (total) => `The course has ${total} quiz questions; your answers will be remembered in this browser.`,
    headings: ["Lesson", "Answered", "Correct"],
    reset: "Forget all my answers",
  },
  zh: {
    mark: (p) => `测验：共 ${p.total} 题，已答 ${p.answered} 题，答对 ${p.correct} 题`,
    answered: (answered, total) => `在本浏览器中，你已回答本课程 ${total} 道测验题中的 ${answered} 道。`,
    none: (total) => `本课程共有 ${total} 道测验题；你的答案会保存在本浏览器中。`,
    headings: ["课程", "已答", "答对"],
    reset: "清除我的全部答案",
  },
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
  summary.textContent = answered ? words.answered(answered, total) : words.none(total);
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const heading of words.headings) head.append(Object.assign(document.createElement("th"), { textContent: heading }));
  const body = document.createElement("tbody");
  body.append(...rows);
  table.append(body);
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "md-button rva-progress-reset";
  reset.textContent = words.reset;
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
