"""A tiny MkDocs site with the real results hook, built in a test's own folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.conftest import REPO, isolated_env, run

HOOK = REPO / "site_src" / "hooks" / "results.py"
FRONT_MATTER = "---\ntitle: A tiny page\nsummary: >-\n  Two lines of\n  front matter text.\n---\n\n"


def tiny_site(tmp: Path) -> Path:
    """A site with one experiment, 'tiny', with one value and a result file, using the real results hook."""
    result = tmp / "results" / "cpu" / "tiny.json"
    result.parent.mkdir(parents=True)
    result.write_text('{"experiment": "tiny"}\n')
    profile = {
        "result_file": str(result), "device": "Test CPU", "device_kind": "cpu", "date": "2024-01-02",
        "torch": "2.0", "failed_checks": [], "figures": {}, "tables": {},
        "values": {"answer": {"value": 42, "format": "d", "unit": "", "label": "the answer"}},
    }
    manifest = {"experiments": {"tiny": {"question": "q", "shown": "cpu", "notes": [], "profiles": {"cpu": profile}}}}
    (tmp / "rendered").mkdir()
    (tmp / "rendered" / "manifest.json").write_text(json.dumps(manifest))
    (tmp / "docs").mkdir()
    (tmp / "mkdocs.yml").write_text(f"site_name: Tiny\ntheme: mkdocs\nhooks:\n  - {HOOK}\n")
    return tmp


def build(site: Path, pages: dict[str, str]):
    for name, text in pages.items():
        (site / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "docs" / name).write_text(text)
    done = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site / "site")],
               isolated_env(site), cwd=site)
    return done, done.stdout + done.stderr


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)
