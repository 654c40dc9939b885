"""Checks that the diagrams show what the lessons compute (torch-free; see gen/experiments/README.md)."""

from __future__ import annotations

from typing import Any

from gen.checks import EXACT, Check, close
from gen.experiments.concepts import Config

LESSON_STATES = (1.0, 0.5, 0.25, 2.125)  # lesson 1's h_1..h_4, written out in its text
LESSON_WEIGHTS = (0.401, 0.198, 0.401)  # and its attention weights, to three decimals


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    causal = data["causal_weights"]
    above = max(abs(w) for i, row in enumerate(causal) for j, w in enumerate(row) if j > i)
    rows = max(abs(sum(row) - 1) for row in causal)
    states_off = max(abs(a - b) for a, b in zip(data["states"], LESSON_STATES, strict=True))
    weights_off = max(abs(a - b) for a, b in zip(data["attention"]["weights"], LESSON_WEIGHTS, strict=True))
    return [
        close("states_as_lesson_1_says", states_off, 1e-12, "h_1..h_4 of h = 0.5 h + x, x = (1, 0, 0, 2), "
              "against the lesson's 1, 0.5, 0.25, 2.125", kind=EXACT),
        close("attention_weights_as_lesson_1_says", weights_off, 5e-4, "softmax weights of the worked example "
              "against the lesson's 0.401, 0.198, 0.401", kind=EXACT),
        Check("causal_mask_hides_the_future", above == 0.0 and rows < 1e-12,
              f"largest weight above the diagonal {above:g}; rows sum to 1 within {rows:.1e}", EXACT),
    ]
