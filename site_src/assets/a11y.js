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
  const regions = document.querySelectorAll(".md-typeset__scrollwrap, .jupyter-wrapper .highlight-ipynb");
  for (const region of regions) {
    if (region.scrollWidth <= region.clientWidth || region.hasAttribute("tabindex")) continue;
    region.setAttribute("tabindex", "0");
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", region.querySelector("table") ? "Table (scrolls sideways)" : "Code (scrolls sideways)");
  }
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
