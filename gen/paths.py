"""Where things live. Tests point RVA_RESULTS and RVA_RENDERED at temporary folders."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def results_root() -> Path:
    """Measured data: results/<profile>/<experiment>.json."""
    return Path(os.environ.get("RVA_RESULTS", REPO_ROOT / "results"))


def rendered_root() -> Path:
    """Rendered figures, tables and the manifest that the site's hooks read."""
    return Path(os.environ.get("RVA_RENDERED", REPO_ROOT / "build" / "rendered"))


def result_path(profile: str, experiment: str) -> Path:
    return results_root() / profile / f"{experiment}.json"


def shown(path: Path) -> str:
    """A path as a contributor would type it: relative to the repository when it is inside it."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
