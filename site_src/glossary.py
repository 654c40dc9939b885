"""The glossary (docs/glossary.yml): loading and checking it, and finding where pages use its terms.

    - term: Serial depth
      short: The longest chain of operations that must run one after another.   # the hover text
      long: >-                                                                  # the glossary page
        Markdown explaining the term properly.
      aliases: [serial depth]      # other spellings that get the same hover definition
      related: [Work, Parallel scan]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_src.markdown_lines import LineError, prose
from site_src.yaml_errors import located

_FIELDS = {"term", "short", "long", "aliases", "related"}
_REQUIRED = ("term", "short", "long")


class GlossaryError(LineError):
    pass


@dataclass(frozen=True)
class Term:
    term: str
    short: str
    long: str
    aliases: tuple[str, ...]
    related: tuple[str, ...]
    line: int

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")

    @property
    def forms(self) -> tuple[str, ...]:
        """Every spelling that counts as this term in a page: the term and its aliases."""
        return (self.term, *self.aliases)


def load_glossary(path: Path) -> dict[str, Term]:
    """Terms by lower-cased name; GlossaryError with the YAML line of the first problem."""
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
        for form in {form.lower() for form in term.forms}:  # 'Recurrence' and 'recurrence' are one form
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
    return Term(text["term"], text["short"], text["long"], lists["aliases"], lists["related"], line)


def used_terms(markdown: str, terms: dict[str, Term]) -> set[str]:
    """Lower-cased names of the terms a page's prose mentions (code is not prose)."""
    text = prose(markdown)
    return {key for key, term in terms.items() if any(_mentions(text, form) for form in term.forms)}


def _mentions(text: str, form: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text) is not None


_ABBR = re.compile(r'<abbr title="(?P<title>[^"]*)">(?P<text>.*?)</abbr>', re.S)
_SECTION = re.compile(r"<h2[\s>]")


def first_mentions_only(html: str) -> str:
    """Keep a term's hover definition on its first mention in each section (h2), drop it on the rest.

    Why: a definition under every mention underlines a long lesson dozens of times for the same word,
    and Material builds one tooltip per <abbr> in the browser (~220 on lesson 3, most of Lighthouse's
    blocking time). Once per section keeps it within a scroll of wherever the reader is.
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
