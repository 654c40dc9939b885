// Typeset the math that pymdownx.arithmatex leaves as \( \) and \[ \], on every page load,
// including Material's instant navigation (document$ fires for each new page).
document$.subscribe(() => {
  for (const element of document.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  }
});
