"""Readings of the kv_cache data (decode-time slopes and growth) and the self-checks judged from them.

Torch-free and outside the measuring hash: render.py shows these readings and checks() judges them,
so the growth on a page is the growth a check passed, and a changed tolerance re-judges stored data.

A timed point under data["latency"][model] holds "median_s" where it was timed and a "status" ("oom")
where it was not; the readings skip the untimed points, the timing checks fail on them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gen.analysis import loglog_slope, upper_part
from gen.checks import EXACT, TIMING, Check, close, greater, within
from gen.experiments.kv_cache import Config
from gen.experiments.kv_cache.formulas import cache_formula

CACHED = ("transformer_mha", "transformer_gqa")
RECURRENT = ("lstm", "linear_attention", "ssm")
# How many times more the Transformer's decode step must slow over the timed contexts than the LSTM's
SLOWS_MORE = 2.0


# Decode-step times -----------------------------------------------------------------------------------


def timed(data: dict[str, Any], name: str) -> list[dict]:
    """The model's decode-step points that were timed (an out-of-memory point is left out)."""
    return [p for p in data["latency"][name] if "median_s" in p]


def all_timed(data: dict[str, Any], name: str) -> bool:
    return len(timed(data, name)) == len(data["latency"][name])


def positions_and_times(points: list[dict]) -> tuple[list[int], list[float]]:
    return [p["position"] for p in points], [p["median_s"] for p in points]


def decode_slope(data: dict[str, Any], name: str) -> float:
    """Log-log slope of the decode-step time against position, over every timed position."""
    return loglog_slope(*positions_and_times(timed(data, name)))


def upper_decode_slope(data: dict[str, Any], name: str) -> float:
    """The same slope over the upper half of the positions' decades, where fixed costs matter least."""
    return loglog_slope(*upper_part(*positions_and_times(timed(data, name))))


def growth(data: dict[str, Any], name: str) -> float:
    """Decode-step time at the longest timed position over that at the shortest."""
    points = timed(data, name)
    return points[-1]["median_s"] / points[0]["median_s"]


def growth_over_lstm(data: dict[str, Any]) -> float:
    """The MHA transformer's growth divided by the LSTM's: how much more its step slows with context."""
    return growth(data, "transformer_mha") / growth(data, "lstm")


def seconds_per_cached_token(data: dict[str, Any], name: str) -> float:
    """Extra decode-step time per token already in the cache: a straight-line fit, upper half."""
    positions, times = upper_part(*positions_and_times(timed(data, name)))
    per_position, _ = np.polyfit(positions, times, 1)
    return float(per_position)


# Checks ----------------------------------------------------------------------------------------------


def checks(data: dict[str, Any], config: Config) -> list[Check]:
    result = [cache_matches_formula(data, name) for name in CACHED]
    result += [state_is_constant(data, name) for name in RECURRENT]
    result += [cache_doubles_with_context(data), real_caches_are_linear(data)]
    result.append(close("cached_decode_matches_full_forward", data["agreement"]["cached_vs_full_relative"], 1e-4,
                        "logits decoded with the KV cache against one causal forward pass, float32", kind=EXACT))
    if not (all_timed(data, "transformer_mha") and all_timed(data, "lstm")):
        # running out of memory is a fact about the device, which measuring again does not change
        return result + [Check("decode_times_measured", False, "a timed position ran out of memory", EXACT)]
    # The LSTM does the same work at every position: only noise moves it (a factor 2 on a busy machine
    # is a slope of 0.12 over 2.4 decades).
    result.append(within("lstm_decode_is_flat", decode_slope(data, "lstm"), -0.25, 0.25,
                         "log-log slope of the LSTM's decode-step time against position", kind=TIMING))
    # The transformer reads a cache that grows with the position. Where fixed costs
    # dominate short caches (kernel launches on a GPU) its log-log slope stays small for a while, so
    # compare growth from the shortest to the longest cache instead.
    mha = timed(data, "transformer_mha")
    result.append(greater("transformer_decode_slows_more_than_lstm", growth_over_lstm(data), SLOWS_MORE,
                          f"MHA transformer's decode-step time at {mha[-1]['position']:,} over at "
                          f"{mha[0]['position']:,} cached tokens, divided by the same ratio for the LSTM",
                          kind=TIMING))
    return result


def cache_matches_formula(data: dict[str, Any], name: str) -> Check:
    kv_heads = data["kv_heads"][name]
    expected = [cache_formula(data["layers"], kv_heads, data["head_dim"], T, data["bytes_per_element"])
                for T in data["positions"]]
    measured = data["decode_bytes"][name]
    wrong = [T for T, got, want in zip(data["positions"], measured, expected, strict=True) if got != want]
    first = f" (first T = {wrong[0]})" if wrong else ""
    return Check(f"{name}_cache_matches_formula", not wrong,
                 f"sum of cache nbytes against 2·layers·{kv_heads}·head_dim·T·bytes at T = 1.."
                 f"{data['positions'][-1]}: {len(wrong)} positions differ{first}", EXACT)


def state_is_constant(data: dict[str, Any], name: str) -> Check:
    expected = data["state_formula_bytes"][name]
    sizes = data["decode_bytes"][name]
    wrong = sum(size != expected for size in sizes)
    return Check(f"{name}_state_is_constant", wrong == 0,
                 f"state nbytes against {expected:,} B at each of {len(sizes)} positions: {wrong} differ", EXACT)


def cache_doubles_with_context(data: dict[str, Any]) -> Check:
    """cache(2T) / cache(T) == 2 exactly, on the toy caches as measured: linear, not quadratic (4)."""
    ratios = []
    for name in CACHED:
        by_T = dict(zip(data["positions"], data["decode_bytes"][name], strict=True))
        ratios += [by_T[2 * T] / by_T[T] for T in by_T if 2 * T in by_T]
    worst = max(abs(r - 2.0) for r in ratios)
    return Check("cache_doubles_with_context", worst == 0.0,
                 f"cache bytes at 2T over bytes at T, {len(ratios)} pairs: largest deviation from 2 is {worst:g}",
                 EXACT)


def real_caches_are_linear(data: dict[str, Any]) -> Check:
    """Each real shape's cache at every context is exactly its bytes per token times the tokens."""
    rows = data["real_models"]["caches"]
    wrong = [(r["name"], c["tokens"]) for r in rows for c in r["contexts"]
             if c["bytes"] != c["tokens"] * r["bytes_per_token"]]
    return Check("real_caches_are_linear_in_context", not wrong,
                 f"cache bytes = tokens x bytes per token for {len(rows)} shapes: {len(wrong)} entries differ", EXACT)
