"""Figures, tables and values of the kv_cache experiment (matplotlib and NumPy only)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gen.analysis import spread_over_passes
from gen.experiments.kv_cache import readings
from gen.render.axes import log_axis
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value, computed
from gen.render.numbers import measured_text
from gen.render.style import Theme, new_figure
from gen.render.units import binary_bytes_tick, binary_length_tick, count_tick, format_seconds, seconds_tick

GIB = 2**30
LABELS = {
    "transformer_mha": "Transformer, KV cache (MHA)",
    "transformer_gqa": "Transformer, KV cache (GQA)",
    "lstm": "LSTM state (h, c)",
    "linear_attention": "linear attention state",
    "ssm": "diagonal SSM state",
}
TIMED_LABELS = {
    "transformer_mha": "Transformer step (MHA cache)",
    "transformer_gqa": "Transformer step (GQA cache)",
    "lstm": "LSTM step",
}
STYLE = {  # (colour: the model's own, gen/render/style.py; marker; line style)
    "transformer_mha": ("transformer", "o", "-"),
    "transformer_gqa": ("transformer", "s", "--"),
    "lstm": ("lstm", "^", "-"),
    "linear_attention": ("linear_attention", "v", "--"),
    "ssm": ("ssm", "D", ":"),
}


def figures(data: dict[str, Any]) -> list[Figure]:
    per_token = {name: data["decode_bytes"][name][1] - data["decode_bytes"][name][0] for name in readings.CACHED}
    linear = readings.cache_doubles_with_context(data)
    constant = [readings.state_is_constant(data, name) for name in readings.RECURRENT]
    mha, gqa, lstm = (readings.timed(data, name) for name in ("transformer_mha", "transformer_gqa", "lstm"))
    timed = bool(mha and gqa and lstm)
    slows = readings.growth_over_lstm(data) if timed else None
    return [
        Figure(
            "memory_vs_position",
            lambda theme: _memory_vs_position(data, theme),
            alt="Log-log plot of the bytes each toy decoder keeps against the number of tokens decoded. "
            "Both KV caches rise as straight lines of slope 1, the grouped-query cache "
            f"{per_token['transformer_mha'] / per_token['transformer_gqa']:g} times below the multi-head one "
            "at every position; the LSTM, linear-attention and SSM states are flat lines. A dashed guide of "
            "slope 2 shows what quadratic growth would look like.",
            caption="Memory a decoder keeps for one sequence, summed over its cache or state tensors, at "
            "each position. Slope 1 on log-log axes means linear: doubling the context doubles the cache. "
            "The recurrent states never change size.",
            lead=lead("Both KV caches grow in proportion to the context, while every recurrent state keeps "
                      "one size from the first token to the last.",
                      linear.passed and all(check.passed for check in constant),
                      "; ".join(f"{check.name}: {check.detail}" for check in (linear, *constant))),
        ),
        Figure(
            "decode_time_vs_position",
            lambda theme: _decode_time(data, theme),
            alt="Log-log plot of the time of one decode step against the number of tokens already cached. "
            + (_decode_alt(mha, gqa, lstm) if timed else "Some positions ran out of memory and were not timed."),
            caption="Time of one decode step for one sequence: the median of repeated runs (band: interquartile "
            f"range), from the fastest of {data['timing_rounds']} passes at each position, the three models timed "
            "in turn. "
            "The Transformer reads its whole cache at every step (new keys and values are written into "
            "space reserved ahead, so nothing is copied), so its step slows as the context grows; the "
            "LSTM's step does not depend on the position.",
            lead=lead("The Transformer's decode step slows as its cache fills, "
                      + (f"{_times(readings.growth(data, 'transformer_mha'))} from {mha[0]['position']:,} to "
                         f"{mha[-1]['position']:,} cached tokens against {_times(readings.growth(data, 'lstm'))} "
                         "for the LSTM's step." if timed else "far more than the LSTM's step."),
                      slows is not None and slows > readings.SLOWS_MORE,
                      "not every position was timed" if slows is None else
                      f"the MHA Transformer's slow-down over the LSTM's {slows:.3g}, needed above "
                      f"{readings.SLOWS_MORE:g}"),
        ),
    ]


def _decode_alt(mha: list[dict], gqa: list[dict], lstm: list[dict]) -> str:
    def rise(points: list[dict]) -> str:
        return (f"from {format_seconds(points[0]['median_s'])} at {points[0]['position']:,} cached tokens to "
                f"{format_seconds(points[-1]['median_s'])} at {points[-1]['position']:,}")

    times = [p["median_s"] for p in lstm]
    return (f"The multi-head Transformer's step rises {rise(mha)}, the grouped-query one {rise(gqa)}; the "
            f"LSTM's step stays between {format_seconds(min(times))} and {format_seconds(max(times))} at every "
            "position.")


def _times(ratio: float) -> str:
    return measured_text(ratio, ".2g", "×")


def tables(data: dict[str, Any]) -> list[Table]:
    real = data["real_models"]
    contexts = [c["tokens"] for c in real["caches"][0]["contexts"]]
    rows = []
    for row in real["caches"]:
        shape = f"{row['layers']} × {row['kv_heads']} × {row['head_dim']}"
        rows.append([row["name"], shape, _kib(row["bytes_per_token"])]
                    + [_size(c["bytes"]) for c in row["contexts"]])
    state = real["recurrent_state"]
    rows.append([state["name"], f"{state['layers']} × {state['channels']} × {state['state']} states", "0 (fixed)"]
                + [_size(state["bytes"])] * len(contexts))
    last = data["positions"][-1]
    toy_rows = []
    for name in LABELS:
        sizes = data["decode_bytes"][name]
        toy_rows.append([LABELS[name], f"{sizes[0]:,} B", f"{sizes[-1]:,} B", f"{sizes[-1] - sizes[-2]:,} B"])
    return [
        *computed([Table(
            "real_model_cache",
            ["model", "layers × KV heads × head dim", "per token"] + [f"at {_tokens(T)} tokens" for T in contexts],
            rows,
            caption="KV cache of one sequence in fp16/bf16 (2 bytes per number), computed exactly: 2 (K and V) × "
            "layers × KV heads × head dim × tokens × 2 bytes; 1 GiB = 2^30 bytes, 1 MiB = 2^20. Linear in the context: "
            "each column is the previous one times the ratio of the contexts. The SSM row counts only its "
            "recurrent state, which does not grow.",
        )]),
        Table(
            "toy_memory",
            ["toy decoder", "memory at T = 1", f"memory at T = {last:,}", "added per token"],
            toy_rows,
            caption=f"Bytes each toy decoder keeps while decoding ({data['layers']} layers, width {data['width']}, "
            f"{data['dtype']}), summed over its tensors.",
        ),
    ]


def values(data: dict[str, Any]) -> list[Value]:
    return computed(_real_model_values(data)) + _toy_values(data)


def _real_model_values(data: dict[str, Any]) -> list[Value]:
    """Cache sizes of published models, from their shapes: arithmetic, not measurement."""
    result = []
    for row in data["real_models"]["caches"]:
        key, name = row["key"], row["name"]
        result.append(Value(f"{key}_kib_per_token", row["bytes_per_token"] / 1024, ",.0f", " KiB",
                            f"KV cache per token, {name}, fp16"))
        for context in row["contexts"]:
            result.append(Value(f"{key}_gib_at_{_tokens(context['tokens']).lower()}", context["bytes"] / GIB,
                                ",.4g", " GiB", f"KV cache of one {context['tokens']:,}-token sequence, {name}, fp16"))
    state = data["real_models"]["recurrent_state"]
    result.append(Value(f"{state['key']}_state_mib", state["bytes"] / 2**20, ",.0f", " MiB",
                        f"recurrent state of one sequence at any length, {state['name']}, fp16"))
    caches = data["real_models"]["caches"][0]["contexts"]
    growth = caches[-1]["bytes"] / caches[0]["bytes"]
    result += [
        Value("growth_4k_to_1m", growth, ",.0f", "×",
              f"cache at {caches[-1]['tokens']:,} tokens / cache at {caches[0]['tokens']:,} tokens"),
        Value("growth_4k_to_1m_if_quadratic", growth**2, ",.0f", "×",
              "the same ratio if the cache grew with the square of the context, as the source claims"),
    ]
    return result


def _toy_values(data: dict[str, Any]) -> list[Value]:
    """What the toy decoders' runs counted and timed."""
    result = []
    mha = data["decode_bytes"]["transformer_mha"]
    half = len(mha) // 2
    result.append(Value("cache_doubling_ratio", mha[2 * half - 1] / mha[half - 1], ".0f", "×",
                        f"toy cache bytes at T = {2 * half} / at T = {half}, measured"))
    per_token = {name: data["decode_bytes"][name][1] - data["decode_bytes"][name][0]
                 for name in ("transformer_mha", "transformer_gqa")}
    result += [
        Value("toy_mha_bytes_per_token", per_token["transformer_mha"], ",d", " B", "toy MHA cache added per token"),
        Value("toy_gqa_bytes_per_token", per_token["transformer_gqa"], ",d", " B", "toy GQA cache added per token"),
        Value("toy_layers", data["layers"], "d", "", "layers of every toy decoder"),
        Value("toy_head_dim", data["head_dim"], "d", "", "head dimension of the toy Transformer"),
    ]
    for name in ("lstm", "linear_attention", "ssm"):
        state_bytes = data["state_formula_bytes"][name]
        result += [
            Value(f"toy_{name}_state_bytes", state_bytes, ",d", " B", f"{LABELS[name]}, toy decoder, any length"),
            Value(f"toy_{name}_state_in_mha_tokens", state_bytes / per_token["transformer_mha"], ",.4g", "",
                  f"{LABELS[name]} = the toy MHA cache of this many tokens"),
        ]
    return result + _decode_values(data)


# helpers ------------------------------------------------------------------------------------------


def _decode_values(data: dict[str, Any]) -> list[Value]:
    mha, gqa, lstm = (readings.timed(data, n) for n in ("transformer_mha", "transformer_gqa", "lstm"))
    if not (mha and gqa and lstm):
        return []
    top = min(mha[-1]["position"], gqa[-1]["position"], lstm[-1]["position"])
    models = {"mha": "transformer_mha", "gqa": "transformer_gqa", "lstm": "lstm"}

    def at_top(d: dict[str, Any], short: str) -> float:
        return next(p["median_s"] for p in readings.timed(d, models[short]) if p["position"] == top)

    def spread(reading):  # how far this reading moved between the repeated passes
        return spread_over_passes(data, reading)

    at = {short: at_top(data, short) for short in models}
    return [
        Value("mha_decode_slope", readings.upper_decode_slope(data, "transformer_mha"), ".2f", "",
              "log-log slope of the MHA decode-step time against position, upper half of the positions",
              spread=spread(lambda d: readings.upper_decode_slope(d, "transformer_mha"))),
        Value("gqa_decode_slope", readings.upper_decode_slope(data, "transformer_gqa"), ".2f", "",
              "same for the GQA transformer",
              spread=spread(lambda d: readings.upper_decode_slope(d, "transformer_gqa"))),
        Value("lstm_decode_slope", readings.decode_slope(data, "lstm"), ".2f", "",
              "log-log slope of the LSTM decode-step time against position"),
        Value("mha_decode_growth", readings.growth(data, "transformer_mha"), ",.1f", "×",
              f"MHA decode-step time at {mha[-1]['position']:,} / at {mha[0]['position']:,} cached tokens",
              spread=spread(lambda d: readings.growth(d, "transformer_mha"))),
        Value("lstm_decode_growth", readings.growth(data, "lstm"), ",.2f", "×",
              f"LSTM decode-step time at position {lstm[-1]['position']:,} / at {lstm[0]['position']:,}",
              spread=spread(lambda d: readings.growth(d, "lstm"))),
        Value("mha_decode_ns_per_cached_token", readings.seconds_per_cached_token(data, "transformer_mha") * 1e9,
              ",.1f", " ns", "extra MHA decode-step time per token already in the cache (straight-line fit, "
              "upper half)", spread=spread(lambda d: readings.seconds_per_cached_token(d, "transformer_mha"))),
        Value("largest_timed_position", top, ",d", " tokens", "longest cache a decode step was timed at"),
        Value("mha_decode_ms_at_largest", at["mha"] * 1e3, ",.3g", " ms", f"MHA decode step at {top:,} cached tokens",
              spread=spread(lambda d: at_top(d, "mha"))),
        Value("lstm_decode_ms", at["lstm"] * 1e3, ",.3g", " ms", f"LSTM decode step at position {top:,}",
              spread=spread(lambda d: at_top(d, "lstm"))),
        Value("mha_over_lstm_at_largest", at["mha"] / at["lstm"], ",.1f", "×",
              f"MHA decode-step time / LSTM decode-step time at {top:,} tokens",
              spread=spread(lambda d: at_top(d, "mha") / at_top(d, "lstm"))),
        Value("mha_over_gqa_at_largest", at["mha"] / at["gqa"], ",.1f", "×",
              f"MHA decode-step time / GQA decode-step time at {top:,} tokens",
              spread=spread(lambda d: at_top(d, "mha") / at_top(d, "gqa"))),
    ]


def _memory_vs_position(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    positions = data["positions"]
    x_max = positions[-1]
    for name in ("transformer_mha", "transformer_gqa"):
        # token by token from an empty cache, then the caches prefilled for timing, one step later
        points = dict(zip(positions, data["decode_bytes"][name], strict=True))
        points.update({p["position"] + 1: p["memory_bytes_after"] for p in readings.timed(data, name)})
        x = sorted(points)
        x_max = max(x_max, x[-1])
        role, marker, line = STYLE[name]
        ax.plot(x, [points[t] for t in x], color=theme.color(role), linestyle=line, label=LABELS[name])
        ax.plot(x[len(positions):], [points[t] for t in x[len(positions):]], color=theme.color(role),
                marker=marker, linestyle="none")
    for name in ("lstm", "linear_attention", "ssm"):
        role, _, line = STYLE[name]
        ax.hlines(data["state_formula_bytes"][name], 1, x_max, color=theme.color(role), linestyle=line,
                  label=LABELS[name])
    mha_first = data["decode_bytes"]["transformer_mha"][0]
    guide = np.array([1, np.sqrt(x_max)])  # a slope-2 line from the MHA cache at T = 1, to half the decades
    ax.plot(guide, mha_first * guide**2, color=theme.color("reference"), linestyle="--", linewidth=1.0,
            label="if it grew as T² (slope 2)")
    log_axis(ax, "x", count_tick, hide_minor_labels=False)
    log_axis(ax, "y", binary_bytes_tick, base=2, locator=4, numticks=20)  # a label every factor of 4
    ax.set_xlabel("position T (tokens decoded)")
    ax.set_ylabel("memory kept (bytes)")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def _decode_time(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    for name in ("transformer_mha", "transformer_gqa", "lstm"):
        points = readings.timed(data, name)
        role, marker, line = STYLE[name]
        x = [p["position"] for p in points]
        median = np.array([p["median_s"] for p in points])
        half_iqr = np.array([p["iqr_s"] for p in points]) / 2
        ax.plot(x, median, marker=marker, linestyle=line, color=theme.color(role), label=TIMED_LABELS[name])
        ax.fill_between(x, np.maximum(median - half_iqr, median * 0.5), median + half_iqr,
                        color=theme.color(role), alpha=0.2, linewidth=0)
    # the positions timed are powers of 4 (64 to 16K): a label at each, where decades would give three
    log_axis(ax, "x", binary_length_tick, base=2, locator=4, numticks=20)
    # 1-2-5 ticks: the step times span about two decades, where powers of ten alone leave two labels
    log_axis(ax, "y", seconds_tick, subs=(1.0, 2.0, 5.0))
    ax.set_xlabel("tokens already in the cache")
    ax.set_ylabel("time per decode step")
    ax.legend(loc="upper left")
    return fig


def _tokens(n: int) -> str:
    """Context lengths as models name them, in binary thousands: 4K, 128K, 1M."""
    for scale, suffix in ((2**20, "M"), (2**10, "K")):
        if n >= scale and n % scale == 0:
            return f"{n // scale}{suffix}"
    return f"{n:,}"


def _kib(n: int) -> str:
    return f"{n / 1024:,.0f} KiB"


def _size(n: int) -> str:
    """Exact sizes in GiB, or in MiB below one GiB: 512 GiB, 1.25 GiB, 10 MiB."""
    return f"{n / GIB:,.4g} GiB" if n >= GIB else f"{n / 2**20:,.4g} MiB"

