// Typeset the math that pymdownx.arithmatex leaves as \( \) and \[ \], on every page load,
// including Material's instant navigation (document$ fires for each new page).
//
// A lesson holds 100+ formulas: typesetting them in one go blocks the page for ~0.3 s on a phone
// (Lighthouse's Total Blocking Time). We typeset in slices of at most SLICE_MS and give the browser
// back in between, so scrolling and clicks stay responsive while the math appears.
const SLICE_MS = 8;
const KATEX_OPTIONS = {
  delimiters: [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ],
  throwOnError: false,
};

function typesetInSlices(elements) {
  const started = performance.now();
  while (elements.length && performance.now() - started < SLICE_MS) {
    const element = elements.shift();
    if (element.isConnected) renderMathInElement(element, KATEX_OPTIONS);  // gone: the reader moved on
  }
  if (elements.length) setTimeout(() => typesetInSlices(elements), 0);
}

document$.subscribe(() => {
  typesetInSlices(Array.from(document.querySelectorAll(".arithmatex")));
});
