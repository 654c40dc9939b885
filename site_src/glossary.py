"""The glossary (docs/glossary.yml): loading and checking it, and finding where pages use its terms.

    - term: Serial depth
      short: The longest chain of operations that must run one after another.   # the hover text
      long: >-                                                                  # the glossary page
        Markdown explaining the term properly.
      aliases: [serial depth]      # other spellings that get the same hover definition
      related: [Work, Parallel scan]
      zh:                          # the Chinese edition's text (optional; English is shown where absent)
        term: 串行深度
        short: 必须一个接一个执行的最长运算链的长度。
        long: >-
          ...
        aliases: [critical path]   # forms matched on Chinese pages: Chinese spellings, English abbreviations

The English `term` names the entry everywhere (key_terms, related, anchors), in every language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from site_src.abbreviations import mention_pattern
from site_src.language import DEFAULT, LANGUAGES
from site_src.markdown_lines import LineError, prose
from site_src.yaml_errors import located

_TRANSLATED = set(LANGUAGES) - {DEFAULT}
_TEXT_FIELDS = {"term", "short", "long", "aliases"}
_FIELDS = _TEXT_FIELDS | {"related"} | _TRANSLATED
_REQUIRED = ("term", "short", "long")


class GlossaryError(LineError):
    pass


@dataclass(frozen=True)
class TermText:
    """What a reader of one language sees of a term."""
    term: str
    short: str
    long: str
    aliases: tuple[str, ...]

    @property
    def forms(self) -> tuple[str, ...]:
        """Every spelling that counts as this term in a page: the term and its aliases."""
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class Term:
    term: str
    short: str
    long: str
    aliases: tuple[str, ...]
    related: tuple[str, ...]
    line: int
    translations: dict[str, TermText] = field(default_factory=dict)  # language -> its text

    @property
    def anchor(self) -> str:
        """The same in every language, so a link to a term works from any page."""
        return re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)

    def text(self, language: str) -> TermText:
        """The term in `language`, or in English where it has not been translated."""
        if language in self.translations:
            return self.translations[language]
        return TermText(self.term, self.short, self.long, self.aliases)


def load_glossary(path: Path, language: str = DEFAULT) -> dict[str, Term]:
    """Terms by lower-cased English name; GlossaryError with the YAML line of the first problem.

    Two entries may not share a form in `language` (the one whose pages are being built).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise GlossaryError(err.object.count(b"\n", 0, err.start) + 1, "not UTF-8 text; save it as UTF-8") from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as err:
        line, problem = located(err, text)
        raise GlossaryError(line, f"not valid YAML: {problem}") from None
    if root is None or not isinstance(root, yaml.SequenceNode):
        raise GlossaryError(1, "the glossary must be a list of entries, each starting with '- term: ...'")
    terms: dict[str, Term] = {}
    spellings: dict[str, str] = {}
    for node in root.value:
        term = _entry(node)
        for form in {form.lower() for form in term.text(language).forms}:  # 'Recurrence' and 'recurrence' are one form
            if form in spellings:
                raise GlossaryError(term.line, f"{form!r} is already used by the entry {spellings[form]!r}")
            spellings[form] = term.term
        terms[term.term.lower()] = term
    for term in terms.values():
        for name in term.related:
            if name.lower() not in terms:
                raise GlossaryError(term.line, f"{term.term!r} lists related term {name!r}, which has no entry")
    return terms


def _entry(node: yaml.Node) -> Term:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise GlossaryError(line, "each entry must be a mapping with term, short and long")
    fields = {key.value: (key, value) for key, value in node.value}
    unknown = sorted(set(fields) - _FIELDS)
    if unknown:
        raise GlossaryError(line, f"unknown field {unknown[0]!r} (fields: {', '.join(sorted(_FIELDS))})")
    for name in _REQUIRED:
        if name not in fields or not isinstance(fields[name][1], yaml.ScalarNode) or not fields[name][1].value.strip():
            raise GlossaryError(line, f"the entry needs a non-empty '{name}'")
    lists = {}
    for name in ("aliases", "related"):
        value = fields.get(name, (None, None))[1]
        if value is None:
            lists[name] = ()
        elif isinstance(value, yaml.SequenceNode) and all(isinstance(v, yaml.ScalarNode) for v in value.value):
            lists[name] = tuple(v.value.strip() for v in value.value if v.value.strip())
        else:
            raise GlossaryError(value.start_mark.line + 1, f"'{name}' must be a list of strings, e.g. [a, b]")
    text = {name: fields[name][1].value.strip() for name in _REQUIRED}
    translations = {language: _translation(fields[language][1], language)
                    for language in sorted(_TRANSLATED) if language in fields}
    return Term(text["term"], text["short"], text["long"], lists["aliases"], lists["related"], line, translations)


def _translation(node: yaml.Node, language: str) -> TermText:
    """An entry's `zh:` block: the same text fields as the entry, in that language."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise GlossaryError(line, f"'{language}' must be a mapping with term, short and long in that language")
    fields = {key.value: value for key, value in node.value}
    unknown = sorted(set(fields) - _TEXT_FIELDS)
    if unknown:
        raise GlossaryError(line, f"unknown field {unknown[0]!r} under '{language}' "
                                  f"(fields: {', '.join(sorted(_TEXT_FIELDS))})")
    for name in _REQUIRED:
        if name not in fields or not isinstance(fields[name], yaml.ScalarNode) or not fields[name].value.strip():
            raise GlossaryError(line, f"the '{language}' text needs a non-empty '{name}'")
    aliases = fields.get("aliases")
    if aliases is not None and not (isinstance(aliases, yaml.SequenceNode)
                                    and all(isinstance(v, yaml.ScalarNode) for v in aliases.value)):
        raise GlossaryError(aliases.start_mark.line + 1, "'aliases' must be a list of strings, e.g. [a, b]")
    forms = tuple(v.value.strip() for v in aliases.value if v.value.strip()) if aliases is not None else ()
    return TermText(*(fields[name].value.strip() for name in _REQUIRED), forms)


def used_terms(markdown: str, terms: dict[str, Term], language: str = DEFAULT) -> set[str]:
    """Lower-cased names of the terms a page's prose mentions (code is not prose), in `language`."""
    text = prose(markdown)
    return {key for key, term in terms.items() if mention_pattern(list(term.text(language).forms)).search(text)}


_ABBR = re.compile(r'<abbr title="(?P<title>[^"]*)">(?P<text>.*?)</abbr>', re.S)
_SECTION = re.compile(r"<h2[\s>]")


def first_mentions_only(html: str) -> str:
    """Keep a term's hover definition on its first mention in each section (h2), drop it on the rest.

    Why: a definition under every mention underlines a long lesson dozens of times for the same word
    (lesson 3 had ~220). Once per section keeps it within a scroll of wherever the reader is.
    """
    starts = [m.start() for m in _SECTION.finditer(html)]
    seen: set[tuple[int, str]] = set()

    def keep_first(match: re.Match[str]) -> str:
        section = sum(1 for start in starts if start < match.start())
        key = (section, match["title"])
        if key in seen:
            return match["text"]
        seen.add(key)
        return match[0]

    return _ABBR.sub(keep_first, html)
