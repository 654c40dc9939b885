// The reader's choice of language, remembered: choosing one in Material's language switcher stores it,
// and the English home page (the site's root, where a reader arrives by typing the address) then opens
// in the chosen language. Nothing leaves the browser.

const LANGUAGE_KEY = "rva-language";

function rememberLanguageChoice() {
  for (const link of document.querySelectorAll(".md-select__link[hreflang]")) {
    link.addEventListener("click", () => {
      try { localStorage.setItem(LANGUAGE_KEY, link.hreflang); } catch { /* storage off: nothing to remember */ }
    });
  }
}

function isSiteRoot() {
  // __config's base is the way from this page to the site's root: "." only on the root's own page
  const config = JSON.parse(document.getElementById("__config").textContent);
  return new URL(".", location.href).href === new URL(config.base.replace(/\/?$/, "/"), location.href).href;
}

function openHomeInChosenLanguage() {
  if (!isSiteRoot()) return;
  let chosen = null;
  try { chosen = localStorage.getItem(LANGUAGE_KEY); } catch { return; }
  // At the root, each other language's home is its code below it (site_src/language.py's prefix)
  if (chosen && chosen !== document.documentElement.lang && document.querySelector(`.md-select__link[hreflang="${chosen}"]`)) {
    location.replace(new URL(`${chosen}/`, location.href));
  }
}

document$.subscribe(() => {
  rememberLanguageChoice();
  openHomeInChosenLanguage();
});
