"""The self-checks of the size arithmetic, judged from the stored counts (no torch).

Every check is EXACT: the numbers are integers from closed forms and from PyTorch's own shapes, so
they either agree to the last byte or there is a bug.
"""

from __future__ import annotations

from typing import Any

from gen.checks import EXACT, Check
from gen.experiments.size_arithmetic import Config
from gen.experiments.size_arithmetic.formulas import FORMATS


def formula_matches_torch(rnn: dict[str, Any]) -> bool:
    """One module's closed-form parameter count equals the sum of its parameters' numel()."""
    return rnn["formula"] == rnn["torch"]


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    mismatched = [r for r in data["rnn"] if not formula_matches_torch(r)]
    sizes = data["attention"] + data["curves"]
    disagree = [s["t"] for s in sizes for key, n in s["torch_bytes"].items() if s["bytes"][key] != n]
    inconsistent = [s["t"] for s in sizes if not _consistent(s, data["heads"])]
    quoted = {s["t"]: s["scores_per_head"] for s in data["attention"]}
    return [
        Check("rnn_formula_matches_torch", not mismatched,
              f"closed-form parameter count = sum of numel() for {len(data['rnn']) - len(mismatched)} of "
              f"{len(data['rnn'])} modules" + "".join(
                  f"; {r['kind']}({r['input_size']}, {r['hidden']}, {r['layers']}): formula {r['formula']:,}"
                  f" vs torch {r['torch']:,}" for r in mismatched), EXACT),
        Check("score_bytes_match_torch", not disagree,
              "T²·heads·bytes per element = nbytes of a (heads, T, T) meta tensor in float16, bfloat16 "
              "and float32" + (f"; differs at T = {disagree}" if disagree else " at every length"), EXACT),
        Check("byte_arithmetic_is_consistent", not inconsistent,
              "float32 = 2 × float16 = 2 × bfloat16, per layer = heads × per head, 128-bit = 8 × float16"
              + (f"; broken at T = {inconsistent}" if inconsistent else " at every length"), EXACT),
        Check("quoted_counts_are_per_head", quoted.get(4096) == 16_777_216 and quoted.get(100_000) == 10**10,
              f"T² at T = 4096 is {quoted.get(4096, 0):,} (the quoted 16.8 million) and at T = 100,000 is "
              f"{quoted.get(100_000, 0):,} (the quoted 10 billion): one head's score count", EXACT),
    ]


def _consistent(size: dict[str, Any], heads: int) -> bool:
    """The byte counts at one length agree with each other, whatever their absolute size."""
    b = size["bytes"]
    return (b["float32_per_head"] == 2 * b["float16_per_head"] == 2 * b["bfloat16_per_head"]
            and all(b[f"{d}_per_layer"] == heads * b[f"{d}_per_head"] for d in FORMATS)
            and b["128bit_per_head"] == 8 * b["float16_per_head"]
            and b["128bit_per_layer"] == heads * b["128bit_per_head"]
            and size["scores_per_head"] * 2 == b["float16_per_head"])
