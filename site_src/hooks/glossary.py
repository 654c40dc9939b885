"""MkDocs hook: the glossary (docs/glossary.yml) on every page.

- the first mention of a term in each section of prose gets its short definition on hover (Markdown
  abbreviations, shown in a tooltip by site_src/assets/term_tips.js, which only those pages load);
- docs/glossary.md gets one entry per term, with an anchor, related terms and "used in" links;
- a page whose front matter lists `key_terms` ends with a "Key terms" section; a key term the glossary
  lacks stops the build with the page and line.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from site_src.escaping import escape_tags
from site_src.glossary import GlossaryError, Term, first_mentions_only, load_glossary, used_terms
from site_src.language import DEFAULT, build_language, message
from site_src.pages import FrontMatterError, front_matter, source_path

GLOSSARY_PAGES = ("glossary.md", "glossary.zh.md")  # the page that lists every entry, per language
ENTRIES_MARKER = "<!-- glossary entries -->"
TERM_TIPS = "assets/site/term_tips.js"
log = logging.getLogger("mkdocs.hooks.glossary")

_terms: dict[str, Term] = {}
_language = DEFAULT  # of the build in progress: mkdocs-static-i18n builds each language in turn
_used_in: dict[str, list[tuple[str, str]]] = {}  # term key -> [(page title, page src_uri)]

# ---- hooks -----------------------------------------------------------------------------------------


@event_priority(-110)  # after mkdocs-static-i18n's (-100), which sets the language of this build
def on_config(config: MkDocsConfig) -> None:
    global _language
    _language = build_language(config)
    path = Path(config.docs_dir) / "glossary.yml"
    try:
        _terms.clear()
        _terms.update(load_glossary(path, _language))
    except GlossaryError as err:
        raise PluginError(f"{_shown(path)}:{err.line}: {err}") from None
    except OSError:
        raise PluginError(f"{_shown(path)} is missing: the glossary is read from there.") from None


@event_priority(-110)  # after mkdocs-static-i18n's, which picks each page's file for this language
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Find, before any page is rendered, which pages use which terms (for the glossary's links)."""
    _used_in.clear()
    for file in files.documentation_pages():
        if file.src_uri in GLOSSARY_PAGES or not file.src_uri.endswith(".md"):
            continue  # notebooks are exercises, not lessons that teach a term
        try:
            front_matter(file.content_string)  # MkDocs would show a malformed one as text
        except FrontMatterError as err:
            raise PluginError(f"{_shown(Path(config.docs_dir) / file.src_uri)}:{err.line}: {err}") from None
        body, meta = get_data(file.content_string)
        title = meta.get("title") or _first_heading(body) or file.src_uri
        names = meta.get("key_terms")  # not a list: on_page_markdown stops the build at its line
        listed = {str(name).lower() for name in names} if isinstance(names, list) else set()
        keys = used_terms(body, _terms, _language) | (listed & set(_terms))
        for key in keys:
            _used_in.setdefault(key, []).append((title, file.src_uri))
    unused = sorted(_terms[k].term for k in _terms if k not in _used_in)
    if unused:
        log.info("glossary entries no page uses yet: %s", ", ".join(unused))
    return files


@event_priority(50)  # after values are filled in, so measured numbers never look like terms
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri in GLOSSARY_PAGES:
        if ENTRIES_MARKER not in markdown:
            raise PluginError(f"{source_path(page, config)}: needs the line {ENTRIES_MARKER} where the entries go.")
        markdown = markdown.replace(ENTRIES_MARKER, _glossary_entries())
    key_terms = page.meta.get("key_terms")
    if key_terms:
        markdown += _key_terms_section(key_terms, page, config)
    return markdown + "\n\n" + _abbreviations()


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html = first_mentions_only(html)
    if "<abbr title=" not in html:
        return html
    # The hover definitions' script, on the pages that have terms only (mkdocs.yml loads it nowhere).
    return html + f'\n<script src="{get_relative_url(TERM_TIPS, page.url)}" defer></script>\n'


# ---- helpers ---------------------------------------------------------------------------------------


def _key_terms_section(key_terms: object, page: Page, config: MkDocsConfig) -> str:
    where = f"{source_path(page, config)}:{_front_matter_line(page, 'key_terms')}"
    if not isinstance(key_terms, list):
        raise PluginError(f"{where}: key_terms must be a list, e.g. [recurrence, serial depth].")
    glossary = posixpath.relpath(GLOSSARY_PAGES[0], posixpath.dirname(page.file.src_uri) or ".")
    lines = ["", "", f"## {message('key_terms', _language)} {{ #key-terms }}", ""]  # one anchor in every language
    for name in key_terms:
        term = _terms.get(str(name).lower())
        if term is None:
            raise PluginError(f"{where}: key term '{name}' is not in docs/glossary.yml; add an entry there "
                              "or use the spelling of an existing term.")
        text = term.text(_language)
        lines.append("- " + message("term_and_definition", _language,
                                    term=f"**[{escape_tags(text.term)}]({glossary}#{term.anchor})**",
                                    definition=escape_tags(text.short)))
    return "\n".join(lines) + "\n"


def _glossary_entries() -> str:
    parts = []
    # One order in every language, the English terms' (as d2l's Chinese edition orders its terminology):
    # a translated heading names its English term too, so the order reads, and readers learn both names.
    for term in sorted(_terms.values(), key=lambda t: t.term.lower()):
        text = term.text(_language)
        heading = escape_tags(text.term)
        if text.term.lower() != term.term.lower():
            heading += message("english_term", _language, term=escape_tags(term.term))
        lines = [f"## {heading} {{ #{term.anchor} }}", "", f"*{escape_tags(text.short)}*", "",
                 escape_tags(text.long), ""]
        if term.related:
            related = [_terms[r.lower()] for r in term.related]
            links = message("list_separator", _language).join(
                f"[{escape_tags(r.text(_language).term)}](#{r.anchor})" for r in related)
            lines += [f"**{message('related', _language)}**{message('gap', _language)}{links}", ""]
        pages = sorted(set(_used_in.get(term.term.lower(), [])))
        if pages:
            lines += [f"**{message('used_in', _language)}**{message('gap', _language)}"
                      + message("list_separator", _language).join(
                          f"[{escape_tags(str(title))}]({uri})" for title, uri in pages), ""]
        parts.append("\n".join(lines))
    return "\n".join(parts)


def _abbreviations() -> str:
    """Markdown abbreviation definitions: every form of every term, titled with its short definition."""
    texts = [term.text(_language) for term in _terms.values()]
    return "\n".join(f"*[{form}]: {text.short}" for text in texts for form in text.forms)


def _front_matter_line(page: Page, key: str) -> int:
    for number, line in enumerate(page.file.content_string.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _first_heading(markdown: str) -> str | None:
    return next((line[2:].strip() for line in markdown.splitlines() if line.startswith("# ")), None)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
