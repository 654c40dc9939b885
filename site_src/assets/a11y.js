// Accessibility fixes to markup we do not write (Material, mkdocs-quiz, mkdocs-jupyter), found by
// axe-core; tests/browser/test_accessibility.py and test_keyboard_quiz.py check them on every page.

function nameSearchDialog() {
  // Material's search box is a role="dialog" with no accessible name.
  for (const dialog of document.querySelectorAll(".md-search[role=dialog]:not([aria-label])")) {
    dialog.setAttribute("aria-label", "Search");
  }
}

function makeScrollableRegionsFocusable() {
  // A wide table or notebook code cell scrolls sideways; without a tab stop a keyboard user cannot
  // scroll it. Only regions that really overflow get one, so the Tab order stays short.
  // Display formulas too: a long one scrolls on a phone.
  const zh = document.documentElement.lang.startsWith("zh");
  const names = zh
    ? { table: "表格（可横向滚动）", formula: "公式（可横向滚动）", code: "代码（可横向滚动）", figure: "图（可横向滚动）" }
    : { table: "Table (scrolls sideways)", formula: "Formula (scrolls sideways)", code: "Code (scrolls sideways)",
        figure: "Figure (scrolls sideways)" };
  const regions = [...document.querySelectorAll(
    ".md-typeset__scrollwrap, .jupyter-wrapper .highlight-ipynb, .md-typeset div.arithmatex, .rva-figure__frame")];
  // Most regions sit in blocks the browser has not laid out yet (content-visibility, site.css), and
  // reading a width lays that block out: about 7 ms each here, 30 on a phone, 20 regions on a lesson.
  // One region per idle moment keeps that from becoming one long task that freezes the page at load.
  const checkNext = () => {
    const region = regions.shift();
    if (!region) return;
    if (!region.hasAttribute("tabindex") && region.scrollWidth > region.clientWidth) {
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      const kind = region.querySelector("table") ? "table" : region.matches(".arithmatex") ? "formula"
        : region.matches(".rva-figure__frame") ? "figure" : "code";
      region.setAttribute("aria-label", names[kind]);
    }
    whenIdle(checkNext);
  };
  whenIdle(checkNext);
}

function whenIdle(task) {
  // Safari has no requestIdleCallback; a zero timeout still yields to input and rendering between tasks.
  if (window.requestIdleCallback) requestIdleCallback(task, { timeout: 500 });
  else setTimeout(task, 0);
}

function announceQuizFeedback() {
  // mkdocs-quiz moves focus to a quiz's feedback after an answer; a live region also has it read out
  // when a screen reader does not follow focus changes.
  for (const feedback of document.querySelectorAll(".quiz .quiz-feedback:not([aria-live])")) {
    feedback.setAttribute("role", "status");
    feedback.setAttribute("aria-live", "polite");
  }
}

function hideScoreUntilAnswered() {
  // mkdocs-quiz's progress sidebar prints "Correct: 0 / 0" before any answer, a score of nothing.
  // The line (desktop and mobile) stays hidden until its denominator, the answered count, is not 0.
  for (const total of document.querySelectorAll(".quiz-progress-score-total")) {
    const line = total.closest(".md-ellipsis");
    if (!line || line.dataset.rvaWatched) continue;
    line.dataset.rvaWatched = "true";
    const update = () => { line.hidden = total.textContent.trim() === "0"; };
    new MutationObserver(update).observe(total, { childList: true, characterData: true, subtree: true });
    update();
  }
}

// document$ emits on the first load and after every instant navigation, with a fresh page body.
document$.subscribe(() => {
  nameSearchDialog();
  makeScrollableRegionsFocusable();
  announceQuizFeedback();
  hideScoreUntilAnswered();
});
