"""MkDocs hook: each translated page says when its English source is newer, or that it has none yet.

mkdocs-static-i18n builds every language; a page with no translation falls back to its English text.
This hook adds one line under the title of such a page, and of a translation whose English page has
changed since it was made (site_src/translations.py keeps the record), with a link to the English page.

It also makes mkdocs-static-i18n treat the exercise notebooks (docs/exercises/*.py) as pages: the
plugin rebuilds every file as a plain MkDocs File, to which only Markdown is a page, so the notebooks
lost their Chinese fallback, their place below /zh/ and their language-switcher links.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

import mkdocs_static_i18n.suffix
from markdown import markdown as markdown_to_html
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from site_src.cjk import join_wide_lines
from site_src.hooks.notebooks import NOTEBOOKS
from site_src.language import DEFAULT, build_language, language_prefix, message
from site_src.translations import TranslationError, read

_TITLE = re.compile(r"^# .*$", re.M)
_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
_SWITCHER_ROOT_LINK = re.compile(r'(<a href=")(/[^"]*)(" hreflang="[^"]*" class="md-select__link">)')

# Material's search segments the Chinese pages with jieba, which logs its dictionary loading to stderr
# at every build; nothing in it is news to a contributor.
logging.getLogger("jieba").setLevel(logging.WARNING)

# ---- hooks -----------------------------------------------------------------------------------------


def on_startup(command: str, dirty: bool) -> None:
    create = mkdocs_static_i18n.suffix.create_i18n_file
    if getattr(create, "keeps_notebooks", False):  # `mkdocs serve` starts once, rebuilds many times
        return

    def create_keeping_notebooks(file: File, *args, **kwargs) -> File:
        made = create(file, *args, **kwargs)
        if _is_notebook_source(made.src_uri):
            made.__class__ = _NotebookPage
        return made

    create_keeping_notebooks.keeps_notebooks = True
    mkdocs_static_i18n.suffix.create_i18n_file = create_keeping_notebooks


@event_priority(-50)  # last: the other hooks report errors at the page's own line numbers first
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    notice = _notice(page, config)
    return _under_title(markdown, notice) if notice else markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A Chinese page loses the line breaks inside its sentences (site_src/cjk.py). Notebooks:
    mkdocs-jupyter renders them without on_page_markdown, so their notice goes on top here."""
    if build_language(config) != DEFAULT:
        html = join_wide_lines(html)
    if not _is_notebook_source(page.file.src_uri):
        return html
    notice = _notice(page, config)
    if not notice:
        return html
    return f'<p class="rva-translation-notice">{markdown_to_html(notice)[3:-4]}</p>\n' + html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """On a home page, make the language switcher's links relative: the plugin links each language's
    root from the server's root (from site_url's path), which misses the site when it is served from
    another folder than site_url names, or built without one.

    Drop the <link rel="alternate" hreflang> tags Material writes into the head from the plugin's
    per-page alternates: Material's script fetches sitemap.xml relative to each of them, expecting a
    language's root, and gets a 404 on every page (a console error). The language switcher's own links
    and the sitemap's alternates, both per page, stay."""
    head, separator, body = output.partition("</head>")
    site_path = urlsplit(config.site_url or "").path.rstrip("/")

    def relative(match: re.Match) -> str:
        target = match[2].removeprefix(site_path).lstrip("/")
        link = get_relative_url(target, page.url)
        return match[1] + (link.rstrip("/") + "/" if target.endswith("/") or not target else link) + match[3]

    return _HEAD_ALTERNATE.sub("", head) + separator + _SWITCHER_ROOT_LINK.sub(relative, body)


# ---- helpers ---------------------------------------------------------------------------------------


class _NotebookPage(File):
    """A notebook that mkdocs-jupyter renders: a page, as mkdocs-jupyter's own file wrapper says."""

    def is_documentation_page(self) -> bool:
        return True


def _is_notebook_source(src_uri: str) -> bool:
    path = Path(src_uri)
    return path.parent.as_posix() == NOTEBOOKS.as_posix() and path.suffix == ".py"


def _notice(page: Page, config: MkDocsConfig) -> str | None:
    """What a page of this build must say about its translation, in Markdown; None when nothing."""
    language = build_language(config)
    if language == DEFAULT:
        return None
    if getattr(page.file, "locale", language) != language:  # the English page, shown in its place
        return message("untranslated_page", language)
    try:
        translation = read(Path(page.file.abs_src_path))
    except TranslationError as err:
        raise PluginError(str(err)) from None
    if not translation.outdated:
        return None
    english = get_relative_url(page.url.removeprefix(language_prefix(language)), page.url)
    return message("outdated_translation", language, url=english)


def _under_title(markdown: str, notice: str) -> str:
    block = f'\n\n<p class="rva-translation-notice" markdown>{notice}</p>\n\n'
    title = _TITLE.search(markdown)
    if title is None:
        return block + markdown
    return markdown[:title.end()] + block + markdown[title.end():]
