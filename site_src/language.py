"""Which language a build or a page is in, and the site's own words in each language.

mkdocs-static-i18n builds the site once per language: English at the root, Chinese under /zh/, and it
sets `theme.language` for each build. Every hook asks here rather than reading the plugin's config, so
that "which language" has one answer. The words that hooks write into pages themselves (provenance
lines, notices, headings) live in site_src/messages.yml, one entry per message with every language.

    >>> message("key_terms", "zh")
    '关键术语'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig

DEFAULT = "en"
LANGUAGES = ("en", "zh")  # the order of mkdocs.yml's i18n languages
MESSAGES = Path(__file__).with_name("messages.yml")


class UnknownMessage(KeyError):
    pass


def build_language(config: MkDocsConfig) -> str:
    """The language of the build in progress (the i18n plugin sets theme.language for each one)."""
    language = config.theme.get("language") or DEFAULT
    return language if language in LANGUAGES else DEFAULT


def language_prefix(language: str) -> str:
    """Where a language's pages live below the site's root: '' for English, 'zh/' for Chinese."""
    return "" if language == DEFAULT else f"{language}/"


def translation_suffix(language: str) -> str:
    """The file-name suffix of a translation: 'page.zh.md' beside 'page.md'."""
    return "" if language == DEFAULT else f".{language}"


def message(key: str, language: str, **values: object) -> str:
    """The site's own words for `key` in `language`, with {placeholders} filled in."""
    entry = _messages().get(key)
    if entry is None:
        raise UnknownMessage(f"no message '{key}' in {MESSAGES.name}")
    return entry[language].format(**values)


@cache
def _messages() -> dict[str, dict[str, str]]:
    loaded = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    for key, entry in loaded.items():
        missing = [language for language in LANGUAGES if not isinstance(entry.get(language), str)]  # "" may be meant
        if missing:
            raise UnknownMessage(f"{MESSAGES.name}: message '{key}' has no {', '.join(missing)} text")
    return loaded
