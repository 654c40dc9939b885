// Glossary terms (<abbr title="short definition">, from site_src/hooks/glossary.py) show their
// definition in a tooltip: on hover with a mouse, on tap on a touch screen. One tooltip element serves
// the whole page and is made on first use, and the listeners sit on the document, so a page with 400
// terms costs nothing at load (Material's content.tooltips built a tooltip for every term at load:
// 900 ms of Lighthouse's blocking time on the glossary page).
//
// While a term's tooltip shows, its title moves into the tooltip (so the browser does not draw a
// second, native one) and the term points at it with aria-describedby; screen readers read the title
// at all other times.
(function () {
  const GAP = 6; // px between the term and its tooltip
  const MARGIN = 8; // px the tooltip keeps from the viewport's edges
  let tip = null;
  let shown = null; // the <abbr> whose definition is showing

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "rva-term-tip";
      tip.className = "rva-tip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      document.body.append(tip);
    }
    return tip;
  }

  function show(term) {
    if (term === shown) return;
    hide();
    const text = term.getAttribute("title");
    if (!text) return;
    shown = term;
    term.dataset.rvaTitle = text;
    term.removeAttribute("title");
    const box = tooltip();
    box.textContent = text;
    box.hidden = false;
    term.setAttribute("aria-describedby", box.id);
    place(box, term.getClientRects()[0] || term.getBoundingClientRect());
  }

  function hide() {
    if (!shown) return;
    shown.setAttribute("title", shown.dataset.rvaTitle);
    delete shown.dataset.rvaTitle;
    shown.removeAttribute("aria-describedby");
    shown = null;
    tip.hidden = true;
  }

  // Below the term's first line, centred on it and kept inside the viewport; above it when there is
  // no room below. Page coordinates, so the tooltip stays with the term when the page scrolls.
  function place(box, line) {
    const width = box.offsetWidth;
    const height = box.offsetHeight;
    const right = document.documentElement.clientWidth - MARGIN - width;
    const left = Math.max(MARGIN, Math.min(line.left + line.width / 2 - width / 2, right));
    let top = line.bottom + GAP;
    if (top + height > window.innerHeight - MARGIN && line.top - GAP - height >= MARGIN) {
      top = line.top - GAP - height;
    }
    box.style.left = `${left + window.scrollX}px`;
    box.style.top = `${top + window.scrollY}px`;
  }

  const termAt = (target) =>
    target instanceof Element ? target.closest("abbr[title], abbr[data-rva-title]") : null;

  document.addEventListener("pointerover", (event) => {
    if (event.pointerType === "touch") return; // a tap shows it on click, below
    const term = termAt(event.target);
    if (term) show(term);
  });
  document.addEventListener("pointerout", (event) => {
    if (event.pointerType === "touch") return; // a finger lifted leaves the term; the tooltip stays
    const term = termAt(event.target);
    if (term && term === shown && !term.contains(event.relatedTarget)) hide();
  });
  document.addEventListener("click", (event) => {
    const term = termAt(event.target);
    if (term) show(term);
    else hide(); // a tap anywhere else, the tooltip included (it lets taps through to the text under it)
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
  // A scrolled table or a resized window moves the term away from where the tooltip was placed.
  document.addEventListener("scroll", (event) => { if (event.target !== document) hide(); }, true);
  window.addEventListener("resize", hide);
})();
