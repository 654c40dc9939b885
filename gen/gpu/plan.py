"""Which experiments a GPU run measures, in what order, how long each is expected to take, and a
lint of the gpu presets that catches what would fail only on the device.

Each experiment states in its __init__.py, next to the preset it describes:
- GPU_SECONDS: the estimated seconds of its gpu preset on one H100/H200, its process start included;
- RNN_LENGTH_FIELDS: the config fields that are sequence lengths fed to nn.LSTM / nn.GRU (cuDNN).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from gen.experiment import Experiment
from gen.paths import shown

BUDGET_SECONDS = 360  # what the gpu presets may add up to: a 15-minute loan, start-up and transfers included
# cuDNN's RNN kernels reject a sequence of 65,536 steps or more (an int16 limit inside cuDNN)
CUDNN_RNN_MAX_LENGTH = 65_535


@dataclass(frozen=True)
class Planned:
    experiment: Experiment
    estimate_s: float
    compiles: bool  # torch.compile in the gpu preset: its compile time is the least predictable, so last

    @property
    def name(self) -> str:
        return self.experiment.name


def plan(experiments: list[Experiment]) -> list[Planned]:
    """Cheapest first and compiling last: a run cut short by its deadline loses the least."""
    planned = [Planned(e, float(getattr(e.spec, "GPU_SECONDS", 60)), _compiles(e)) for e in experiments]
    return sorted(planned, key=lambda p: (p.compiles, p.estimate_s, p.name))


def _compiles(experiment: Experiment) -> bool:
    config = experiment.config("gpu")
    return any(value is True and "compile" in field.name
               for field in dataclasses.fields(config) for value in [getattr(config, field.name)])


def lint(experiments: list[Experiment]) -> list[str]:
    """Problems of the gpu presets that the CPU cannot show by running them, one line each."""
    import torch

    problems = []
    for experiment in experiments:
        where = shown(experiment.folder / "__init__.py")
        presets = experiment.spec.PRESETS
        for profile in ("gpu", "dry"):
            if profile not in presets:
                problems.append(f"{where}: experiment '{experiment.name}' has no '{profile}' preset.")
        if not isinstance(getattr(experiment.spec, "GPU_SECONDS", None), int | float):
            problems.append(f"{where}: experiment '{experiment.name}' states no GPU_SECONDS estimate.")
        if "gpu" not in presets:
            continue
        config = presets["gpu"]
        for field in dataclasses.fields(config):
            value = getattr(config, field.name)
            if field.name.endswith("dtype") and not isinstance(getattr(torch, str(value), None), torch.dtype):
                problems.append(f"{where}: gpu preset's {field.name} '{value}' is not a torch dtype.")
            if field.name in getattr(experiment.spec, "RNN_LENGTH_FIELDS", ()) and value and \
                    max(value) > CUDNN_RNN_MAX_LENGTH:
                problems.append(f"{where}: gpu preset's {field.name} reaches {max(value):,}; cuDNN's LSTM and "
                                f"GRU fail from 65,536 steps on. Stop at 32,768.")
        if presets.get("dry") == config and presets.get("cpu") != config:  # no sizes at all: nothing to shrink
            problems.append(f"{where}: the dry preset equals the gpu preset; a dry run must use toy sizes.")
    return problems


def estimate_line(planned: list[Planned]) -> str:
    total = sum(p.estimate_s for p in planned)
    parts = ", ".join(f"{p.name} {p.estimate_s:.0f} s" for p in planned)
    return f"plan: {len(planned)} experiments, estimated {total:.0f} s on one H100/H200 ({parts})"
