"""Readings of the decision map and its checks (torch-free; see gen/experiments/README.md)."""

from __future__ import annotations

from typing import Any

from gen.checks import EXACT, Check
from gen.experiments.decision_map import Config


def families_shown(data: dict[str, Any], task: str) -> list[str]:
    """The families that some cell of one panel gets, in the rules file's order."""
    present = {cell["family"] for row in data["maps"][task] for cell in row}
    return [key for key in data["families"] if key in present]


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    cells = [cell for task in data["maps"].values() for row in task for cell in row]
    unknown = [c for c in cells if c["family"] not in data["families"] or c["rule"] not in data["rules"]]
    shape_ok = all(len(task) == len(data["memories_gib"]) and all(len(row) == len(data["seq_lens"]) for row in task)
                   for task in data["maps"].values())
    return [
        Check("every_cell_decided_by_a_rule", not unknown and shape_ok,
              f"{len(cells)} cells on a {len(data['seq_lens'])} x {len(data['memories_gib'])} grid per panel; "
              f"{len(unknown)} with a family or rule the rules file does not have", EXACT),
        # A map of one colour would say nothing: the grid must cross at least one of the rules' boundaries.
        Check("the_map_crosses_a_boundary", all(len(families_shown(data, t)) >= 2 for t in data["maps"]),
              "families per panel: " + "; ".join(f"{t}: {', '.join(families_shown(data, t))}" for t in data["maps"]),
              EXACT),
    ]
