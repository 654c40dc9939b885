"""Numbers that papers reported, cited where this site measured nothing: docs/reported.yml.

A sentence about a GPU needs a GPU measurement or a cited one. A page writes
``{{ reported:flashattention3_fp16_h100 }}`` and gets the number as its authors reported it, the
hardware they measured it on and a link to the paper's entry in References, marked "reported, not
measured here", so a reader can always tell a cited number from one of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path

import yaml

from site_src.language import DEFAULT, LANGUAGES, message
from site_src.yaml_errors import located

FIELDS = ("number", "what", "hardware", "source")
TRANSLATED = ("number", "what", "hardware")  # an entry's `zh:` gives these in Chinese (site_src/language.py)


class ReportedProblem(Exception):
    """A malformed docs/reported.yml, or a page that refers to an entry it lacks."""


@dataclass(frozen=True)
class Reported:
    id: str
    number: str  # as the authors wrote it, with its unit: "740 TFLOP/s"
    what: str  # what was measured, for the hover text
    hardware: str  # the device the authors measured on
    source: str  # the anchor of the paper in docs/references.md
    line: int  # where the entry starts in reported.yml
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> its TRANSLATED fields

    def text(self, language: str) -> Reported:
        """The entry as a reader of `language` sees it (English where it has no translation)."""
        given = self.translations.get(language)
        return replace(self, **given, translations={}) if given else self


def load(path: Path, references: Path) -> dict[str, Reported]:
    """Every entry of reported.yml, each checked to have every field and a source in References."""
    text = path.read_text(encoding="utf-8")
    where = path.as_posix()
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        line, message = located(err, text)
        raise ReportedProblem(f"{where}:{line}: {message}") from None
    if not isinstance(data, dict):
        raise ReportedProblem(f"{where}:1: write a mapping of id -> number, what, hardware, source")
    lines = {key.value: key.start_mark.line + 1 for key, _ in node.value} if node else {}
    anchors = set(re.findall(r"\{ #([a-z0-9_-]+) \}", references.read_text(encoding="utf-8")))
    entries = {}
    for key, entry in data.items():
        line = lines.get(key, 1)
        if not isinstance(entry, dict) or any(not isinstance(entry.get(f), str) or not entry[f].strip()
                                              for f in FIELDS):
            raise ReportedProblem(f"{where}:{line}: entry '{key}' needs text for each of {', '.join(FIELDS)}")
        if entry["source"] not in anchors:
            raise ReportedProblem(f"{where}:{line}: entry '{key}' cites '{entry['source']}', which has no "
                                  f"{{ #{entry['source']} }} entry in {references.name}; add the paper there")
        translations = {}
        for language in LANGUAGES:
            if language == DEFAULT or language not in entry:
                continue
            given = entry[language]
            if not isinstance(given, dict) or set(given) != set(TRANSLATED) or not all(
                    isinstance(v, str) and v.strip() for v in given.values()):
                raise ReportedProblem(f"{where}:{line}: entry '{key}': '{language}' must give "
                                      f"{', '.join(TRANSLATED)} in that language, each as text")
            translations[language] = given
        entries[key] = Reported(key, entry["number"], entry["what"], entry["hardware"], entry["source"], line,
                                translations)
    return entries


def reported_html(entry: Reported, references_url: str, language: str = DEFAULT) -> str:
    shown = entry.text(language)
    title = message("reported_title", language, what=shown.what, hardware=shown.hardware)
    return (f'<span class="rva-reported" title="{escape(title)}">{escape(shown.number)}</span>'
            f'{message("gap", language)}'
            f'<a class="rva-reported-source" href="{escape(references_url)}#{escape(entry.source)}">'
            f'{escape(message("reported_on", language, hardware=shown.hardware))}</a>')
