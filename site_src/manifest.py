"""The rendered manifest (build/rendered/manifest.json) and lookups of references in it.

Every lookup either returns what the page needs or raises LookupProblem with a sentence that says
what is wrong and what to do; the hook adds the page and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_src.references import Reference

_PLURAL = {"value": "values", "figure": "figures", "table": "tables"}


class LookupProblem(Exception):
    """A reference the manifest cannot satisfy."""


@dataclass(frozen=True)
class Resolved:
    """One figure, table or value, and the result it was drawn from."""

    item: dict[str, Any]  # a FigureEntry, TableEntry or ValueEntry (gen/render/model.py)
    experiment: str
    profile: str
    source: dict[str, Any]  # that profile's entry: device, date, result file, failed checks...
    notes: list[str]  # stale results the site is not showing, said in the caption


class Manifest:
    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.experiments: dict[str, Any] = data.get("experiments", {})
        self.path = path

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            raise LookupProblem(
                f"{path} is missing: results have not been rendered. Run `make site` "
                "(or `python -m gen` before `mkdocs build`)."
            )
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")), path)
        except json.JSONDecodeError as err:
            raise LookupProblem(
                f"{path}:{err.lineno}: not valid JSON ({err.msg}). Write it again: `python -m gen render`."
            ) from None

    def resolve(self, ref: Reference) -> Resolved:
        experiment = self.experiments.get(ref.experiment)
        if experiment is None:
            known = ", ".join(sorted(self.experiments)) or "none"
            raise LookupProblem(
                f"unknown experiment '{ref.experiment}' in {ref.kind} id '{ref.id}' (experiments: {known})."
            )
        profile = ref.profile or experiment["shown"]
        profiles = experiment["profiles"]
        if profile is None or profile not in profiles:
            why = "; ".join(experiment["notes"]) or "no current result of that profile exists"
            want = f" for profile '{ref.profile}'" if ref.profile else ""
            raise LookupProblem(
                f"no current result of '{ref.experiment}'{want} ({why}). Run `make gen` to measure it."
            )
        source = profiles[profile]
        items = source[_PLURAL[ref.kind]]
        if ref.key not in items:
            known = ", ".join(f"{ref.experiment}.{k}" for k in sorted(items)) or "none"
            raise LookupProblem(f"unknown {ref.kind} id '{ref.id}'. Known {_PLURAL[ref.kind]}: {known}.")
        # Smoke data is for tests, never for readers: its own smoke tests report failed checks, and a
        # noisy smoke run should not also stop every test that builds the site.
        if source["failed_checks"] and profile != "smoke":
            failed = "; ".join(f"{c['name']}: {c['detail']}" for c in source["failed_checks"])
            raise LookupProblem(
                f"'{ref.id}' comes from {source['result_file']}, whose self-checks failed ({failed}). "
                f"Fix the experiment, or re-measure: `python -m gen --only {ref.experiment} --force`."
            )
        if ref.kind == "figure":
            variants = [v for v in [items[ref.key], *items[ref.key].get("translations", {}).values()] if "light" in v]
            missing = [v[t] for v in variants for t in ("light", "dark") if not (self.path.parent / v[t]).exists()]
            if missing:
                raise LookupProblem(
                    f"figure file {self.path.parent / missing[0]} is missing, though {self.path.name} lists it. "
                    "Render again: `python -m gen render` (or `make gen`)."
                )
        notes = experiment["notes"] if profile == experiment["shown"] else []
        return Resolved(items[ref.key], ref.experiment, profile, source, notes)
