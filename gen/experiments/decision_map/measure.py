"""Ask the picker for its family on every (sequence length, device memory) cell, with and without the
need for exact lookup of distant tokens, every other input at the config's values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gen.experiments.decision_map import Config
from gen.picker.engine import load_rules, pick

TASKS = {"local": {"recall": False}, "recall": {"recall": True}}  # the two panels of the map


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    rules = load_rules()
    maps = {}
    for task, flags in TASKS.items():
        rows = []
        for memory in config.memories_gib:
            row = []
            for seq_len in config.seq_lens:
                answer = pick({"seq_len": seq_len, "device_memory_gib": memory, "params": config.params,
                               "training_tokens": config.training_tokens, "compute_budget": config.compute_budget,
                               **flags}, rules)
                row.append({"family": answer.family, "rule": answer.rule})
            rows.append(row)
        maps[task] = rows
        advance(1)
    return {
        "seq_lens": list(config.seq_lens),
        "memories_gib": list(config.memories_gib),
        "params": config.params,
        "families": {key: family["name"] for key, family in rules["families"].items()},
        "rules": [rule["key"] for rule in rules["rules"]],
        "maps": maps,
    }
