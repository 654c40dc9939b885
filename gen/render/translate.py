"""The words of figures and tables in another language, from a catalog kept beside the renderer.

Figures are drawn once per language: the Chinese pages show SVGs whose titles, axis labels, legends
and notes are Chinese, with alt text, captions and table headers to match. render.py writes English
only; after a figure is drawn, every text in it is looked up in gen/render/translations/<lang>.yml.

A catalog entry is the English text with each number written as {}, so one entry serves every run:
"slope 1.78" and "slope 0.99" are both "slope {}", "23.1 µs" and "1.50 ms" are both "{}", and the
numbers of the drawn text are put back into the translation in their order. Math ($...$) is kept
as written. A text whose words are all names or units (LSTM, KV, ms, GiB: the catalog's `keep` list)
needs no entry.

A text with no entry is not guessed at: the drawing, alt text or caption it belongs to (or the table,
or the value) keeps its English version on the Chinese pages, and rendering lists what to add
(gen/render/build.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from gen.errors import GenError
from gen.paths import REPO_ROOT, shown

CATALOGS = Path(__file__).with_name("translations")
LANGUAGES = ("zh",)  # besides English, which render.py writes
# Each language's figure font: Noto Sans SC (SIL Open Font License), installed by npm with the site's
# other assets (package.json).
FONTS = {"zh": REPO_ROOT / "node_modules" / "@expo-google-fonts" / "noto-sans-sc" / "400Regular" /
         "NotoSansSC_400Regular.ttf"}
PLACEHOLDER = "{}"

_MATH = re.compile(r"\$[^$]*\$")
# Where one sentence of a text ends and the next begins ("... 1.5 ms. The closed form ..."), and what
# a language puts between translated sentences (Chinese: nothing, its full stop is a wide character).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
SENTENCE_JOINER = {"zh": ""}
# A number with the unit the renderer chose for it ("23.1 µs", "1.50 s", "128 KiB") is one placeholder:
# which unit a run's numbers get must not change the catalog's key.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:e[+-]\d+)?(?: ?(?:ns|µs|ms|s|B|kB|KiB|MB|MiB|GB|GiB|TB|TiB|PB|PiB)\b)?")
_WORD = re.compile(r"[A-Za-z]{2,}")


@dataclass
class Catalog:
    language: str
    texts: dict[str, str]  # English with {} for numbers -> the translation, with as many {}
    keep: frozenset[str]  # words that read the same in this language: names, units
    missing: set[str] = field(default_factory=set)  # keys looked up and not found, since the last take_missing()

    def needs_translation(self, text: str) -> bool:
        words = _WORD.findall(_MATH.sub(" ", text))
        return any(word not in self.keep for word in words)

    def text(self, english: str) -> str | None:
        """The translation of `english`, its numbers put back; None (and noted as missing) when the
        catalog has no entry for it. A text of several sentences with no entry of its own is translated
        sentence by sentence: texts written from data (which scan was fastest, whether one method won
        at every length) combine a few sentences many ways, and each sentence needs one entry only."""
        if not self.needs_translation(english):
            return english
        whole = self._translate(english)
        if whole is not None:
            return whole
        sentences = _SENTENCE_END.split(english)
        if len(sentences) == 1:
            self.missing.add(template_of(english)[0])
            return None
        translated = [self.text(sentence) for sentence in sentences]  # notes each missing sentence
        return None if None in translated else SENTENCE_JOINER[self.language].join(translated)

    def _translate(self, english: str) -> str | None:
        key, numbers = template_of(english)
        translation = self.texts.get(key)
        if translation is None:
            return None
        parts = translation.split(PLACEHOLDER)
        filled = [parts[0]]
        for number, part in zip(numbers, parts[1:], strict=True):  # the catalog's check keeps counts equal
            filled += [number, part]
        return "".join(filled)

    def take_missing(self) -> set[str]:
        missing, self.missing = self.missing, set()
        return missing


def template_of(english: str) -> tuple[str, list[str]]:
    """The catalog key of a text (numbers outside math written as {}) and those numbers, in order."""
    pieces, numbers, last = [], [], 0
    for math in [*_MATH.finditer(english), None]:
        end = math.start() if math else len(english)
        prose = english[last:end]
        numbers += _NUMBER.findall(prose)
        pieces.append(_NUMBER.sub(PLACEHOLDER, prose))
        if math:
            pieces.append(math.group())
            last = math.end()
    return "".join(pieces), numbers


def font_of(language: str) -> Path | None:
    """The font a language's figures are drawn with, or None when it is not installed (run `npm ci`):
    that language's pages then show the English figures."""
    font = FONTS.get(language)
    return font if font is not None and font.is_file() else None


def catalog_path(language: str) -> Path:
    return CATALOGS / f"{language}.yml"


@cache
def _load(language: str) -> tuple[dict[str, str], frozenset[str]]:
    path = catalog_path(language)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError:
        return {}, frozenset()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{shown(path)}:{mark.line + 1}" if mark else shown(path)
        raise GenError(where, f"not valid YAML ({getattr(err, 'problem', err)}).",
                       "Quote a text that holds a colon followed by a space.") from None
    texts = data.get("texts") or {}
    for english, translation in texts.items():
        if not isinstance(translation, str) or not translation.strip():
            raise GenError(shown(path), f"the text \"{english}\" has no translation.",
                           "Write its translation, or delete the entry: the figure then stays in English.")
        if translation.count(PLACEHOLDER) != str(english).count(PLACEHOLDER):
            raise GenError(shown(path), f"\"{english}\" has {str(english).count(PLACEHOLDER)} {{}} for "
                           f"numbers but its translation \"{translation}\" has {translation.count(PLACEHOLDER)}.",
                           "Keep one {} for each number, in the same order.")
    return {str(key): value for key, value in texts.items()}, frozenset(map(str, data.get("keep") or []))


def catalog(language: str) -> Catalog:
    """A fresh catalog for one rendering pass (its `missing` starts empty)."""
    texts, keep = _load(language)
    return Catalog(language, texts, keep)


# ---- the items of render.py, in another language ----------------------------------------------------
# Each returns the words its manifest entry holds, translated, or None (for a figure: leaves out the
# part) when one of them has no entry yet (the catalog notes which): that shows in English on that
# language's pages.


def translate_drawn(fig, catalog: Catalog) -> bool:
    """Translate every text of a drawn matplotlib figure in place; False if one had no entry."""
    from matplotlib.text import Text  # only when drawing

    complete = _translate_tick_labels(fig, catalog)
    for artist in fig.findobj(Text):
        english = artist.get_text()
        translated = catalog.text(english) if english else english
        if translated is None:
            complete = False
        elif translated != english:
            artist.set_text(translated)
    return complete


def _translate_tick_labels(fig, catalog: Catalog) -> bool:
    """Tick labels that a formatter writes only when the figure is drawn ("key 3", "round 2", the
    names on a categorical axis) are not texts yet when render.py returns: each axis's formatters are
    wrapped to translate what they write, and the figure is drawn once to see that all had entries."""
    from matplotlib.ticker import Formatter  # only when drawing

    class Translated(Formatter):
        def __init__(self, original: Formatter):
            self.original, self.complete = original, True

        def set_locs(self, locs):  # a scalar formatter chooses its offset and digits from the locations
            self.original.set_locs(locs)

        def get_offset(self) -> str:
            return self.original.get_offset()

        def __call__(self, x, pos=None) -> str:
            english = self.original(x, pos)
            translated = catalog.text(english) if english else english
            if translated is None:
                self.complete = False
                return english
            return translated

    wrapped = []
    for axes in fig.axes:
        for axis in (axes.xaxis, axes.yaxis):
            major, minor = Translated(axis.get_major_formatter()), Translated(axis.get_minor_formatter())
            axis.set_major_formatter(major)
            axis.set_minor_formatter(minor)
            wrapped += [major, minor]
    fig.canvas.draw()
    return all(formatter.complete for formatter in wrapped)


def figure_words(figure, catalog: Catalog) -> dict[str, str]:
    """The alt text and the caption (its judged opening sentence and the rest), each where it has all
    its entries: a sentence written from the data (which model wins, which method is fastest) may be
    one the catalog has not seen, and keeps only its own part in English."""
    words = {}
    alt = catalog.text(figure.alt)
    if alt is not None:
        words["alt"] = alt
    parts = [catalog.text(text) for text in [*([figure.lead.sentence] if figure.lead else []), figure.caption]]
    if None not in parts:
        words["caption"] = "".join(parts)  # Chinese sentences follow one another with no space
    return words


def table_words(table, catalog: Catalog) -> dict[str, str] | None:
    from dataclasses import replace

    columns = [catalog.text(str(column)) for column in table.columns]
    rows = [[catalog.text(str(cell)) for cell in row] for row in table.rows]
    caption = catalog.text(table.caption)
    if None in columns or caption is None or any(None in row for row in rows):
        return None
    return {"markdown": replace(table, columns=columns, rows=rows).markdown(), "caption": caption}


def value_words(value, catalog: Catalog) -> dict[str, str] | None:
    label, missing = catalog.text(value.label), catalog.text(value.missing)
    if label is None or missing is None:
        return None
    return {"label": label, "missing": missing}
