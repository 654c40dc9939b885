"""The quiz and glossary hooks in a tiny site: bad input stops the build at the page's own line, and
text from quizzes and the glossary reaches the page as text, never as markup."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import REPO, isolated_env, run

HOOKS = REPO / "site_src" / "hooks"
GLOSSARY = """- term: Serial depth
  short: The longest chain of dependent steps <script>alert('short')</script>.
  long: Explained at length, with <script>alert('long')</script> shown as text.
  aliases: [serial depth]
"""
QUIZ = """<quiz>
Which has serial depth T?
- [x] A recurrence
  > It waits for each step. <script>alert('feedback')</script>
- [ ] A tree of pairs
  > Its depth is logarithmic.
</quiz>
"""
FRONT = "---\ntitle: Lesson\nkey_terms: [serial depth]\n---\n\n# Lesson\n\nWe measure serial depth here.\n\n"


def build(tmp: Path, lesson: str, glossary: str = GLOSSARY):
    docs = tmp / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "glossary.yml").write_text(glossary)
    (docs / "glossary.md").write_text("# Glossary\n\n<!-- glossary entries -->\n")
    (docs / "lesson.md").write_text(lesson)
    (tmp / "mkdocs.yml").write_text(
        "site_name: Tiny\ntheme: mkdocs\nexclude_docs: glossary.yml\nmarkdown_extensions: [abbr, attr_list]\n"
        "plugins: [mkdocs_quiz]\n"  # assets.py serves the quiz script that quizzes.py links
        f"hooks:\n  - {HOOKS / 'assets.py'}\n  - {HOOKS / 'quizzes.py'}\n  - {HOOKS / 'glossary.py'}\n"
    )
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp / "site")]
    done = run(command, isolated_env(tmp), cwd=tmp)
    return done, done.stdout + done.stderr


def test_a_good_lesson_gets_key_terms_hover_definitions_and_a_glossary_entry(tmp_path):
    done, output = build(tmp_path, FRONT + QUIZ)
    assert done.returncode == 0, output
    lesson = (tmp_path / "site" / "lesson" / "index.html").read_text()
    assert "Key terms" in lesson and 'href="../glossary/#serial-depth"' in lesson
    assert '<abbr title="The longest chain of dependent steps' in lesson
    glossary = (tmp_path / "site" / "glossary" / "index.html").read_text()
    assert 'id="serial-depth"' in glossary and 'href="../lesson/"' in glossary


def test_script_in_quiz_and_glossary_text_is_shown_as_text_never_as_a_tag(tmp_path):
    done, output = build(tmp_path, FRONT + QUIZ)
    assert done.returncode == 0, output
    for page in ("lesson", "glossary"):
        html = (tmp_path / "site" / page / "index.html").read_text()
        assert "<script>alert(" not in html, page
        assert "&lt;script&gt;alert(" in html or "&lt;script>alert(" in html, page


def test_an_unknown_key_term_stops_the_build_at_the_front_matter_line(tmp_path):
    done, output = build(tmp_path, FRONT.replace("[serial depth]", "[serial depth, warp drive]") + QUIZ)
    assert done.returncode != 0
    assert "docs/lesson.md:3: key term 'warp drive' is not in docs/glossary.yml" in output
    assert "Traceback" not in output


def test_a_quiz_without_a_correct_answer_stops_the_build_at_the_quiz_line(tmp_path):
    lesson = FRONT + QUIZ.replace("- [x]", "- [ ]")
    done, output = build(tmp_path, lesson)
    assert done.returncode != 0
    quiz_line = lesson.splitlines().index("<quiz>") + 1
    assert f"docs/lesson.md:{quiz_line}: the quiz has no correct answer" in output
    assert "Traceback" not in output


def test_a_malformed_glossary_stops_the_build_at_the_yaml_line(tmp_path):
    done, output = build(tmp_path, FRONT, glossary=GLOSSARY + "- term: Orphan\n  long: no short text\n")
    assert done.returncode != 0
    assert "docs/glossary.yml:5: the entry needs a non-empty 'short'" in output
    assert "Traceback" not in output
