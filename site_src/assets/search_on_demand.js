// Material fetches the whole site's search index (2 MB; both languages, every page) as soon as a page
// loads, whether or not the reader ever searches. On a phone that download and its parsing compete with
// the page itself. This script, run just before Material's bundle, holds that one request back until
// the reader shows they are about to search: pointing at or focusing the search box, opening it, or a
// search shortcut key. A page opened from a search result (?h=...) needs the index at once to highlight
// the words, so it is not held then.
(function () {
  const INDEX = /\/search\/search_index\.json$/;
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const held = [];
  let wanted = new URLSearchParams(location.search).has("h");

  XMLHttpRequest.prototype.open = function (method, url) {
    this.rvaSearchIndex = INDEX.test(new URL(String(url), location.href).pathname);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.rvaSearchIndex && !wanted) {
      held.push([this, arguments]);
      return undefined;
    }
    return send.apply(this, arguments);
  };

  function release() {
    if (wanted) return;
    wanted = true;
    for (const [request, args] of held.splice(0)) send.apply(request, args);
  }

  const SEARCH = ".md-search, label[for='__search']";
  const intent = (event) => {
    if (event.target instanceof Element && event.target.closest(SEARCH)) release();
  };
  for (const type of ["pointerover", "pointerdown", "focusin"]) document.addEventListener(type, intent, true);
  document.addEventListener("change", (event) => { if (event.target.id === "__search") release(); }, true);
  // Material opens the search box on f, s and /; the index starts loading with the key press.
  document.addEventListener("keydown", (event) => { if (["f", "s", "/"].includes(event.key)) release(); }, true);
})();
