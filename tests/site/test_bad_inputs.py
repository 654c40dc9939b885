"""Every input in tests/bad_inputs/ (see its README) stops the real command with one clear line.

Each case runs what a contributor runs, `mkdocs build --strict` on a tiny site or `python -m gen`, and
the output must hold exactly one `path:line:` message naming the bad file and the line to look at,
the command must fail, and nothing may print a traceback. The stale GPU result is the exception that
builds: the site must not use it, and both the render log and the page's build error must say so.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gen.experiment import Experiment
from tests.conftest import REPO, isolated_env, run
from tests.site.building import build, line_of, tiny_site

BAD = REPO / "tests" / "bad_inputs"
HOOKS = REPO / "site_src" / "hooks"
FIXTURE_EXPERIMENTS = REPO / "tests" / "fixtures" / "experiments"
GLOSSARY = """- term: Serial depth
  short: The longest chain of steps that must run one after another.
  long: Explained at length.
  aliases: [serial depth]
"""
WHERE = re.compile(r"(?<![\w/.-])((?:/|[\w.-]+/)[\w./-]*\.[a-z]+):(\d+):")  # path:line: in an output


def full_tiny_site(tmp: Path) -> Path:
    """test_site_build's tiny site, with the quiz and glossary hooks too, in the order mkdocs.yml has them."""
    site = tiny_site(tmp)
    (site / "docs" / "glossary.yml").write_text(GLOSSARY)
    (site / "docs" / "glossary.md").write_text("# Glossary\n\n<!-- glossary entries -->\n")
    hooks = "".join(f"  - {HOOKS / name}\n" for name in ("quizzes.py", "results.py", "glossary.py"))
    (site / "mkdocs.yml").write_text(
        "site_name: Tiny\ntheme: mkdocs\nexclude_docs: glossary.yml\nmarkdown_extensions: [abbr, attr_list]\n"
        f"plugins: [mkdocs_quiz]\nhooks:\n{hooks}"
    )
    return site


@dataclass(frozen=True)
class Outcome:
    returncode: int
    output: str


def messages(output: str) -> list[tuple[str, int]]:
    return [(path, int(line)) for path, line in WHERE.findall(output)]


def build_page(tmp: Path, page: Path) -> Outcome:
    done, output = build(full_tiny_site(tmp), {"page.md": page.read_text()})
    return Outcome(done.returncode, output)


# ---- the cases: each returns the outcome, the file and line it must name, and words the message has --

def page_case(name: str, needle: str, words: str, line_offset: int = 0):
    """A case whose bad input is one page, tests/bad_inputs/<name>.md: the message names the line of
    `needle` in it (plus line_offset) and holds `words`."""
    def case(tmp: Path):
        page = BAD / f"{name}.md"
        return build_page(tmp, page), "docs/page.md", line_of(page.read_text(), needle) + line_offset, words

    case.__name__ = name
    return case


malformed_quiz = page_case("malformed_quiz", "- [y]", "write a choice as")
unknown_glossary_term = page_case("unknown_glossary_term", "key_terms:",
                                  "key term 'warp drive' is not in docs/glossary.yml")
key_terms_not_a_list = page_case("key_terms_not_a_list", "key_terms:", "key_terms must be a list")
unknown_value_id = page_case("unknown_value_id", "no_such_value", "unknown value id 'tiny.no_such_value'")
unknown_figure_id = page_case("unknown_figure_id", "no_such_figure", "unknown figure id 'tiny.no_such_figure'")
unknown_reported_id = page_case("unknown_reported_id", "no_such_number",
                                "no entry 'no_such_number' in docs/reported.yml")
guard_no_longer_holds = page_case("guard_no_longer_holds", "holds: tiny.answer",
                                  "the sentence after this guard needs tiny.answer < 10, but")
malformed_front_matter = page_case("malformed_front_matter", "title:", "front matter is not valid YAML", line_offset=1)


def missing_figure_file(tmp: Path):
    case = BAD / "missing_figure_file"
    site = full_tiny_site(tmp)
    shutil.copy(case / "rendered" / "manifest.json", site / "rendered" / "manifest.json")
    done, output = build(site, {"page.md": (case / "page.md").read_text()})
    return (Outcome(done.returncode, output), "docs/page.md", line_of((case / "page.md").read_text(), "tiny.plot"),
            "figures/tiny/plot.cpu-light.svg")


def malformed_glossary(tmp: Path):
    glossary = BAD / "malformed_glossary.yml"
    site = full_tiny_site(tmp)
    shutil.copy(glossary, site / "docs" / "glossary.yml")
    done, output = build(site, {"page.md": "# A page\n"})
    return (Outcome(done.returncode, output), "docs/glossary.yml", line_of(glossary.read_text(), "- term: Recurrence"),
            "not valid YAML")


def crashing_experiment(tmp: Path):
    measure = BAD / "crashing_experiment" / "bad_input_crash" / "measure.py"
    env = {**isolated_env(tmp), "RVA_EXPERIMENTS": "bad_input_crash", "PYTHONPATH": str(measure.parent.parent)}
    done = run([sys.executable, "-m", "gen", "--profile", "smoke", "--device", "cpu"], env)
    return (Outcome(done.returncode, done.stdout + done.stderr), measure.relative_to(REPO).as_posix(),
            line_of(measure.read_text(), "# the crash"), "experiment 'bad_input_crash' crashed: ZeroDivisionError")


CASES = [malformed_quiz, unknown_glossary_term, key_terms_not_a_list, unknown_value_id, unknown_figure_id,
         unknown_reported_id, guard_no_longer_holds, missing_figure_file, malformed_front_matter,
         malformed_glossary, crashing_experiment]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_a_bad_input_fails_with_one_line_naming_its_file_and_line_and_no_traceback(tmp_path, case):
    outcome, path, line, words = case(tmp_path)
    assert outcome.returncode != 0, outcome.output
    assert "Traceback" not in outcome.output
    assert messages(outcome.output) == [(path, line)], outcome.output
    (message,) = [text for text in outcome.output.splitlines() if f"{path}:{line}:" in text]
    assert words in message, outcome.output


def test_every_bad_input_has_a_case_and_a_line_in_the_readme():
    readme = (BAD / "README.md").read_text()
    fixtures = sorted(p.name for p in BAD.iterdir() if p.name != "README.md" and not p.name.startswith("."))
    named = sorted({case.__name__ for case in CASES} | {"stale_gpu_result"})
    assert sorted(Path(name).stem for name in fixtures) == named
    for name in fixtures:
        assert f"`{name}`" in readme or f"`{name}/`" in readme, name


# ---- a stale frozen GPU result: not shown, and said so ----------------------------------------------


@pytest.fixture
def stale_gpu(tmp_path, monkeypatch):
    """The tiny site rendered from a results folder whose only fixture_steady result is a stale GPU one.

    The stored digests are today's except measure.py's, so that the case stays about that one file
    whatever shared measuring code changes later."""
    case = BAD / "stale_gpu_result"
    site = full_tiny_site(tmp_path)
    shutil.rmtree(site / "results")
    shutil.copytree(case / "results", site / "results")
    monkeypatch.syspath_prepend(str(FIXTURE_EXPERIMENTS))
    stored = site / "results" / "gpu" / "fixture_steady.json"
    result = json.loads(stored.read_text())
    measure = "tests/fixtures/experiments/fixture_steady/measure.py"
    parts = Experiment("fixture_steady").hash_parts("gpu")
    result["provenance"]["hash_parts"] = {**parts, measure: result["provenance"]["hash_parts"][measure]}
    stored.write_text(json.dumps(result, indent=1, sort_keys=True))
    env = {**isolated_env(site), "RVA_EXPERIMENTS": "fixture_steady", "PYTHONPATH": str(FIXTURE_EXPERIMENTS)}
    rendered = run([sys.executable, "-m", "gen", "render"], env)
    status = run([sys.executable, "-m", "gen", "status"], env)
    done, output = build(site, {"page.md": (case / "page.md").read_text()})
    return rendered, status, Outcome(done.returncode, output), site


def test_a_stale_gpu_result_is_named_as_stale_when_rendering(stale_gpu):
    rendered, *_ = stale_gpu
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    assert "Traceback" not in rendered.stdout + rendered.stderr
    (note,) = [line for line in rendered.stdout.splitlines() if "note:" in line]
    assert "gpu/fixture_steady.json is stale" in note
    assert "tests/fixtures/experiments/fixture_steady/measure.py changed since it was measured" in note
    assert "no current result to show" in note


def test_a_stale_gpu_result_is_marked_stale_by_status(stale_gpu):
    _, status, *_ = stale_gpu
    assert status.returncode == 0, status.stderr
    (gpu,) = [line for line in status.stdout.splitlines() if line.startswith("  gpu ")]
    assert gpu.startswith("  gpu    STALE: tests/fixtures/experiments/fixture_steady/measure.py changed")
    assert "shown on the site" not in gpu


def test_a_page_quoting_only_a_stale_gpu_result_fails_at_its_line_saying_why(stale_gpu):
    *_, built, _ = stale_gpu
    page = (BAD / "stale_gpu_result" / "page.md").read_text()
    assert built.returncode != 0
    assert "Traceback" not in built.output
    assert messages(built.output) == [("docs/page.md", line_of(page, "fixture_steady.largest_n"))]
    assert "no current result of 'fixture_steady'" in built.output
    assert "gpu/fixture_steady.json is stale" in built.output
