"""Finding experiments and fingerprinting the code and config that a measurement depends on."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import os
import traceback
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from gen.errors import GenError
from gen.paths import REPO_ROOT, shown

PROFILES = ("smoke", "cpu", "gpu")

# Shared measuring code: a change here can change every measurement, so it is part of every hash.
# Readings and checks (gen/analysis.py, gen/checks.py, each experiment's readings.py) are not: they
# are judged from the stored data by today's code, so changing them re-judges without re-measuring.
SHARED_MEASURING_SOURCES = tuple(sorted(
    p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "gen" / "measuring").glob("*.py")
))
# An experiment's modules that are not measuring code: its config (hashed as data), its torch-free
# readings and checks, and its rendering (render.py, and render_<part>.py where it is split by concern).
NOT_MEASURING = ("__init__.py", "readings.py", "render.py")
RENDER_PART_PREFIX = "render_"


@dataclass(frozen=True)
class Experiment:
    """One experiment package, e.g. ``gen.experiments.serial_depth``."""

    package: str

    @property
    def name(self) -> str:
        return self.package.rsplit(".", 1)[-1]

    @cached_property
    def spec(self) -> ModuleType:
        """The package itself: config and presets, importable without torch."""
        return importlib.import_module(self.package)

    @property
    def question(self) -> str:
        return (self.spec.__doc__ or self.name).strip().splitlines()[0]

    @property
    def folder(self) -> Path:
        return Path(self.spec.__file__).parent

    def config(self, profile: str) -> Any:
        presets = self.spec.PRESETS
        if profile not in presets:
            raise GenError(
                shown(Path(self.spec.__file__)),
                f"experiment '{self.name}' has no '{profile}' preset.",
                f"Add one to PRESETS (it has: {', '.join(presets)}).",
            )
        return presets[profile]

    def measuring_module(self) -> ModuleType:
        """measure.py, which imports torch: import it only to measure."""
        return importlib.import_module(f"{self.package}.measure")

    def readings_module(self) -> ModuleType:
        """readings.py: the torch-free readings of the data and the self-checks judged from them."""
        return importlib.import_module(f"{self.package}.readings")

    def rendering_module(self) -> ModuleType:
        return importlib.import_module(f"{self.package}.render")

    def measuring_sources(self) -> list[Path]:
        """The package's measuring code: every module but those in NOT_MEASURING."""
        return sorted(p for p in self.folder.glob("*.py")
                      if p.name not in NOT_MEASURING and not p.name.startswith(RENDER_PART_PREFIX))

    def hash_parts(self, profile: str) -> dict[str, str]:
        """A digest of each input that can change a measurement: the code, and this profile's config."""
        config = dataclasses.asdict(self.config(profile))
        parts = {"config": _digest(json.dumps(config, sort_keys=True).encode())}
        for source in self.measuring_sources():
            parts[shown(source)] = _digest(source.read_bytes())
        for relative in (*SHARED_MEASURING_SOURCES, *self.measured_inputs()):
            parts[relative] = _digest((REPO_ROOT / relative).read_bytes())
        return parts

    def measured_inputs(self) -> tuple[str, ...]:
        """Files outside the package that decide its data (MEASURED_INPUTS in its __init__.py, paths from
        the repository root): decision_map's picker rules. Hashed like its code."""
        return tuple(getattr(self.spec, "MEASURED_INPUTS", ()))

    def innermost_frame(self, err: BaseException) -> str | None:
        """file:line of the innermost frame of err's traceback inside this package, if any."""
        frames = traceback.extract_tb(err.__traceback__)
        inside = [f for f in frames if Path(f.filename).resolve().is_relative_to(self.folder.resolve())]
        return f"{shown(Path(inside[-1].filename))}:{inside[-1].lineno}" if inside else None

    def code_hash(self, profile: str) -> str:
        parts = self.hash_parts(profile)
        return _digest("\n".join(f"{k}={v}" for k, v in sorted(parts.items())).encode())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def all_experiments() -> list[Experiment]:
    """The site's experiments, or those named in RVA_EXPERIMENTS (a test seam: comma-separated packages)."""
    override = os.environ.get("RVA_EXPERIMENTS")
    if override:
        return [Experiment(package.strip()) for package in override.split(",") if package.strip()]
    from gen.experiments import names

    return [Experiment(f"gen.experiments.{name}") for name in names()]


def select(names: list[str] | None) -> list[Experiment]:
    experiments = all_experiments()
    if not names:
        return experiments
    known = {e.name: e for e in experiments}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise GenError(
            "--only",
            f"no experiment named {', '.join(repr(n) for n in unknown)}.",
            f"Known experiments: {', '.join(known)} (see `python -m gen --list`).",
        )
    return [known[n] for n in names]
