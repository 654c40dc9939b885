"""Readings of what the batch and a second thread buy each layer, and the checks judged from them.

Torch-free and outside the measuring hash (see gen/experiments/README.md).
"""

from __future__ import annotations

from typing import Any

from gen.checks import TIMING, Check
from gen.experiments.parallel_units import Config


def seconds(entry: dict[str, Any], name: str) -> float | None:
    timing = entry["timings"].get(name)
    return timing["median_s"] if isinstance(timing, dict) else None


def per_sequence(data: dict[str, Any], name: str) -> tuple[list[int], list[float]]:
    """Batch sizes and training-step seconds per sequence, where the layer was timed."""
    pairs = [(e["batch"], seconds(e, name) / e["batch"]) for e in data["by_batch"] if seconds(e, name)]
    return [b for b, _ in pairs], [t for _, t in pairs]


def batch_gain(data: dict[str, Any], name: str) -> float | None:
    """Time per sequence at the smallest batch over that at the largest: how much idle hardware the
    batch put to work (1 means none: the machine was already full with one sequence)."""
    batches, times = per_sequence(data, name)
    return times[0] / times[-1] if len(times) >= 2 else None


def thread_speedup(data: dict[str, Any], name: str) -> float | None:
    """Training-step time on the fewest threads over that on the most, at the thread batch."""
    entries = sorted(data["by_threads"], key=lambda e: e["threads"])
    if len(entries) < 2:
        return None
    first, last = seconds(entries[0], name), seconds(entries[-1], name)
    return first / last if first and last else None


def graph_speedup(data: dict[str, Any], name: str, batch: int) -> float | None:
    """A per-step recurrence's forward time launched step by step over its time replayed from a CUDA
    Graph, at one batch: how much of the step-by-step time was launching kernels (1 means none).
    None where no graph was timed (no CUDA device, or the capture failed)."""
    entry = next((g for g in data.get("graphs", []) if g["layer"] == name and g["batch"] == batch), None)
    if entry is None:
        return None
    launched, graphed = (seconds(entry, variant) for variant in ("launched", "graphed"))
    return launched / graphed if launched and graphed else None


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    gains = {layer["name"]: batch_gain(data, layer["name"]) for layer in data["layers"]}
    recurrent = [layer["name"] for layer in data["layers"] if layer["family"] == "recurrent"]
    transformer = gains.get("transformer")
    shown = ", ".join(f"{name} {'—' if g is None else f'{g:.2f}'}" for name, g in gains.items())
    more = transformer is not None and all(gains[name] is not None and gains[name] > transformer
                                           for name in recurrent)
    return [
        # One sequence gives each step of a recurrence a matrix-vector product, too little work for
        # the machine; a batch turns it into a matrix product. A Transformer layer already multiplies
        # (T, d) matrices with one sequence, so the batch leaves it less idle hardware to fill. On one
        # CPU thread the Transformer's own gain can be below 1 (a larger working set, no idle units).
        Check("recurrent_layers_gain_more_from_the_batch", more,
              f"time per sequence at batch {config.batches[0]} ÷ at batch {config.batches[-1]}: {shown}; "
              "expected every recurrent layer's above the Transformer layer's", TIMING),
    ]
