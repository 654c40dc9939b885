"""Small facts about a page that several hooks need: its path as a contributor knows it, its front
matter, and where its Markdown starts in the source file (so errors point at the right line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import YAML_RE, SafeLoader  # the loader and pattern MkDocs itself uses

from site_src.markdown_lines import LineError
from site_src.yaml_errors import located

_FIX = "Fix the lines between the two '---' lines; quote a value that holds ': ' or starts with [ or {"


class FrontMatterError(LineError):
    pass


def source_path(page: Page, config: MkDocsConfig) -> str:
    """docs/lessons/x.md: relative to the working directory when the docs are below it."""
    docs = Path(config.docs_dir)
    try:
        docs = docs.relative_to(Path.cwd())
    except ValueError:
        pass
    return (docs / page.file.src_uri).as_posix()


def front_matter_lines(page: Page, markdown: str) -> int:
    """How many lines of the source file precede the Markdown that hooks see (the front matter)."""
    source = page.file.content_string
    start = source.find(markdown[:200]) if markdown else -1
    return source[:start].count("\n") if start > 0 else 0


def front_matter(source: str) -> dict[str, Any]:
    """A page's front matter as MkDocs reads it, {} when there is none.

    MkDocs shows a front matter block that is not a YAML mapping as text, silently; this raises
    FrontMatterError with the line of the page instead.
    """
    match = YAML_RE.match(source)
    if not match:
        return {}
    try:
        data = yaml.load(match.group(1), SafeLoader)
    except yaml.YAMLError as err:
        line, problem = located(err, match.group(1))
        line += 1  # the YAML starts on the line after the opening ---
        raise FrontMatterError(line, f"front matter is not valid YAML ({problem}). {_FIX}") from None
    except (ValueError, RecursionError) as err:  # a value YAML parses but Python cannot hold: 2024-02-30
        raise FrontMatterError(2, f"front matter is not valid YAML ({' '.join(str(err).split())}). {_FIX}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(2, f"front matter must be 'key: value' lines. {_FIX}")
    return data
