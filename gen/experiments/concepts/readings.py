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
        *_diagram_checks(data),
    ]


def chunked_rounds(scan: dict[str, Any]) -> tuple[int, int]:
    """Rounds (steps that must follow one another) and combines per recurrence of the whole chunked scan."""
    counts = scan["counts"]
    chunks = scan["T"] // scan["chunk"]
    rounds = counts["local"][0] + counts["carry"][0] + counts["correct"][0]
    return rounds, chunks * counts["local"][1] + counts["carry"][1] + counts["correct"][1]


def _diagram_checks(data: dict[str, Any]) -> list[Check]:
    layer, growth, scan = data["transformer_layer"], data["kv_growth"], data["chunked_scan"]
    T, d, h, dk = layer["tokens"], layer["width"], layer["heads"], layer["head_dim"]
    shapes_ok = (layer["input"] == layer["normed"] == layer["attended"] == layer["output"] == [T, d]
                 and layer["keys"] == layer["values"] == [h, T, dk] and h * dk == d
                 and layer["mlp_hidden"] == [T, 4 * d])
    per_token = growth["bytes_per_token"]
    linear = all(s["cache_bytes"] == s["tokens"] * per_token for s in growth["steps"])
    state = growth["state"]["bytes"]
    crossover = growth["cache_before_crossover"] <= state < growth["cache_at_crossover"]
    scan_off = max(abs(x - y) for x, y in zip(scan["chunked"], scan["sequential"], strict=True))
    local_off = max(abs(x - y) for x, y in zip(scan["local"], scan["library_local"], strict=True))
    counts = scan["counts"]
    return [
        close("lstm_cell_as_drawn_matches_torch", data["lstm"]["torch_difference"], 1e-12,
              "c_t = f c + i g, h_t = o tanh(c_t), written out, against torch.nn.LSTMCell on a seeded step"),
        close("gru_cell_as_drawn_matches_torch", data["gru"]["torch_difference"], 1e-12,
              "h_t = z h + (1 - z) n, written out, against torch.nn.GRUCell on a seeded step"),
        Check("transformer_layer_shapes_as_drawn", shapes_ok,
              f"x, LN(x), attention out and y {layer['input']}; K, V {layer['keys']}; MLP hidden {layer['mlp_hidden']}",
              EXACT),
        Check("kv_cache_grows_one_token_per_step", linear and crossover,
              f"{per_token:,} bytes a token for {len(growth['steps'])} steps; the cache passes the "
              f"{state:,}-byte state at {growth['crossover_tokens']:,} tokens", EXACT),
        close("chunked_scan_equals_the_loop", scan_off, 1e-12,
              f"chunked scan (T = {scan['T']}, C = {scan['chunk']}) against parallel_scan's sequential loop; "
              f"its chunk-local step against parallel_scan's Hillis-Steele within {local_off:.1e}"),
        Check("chunked_scan_counts_match_the_formulas",
              counts["local"] == scan["expected"]["local"] and counts["carry"] == scan["expected"]["carry"]
              and local_off < 1e-12,
              f"local {counts['local']} and carry {counts['carry']} (rounds, combines) against parallel_scan's "
              f"formulas {scan['expected']['local']} and {scan['expected']['carry']}", EXACT),
    ]
