"""Which English page each translation translates, and whether the English page has changed since.

A translation sits beside its source with the language before the extension (docs/lessons/x.zh.md
translates docs/lessons/x.md; docs/exercises/x.zh.py translates docs/exercises/x.py) and records a hash
of the English file it was made from, in its front matter (a notebook: in its jupytext header):

    translation_of: 3f2a9c1b07de

When the English file changes, its hash no longer matches: the translated page shows a notice that the
English version is newer, and `make site` lists the outdated translations. After bringing a translation
up to date, record the new hash:

    python -m site_src.translations stamp docs/lessons/x.zh.md
    python -m site_src.translations            # lists outdated and missing translations
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from site_src.language import DEFAULT, LANGUAGES
from site_src.markdown_lines import scan

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGE_SUFFIXES = (".md", ".py")  # lessons and the other pages, and the exercise notebooks
HASH_LENGTH = 12
_RECORD = re.compile(r"^(?P<lead>#\s*)?translation_of:[ \t]*(?P<hash>\S*)[ \t]*$", re.M)
_HEAD_LINES = 40  # the record sits in the front matter or the notebook's first lines


class TranslationError(ValueError):
    def __init__(self, path: Path, line: int, problem: str):
        super().__init__(f"{_shown(path)}:{line}: {problem}")


@dataclass(frozen=True)
class Translation:
    path: Path  # docs/lessons/x.zh.md
    source: Path  # docs/lessons/x.md
    language: str
    recorded: str  # the source's hash when the translation was made
    current: str  # the source's hash now

    @property
    def outdated(self) -> bool:
        return self.recorded != self.current


def language_of(path: Path) -> str:
    """'zh' for x.zh.md, the default language for x.md."""
    parts = path.name.split(".")
    return parts[-2] if len(parts) > 2 and parts[-2] in LANGUAGES else DEFAULT


def source_of(path: Path) -> Path:
    """The English file a translation translates: x.zh.md -> x.md."""
    language = language_of(path)
    if language == DEFAULT:
        return path
    return path.with_name(path.name.replace(f".{language}.", ".", 1))


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


def read(path: Path) -> Translation:
    """The translation at `path`, with the hash it records and its source's hash now."""
    source = source_of(path)
    if not source.exists():
        raise TranslationError(path, 1, f"translates {_shown(source)}, which does not exist; rename the "
                                        "translation after the English page it translates")
    head = "\n".join(path.read_text(encoding="utf-8").splitlines()[:_HEAD_LINES])
    match = _RECORD.search(head)
    if match is None or not re.fullmatch(rf"[0-9a-f]{{{HASH_LENGTH}}}", match["hash"]):
        line = head[:match.start()].count("\n") + 1 if match else 1
        raise TranslationError(path, line, "needs 'translation_of: <hash of the English page>' in its front "
                                           "matter (a notebook: in its jupytext header); run "
                                           f"`python -m site_src.translations stamp {_shown(path)}`")
    return Translation(path, source, language_of(path), match["hash"], source_hash(source))


def translations(docs: Path = DOCS) -> list[Translation]:
    """Every translation below docs/, sorted by path."""
    found = [path for path in docs.rglob("*.*.*") if path.suffix in PAGE_SUFFIXES and language_of(path) != DEFAULT]
    return [read(path) for path in sorted(found)]


def untranslated(language: str, docs: Path = DOCS) -> list[Path]:
    """English pages that have no translation into `language` yet."""
    pages = [path for path in docs.rglob("*") if path.suffix in PAGE_SUFFIXES and language_of(path) == DEFAULT]
    return sorted(path for path in pages
                  if not path.with_name(f"{path.stem}.{language}{path.suffix}").exists() and _is_page(path, docs))


def stamp(path: Path) -> None:
    """Record the current hash of the English source in the translation (adding the line if needed)."""
    text = path.read_text(encoding="utf-8")
    current = source_hash(source_of(path))
    match = _RECORD.search("\n".join(text.splitlines()[:_HEAD_LINES]))
    if match:
        text = text[:match.start()] + f"{match['lead'] or ''}translation_of: {current}" + text[match.end():]
    elif path.suffix == ".md" and text.startswith("---\n"):
        text = "---\n" + f"translation_of: {current}\n" + text[4:]
    elif path.suffix == ".md":
        text = f"---\ntranslation_of: {current}\n---\n\n" + text
    elif "# jupyter:\n" in text:  # a jupytext notebook: the record becomes notebook metadata, shown nowhere
        text = text.replace("# jupyter:\n", f"# jupyter:\n#   translation_of: {current}\n", 1)
    else:
        raise TranslationError(path, 1, "has no front matter or jupytext header to record the hash in")
    path.write_text(text, encoding="utf-8")


def report(docs: Path = DOCS) -> str:
    """What `make site` prints: the outdated translations and the pages not translated yet."""
    lines = []
    outdated = [t for t in translations(docs) if t.outdated]
    if outdated:
        lines.append("Outdated translations (their English page has changed since):")
        lines += [f"  {_shown(t.path)} (translates {_shown(t.source)})" for t in outdated]
    for language in LANGUAGES[1:]:
        missing = untranslated(language, docs)
        if missing:
            lines.append(f"Not yet translated into '{language}' (shown in English there): "
                         + ", ".join(_shown(path) for path in missing))
    return "\n".join(lines) or "Every translation is up to date."


# What may stay English in a Chinese page's prose: references and comments, link targets, tags and
# attributes, quoted or italic titles (a paper's, a source's own words), and URLs. Code and math are
# masked by site_src/markdown_lines.py already.
_NOT_PROSE = re.compile(r"<!--.*?-->|\{\{.*?\}\}|\]\([^)]*\)|<[^>]+>|\{[:#.][^}]*\}|https?://\S+"
                        r"|“[^”]*”|\"[^\"\n]*\"|(?<!\*)\*(?!\*)[^*\n]+(?<!\*)\*(?!\*)|《[^》]*》")
_ENGLISH_RUN = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*(?:[ ,]+[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*){%d,}")  # Aäron is one word
ENGLISH_RUN_WORDS = 4  # "KV cache", "Llama-2-7B", "FlashAttention-2 kernel" are shorter: names, not prose


def english_runs(markdown: str, words: int = ENGLISH_RUN_WORDS) -> list[tuple[int, str]]:
    """(line, text) of each run of `words` or more English words in a translated page's prose."""
    body_start = 0
    if markdown.startswith("---\n"):  # the front matter: keys, and key_terms that are ids
        end = markdown.find("\n---", 4)
        body_start = markdown[:end].count("\n") + 2 if end > 0 else 0
    pattern = re.compile(_ENGLISH_RUN.pattern % (words - 1))
    found = []
    for line in scan(markdown):
        if line.masked is None or line.number <= body_start:
            continue
        text = _NOT_PROSE.sub(" ", line.masked)
        found += [(line.number, match[0]) for match in pattern.finditer(text)]
    return found


def _is_page(path: Path, docs: Path) -> bool:
    # Notebooks are pages only in docs/exercises (mkdocs.yml's mkdocs-jupyter include)
    return path.suffix == ".md" or path.parent == docs / "exercises"


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_src.translations", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    stamp_command = commands.add_parser("stamp", help="record the English page's current hash in translations")
    stamp_command.add_argument("files", nargs="+", type=Path, help="translations, e.g. docs/index.zh.md")
    args = parser.parse_args(argv)
    try:
        if args.command == "stamp":
            for path in args.files:
                if language_of(path) == DEFAULT:
                    parser.error(f"{path} is not a translation (expected a name like page.zh.md)")
                source_of(path).stat()
                stamp(path)
                print(f"{_shown(path)}: translation_of {source_hash(source_of(path))}")
            return 0
        print(report())
        return 0
    except (TranslationError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
