"""A tiny site whose glossary, quiz and lesson carry HTML payloads, built with the real hooks."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import REPO, isolated_env, run

HOOKS = REPO / "site_src" / "hooks"
IMG = "<img src=x onerror=alert(1)>"
GLOSSARY = f"""- term: Depth {IMG}
  short: Steps in a row <script>alert(2)</script> {IMG}
  long: Explained <script>alert(3)</script> at length {IMG}.
  aliases: [serial depth]
- term: Work
  short: All the operations {IMG}
  long: Counted once each.
  related: [Depth {IMG}]
"""
LESSON = f"""---
title: Lesson
key_terms: [Depth {IMG}, work]
---

# Lesson

We measure serial depth and work here.

<quiz>
Which is slower? <script>alert(4)</script> {IMG}
- [x] A loop <script>alert(5)</script> {IMG}
  > It waits for each step. <script>alert(6)</script> {IMG}
- [ ] A sum
  > It runs in C. {IMG}
</quiz>
"""


def build(tmp: Path, theme: str) -> Path:
    docs = tmp / "docs"
    docs.mkdir()
    (docs / "glossary.yml").write_text(GLOSSARY)
    (docs / "glossary.md").write_text("# Glossary\n\n<!-- glossary entries -->\n")
    (docs / "lesson.md").write_text(LESSON)
    (tmp / "mkdocs.yml").write_text(
        f"site_name: Tiny\ntheme:\n  name: {theme}\nexclude_docs: glossary.yml\n"
        "markdown_extensions: [abbr, attr_list, md_in_html]\nplugins: [mkdocs_quiz]\n"
        # assets.py serves the quiz script and stylesheet that quizzes.py links in place of mkdocs-quiz's inlined ones
        "extra_css: [assets/site/style.css]\n"
        f"hooks:\n  - {HOOKS / 'assets.py'}\n  - {HOOKS / 'quizzes.py'}\n  - {HOOKS / 'glossary.py'}\n"
    )
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp / "site")]
    done = run(command, isolated_env(tmp), cwd=tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    return tmp / "site"
