"""Figure, tables and values of the size arithmetic: parameter counts and attention-matrix bytes.

Bytes are shown in decimal units (1 GB = 10⁹ bytes): the sources' claims and accelerator capacities
("80 GB") are stated in them.
"""

from __future__ import annotations

import math
from typing import Any

from gen.experiments.size_arithmetic.readings import formula_matches_torch
from gen.render.axes import log_axis
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value, computed
from gen.render.style import Theme, new_figure
from gen.render.units import count_tick

CLAIMED_LSTM_PARAMETERS = 500_000  # source C's "~500K" for a 2-layer, 256-unit LSTM
CLAIMED_1M_RANGE = (500 * 10**9, 10**12)  # another source's "500GB-1TB" of attention weights at 1M
LENGTH_KEYS = {512: "512", 4096: "4k", 100_000: "100k", 1_000_000: "1m"}
_PREFIXES = ((10**15, "PB"), (10**12, "TB"), (10**9, "GB"), (10**6, "MB"), (10**3, "kB"))


def figures(data: dict[str, Any]) -> list[Figure]:
    gpu = data["gpu_bytes"]
    per_head, per_layer = _longest_fitting(data)
    return computed([
        Figure(
            "attention_bytes_vs_length",
            lambda theme: _bytes_vs_length(data, theme),
            alt="Log-log plot of the bytes needed to store attention score matrices against sequence "
            f"length, from {data['curves'][0]['t']:,} to {data['curves'][-1]['t']:,} tokens: four straight lines "
            "of slope 2, for one head and for a layer of heads, in float16 and float32, and a line of slope 1 "
            f"for the KV cache. A horizontal line marks {gpu / 1e9:g} GB of accelerator memory; a bar at one "
            "million tokens marks a source's 500 GB to 1 TB estimate, "
            + ("below even one head's float16 matrix there." if _head_at_1m(data) > CLAIMED_1M_RANGE[1] else
               "against one head's float16 matrix there."),
            caption=f"Bytes of the T×T score matrices if they were stored: one head, and one layer of "
            f"{data['heads']} heads, in float16 (bfloat16 is the same size) and float32. Slope 2 is "
            f"the T² growth; the dashed horizontal line is one 80 GB accelerator. The KV cache of "
            f"the same layer ({data['heads']} heads of {data['head_dim']}, float16) grows as T. "
            f"Fused attention kernels never store the score matrices at all.",
            lead=lead(f"Stored score matrices outgrow one {gpu / 1e9:g} GB accelerator long before a million "
                      f"tokens: one head's float16 matrix beyond T = {per_head:,}, a layer of {data['heads']} heads' "
                      f"beyond T = {per_layer:,}.",
                      per_layer < per_head < 1_000_000,
                      f"longest T that fits: {per_head:,} (one head), {per_layer:,} (one layer)"),
        )
    ])


def tables(data: dict[str, Any]) -> list[Table]:
    return computed([_parameter_table(data), _attention_table(data)])


def values(data: dict[str, Any]) -> list[Value]:
    claim = data["lstm_2x256_by_input"]
    result = [
        Value(f"lstm_2x256_params_input_{i}", n, ",d", "",
              f"parameters of a 2-layer, 256-unit nn.LSTM with input size {i}") for i, n in claim.items()
    ]
    smallest = min(claim.values())
    result += [
        Value("lstm_2x256_params_min", smallest, ",d", "",
              f"fewest parameters a 2-layer, 256-unit LSTM can have (input size {min(claim, key=claim.get)})"),
        Value("lstm_2x256_min_over_claim", smallest / CLAIMED_LSTM_PARAMETERS, ".2f", "×",
              "fewest possible parameters of a 2-layer, 256-unit LSTM / the claimed 500K"),
        Value("claimed_lstm_params", CLAIMED_LSTM_PARAMETERS, ",d", "", "source C's parameter count"),
        Value("heads", data["heads"], "d", "", "heads per layer in the attention sizes"),
        Value("head_dim", data["head_dim"], "d", "", "size of each head (for the KV cache)"),
    ]
    for shape in data["rnn"]:
        if shape["bias"] and not shape["bidirectional"]:
            key = f"{shape['kind'].lower()}_{shape['layers']}x{shape['hidden']}_params_input_{shape['input_size']}"
            if not key.startswith("lstm_2x256"):
                result.append(Value(key, shape["torch"], ",d", "", _shape_label(shape)))
    for size in data["attention"]:
        result += _attention_values(size, data)
    result += _fit_values(data)
    return computed(result)  # parameter counts and byte sizes: arithmetic, checked against torch


# helpers ------------------------------------------------------------------------------------------


def _attention_values(size: dict[str, Any], data: dict[str, Any]) -> list[Value]:
    t, name = size["t"], LENGTH_KEYS.get(size["t"], str(size["t"]))
    b = size["bytes"]
    result = [
        Value(f"scores_per_head_at_{name}", size["scores_per_head"], ",d", "", f"T² scores in one head, T = {t:,}"),
        Value(f"scores_per_layer_at_{name}", size["scores_per_layer"], ",d", "",
              f"scores in one layer of {data['heads']} heads, T = {t:,}"),
        _bytes_value(f"kv_cache_bytes_fp16_per_layer_at_{name}", size["kv_cache_float16_per_layer"],
                     f"float16 KV cache of one layer ({data['heads']} heads of {data['head_dim']}), T = {t:,}"),
        _bytes_value(f"scores_bytes_128bit_per_head_at_{name}", b["128bit_per_head"],
                     f"one head's score matrix at 16 bytes a number, T = {t:,}"),
        _bytes_value(f"scores_bytes_128bit_per_layer_at_{name}", b["128bit_per_layer"],
                     f"one layer's ({data['heads']} heads) score matrices at 16 bytes a number, T = {t:,}"),
    ]
    for dtype, short in (("float16", "fp16"), ("float32", "fp32")):
        for scope in ("head", "layer"):
            what = "one head's" if scope == "head" else f"one layer's ({data['heads']} heads)"
            noun = "matrix" if scope == "head" else "matrices"
            result.append(_bytes_value(f"scores_bytes_{short}_per_{scope}_at_{name}", b[f"{dtype}_per_{scope}"],
                                       f"{what} {dtype} score {noun}, T = {t:,}"))
    over_gpu = b["float16_per_head"] / data["gpu_bytes"]
    if over_gpu >= 0.01:  # a ratio worth quoting; below that the matrix is a sliver of the accelerator
        result.append(Value(f"scores_fp16_per_head_at_{name}_over_gpu", over_gpu, ",.3g", "×",
                            f"one head's float16 score matrix / {data['gpu_bytes'] / 1e9:g} GB, T = {t:,}"))
    return result


def _fit_values(data: dict[str, Any]) -> list[Value]:
    """The longest T whose score matrices fit in one accelerator, ignoring everything else it holds."""
    gpu = data["gpu_bytes"]
    per_head, per_layer = _longest_fitting(data)
    return [
        Value("longest_t_fp16_head_fits_gpu", per_head, ",d", "",
              f"longest T whose one-head float16 score matrix fits in {gpu / 1e9:g} GB"),
        Value("longest_t_fp16_layer_fits_gpu", per_layer, ",d", "",
              f"longest T whose {data['heads']}-head float16 score matrices fit in {gpu / 1e9:g} GB"),
    ]


def _head_at_1m(data: dict[str, Any]) -> int:
    """Bytes of one head's float16 score matrix at a million tokens, the length the source's claim names."""
    return 2 * 1_000_000**2


def _longest_fitting(data: dict[str, Any]) -> tuple[int, int]:
    """The longest T whose float16 score matrices fit in one accelerator: one head's, one layer's."""
    gpu = data["gpu_bytes"]
    return math.isqrt(gpu // 2), math.isqrt(gpu // (2 * data["heads"]))


def _bytes_value(key: str, n: int, label: str) -> Value:
    scale, unit = next(((s, u) for s, u in _PREFIXES if n >= s), (1, "B"))
    return Value(key, n / scale, ",.3g", f" {unit}", label)


def _shape_label(shape: dict[str, Any]) -> str:
    return (f"parameters of a {shape['layers']}-layer, {shape['hidden']}-unit nn.{shape['kind']} with input "
            f"size {shape['input_size']}")


def _parameter_table(data: dict[str, Any]) -> Table:
    rows = [[
        f"nn.{r['kind']}", f"{r['input_size']:,}", f"{r['hidden']:,}", str(r["layers"]),
        "yes" if r["bidirectional"] else "no", "yes" if r["bias"] else "no",
        f"{r['formula']:,}", f"{r['torch']:,}", "✓" if formula_matches_torch(r) else "✗",
    ] for r in data["rnn"]]
    return Table(
        "rnn_parameters",
        ["module", "input", "hidden", "layers", "both directions", "bias", "formula", "PyTorch", "equal"],
        rows,
        caption="Parameters of PyTorch's recurrent layers: the closed form gates·(d_in·h + h·h + 2h) per "
        "layer and direction (4 gates for an LSTM, 3 for a GRU, 1 for a plain RNN; d_in is the input "
        "size for the first layer and h times the directions after it; 2h is the two bias vectors "
        "PyTorch keeps) against the sum of numel() over the module's parameters.",
        align="lrrrccrrc",
    )


def _attention_table(data: dict[str, Any]) -> Table:
    rows = []
    for size in data["attention"]:
        b = size["bytes"]
        rows.append([
            f"{size['t']:,}", f"{size['scores_per_head']:,}",
            format_bytes(b["float16_per_head"]), format_bytes(b["float32_per_head"]),
            format_bytes(b["float16_per_layer"]), format_bytes(b["float32_per_layer"]),
            format_bytes(b["128bit_per_head"]), format_bytes(size["kv_cache_float16_per_layer"]),
        ])
    h = data["heads"]
    return Table(
        "attention_matrix_sizes",
        ["T", "scores per head", "per head, fp16", "per head, fp32", f"per layer ({h} heads), fp16",
         f"per layer ({h} heads), fp32", "per head, 128-bit", "KV cache per layer, fp16"],
        rows,
        caption=f"What storing the T×T attention scores would take, in decimal units (1 GB = 10⁹ bytes); "
        f"bfloat16 takes what float16 does. A model with L layers needs L times the per-layer figure "
        f"if it kept every layer's scores, as training without recomputation does. The KV cache "
        f"({h} heads of {data['head_dim']}) is what a decoder does keep: it grows as T, not T².",
    )


def format_bytes(n: float) -> str:
    """Bytes in decimal units, three significant figures: 524 kB, 16.8 MB, 20.0 GB, 2.00 TB."""
    scale, unit = next(((s, u) for s, u in _PREFIXES if n >= s), (1, "B"))
    value = n / scale
    digits = max(0, 2 - math.floor(math.log10(value))) if value > 0 else 0
    return f"{value:.{digits}f} {unit}"


def decimal_bytes_tick(n: float, _position: object = None) -> str:
    scale, unit = next(((s, u) for s, u in _PREFIXES if n >= s * 0.999), (1, "B"))
    return f"{n / scale:g} {unit}"


def _bytes_vs_length(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    curves = data["curves"]
    t = [c["t"] for c in curves]
    scopes = (("head", "extra", "one head"), ("layer", "builtin", f"one layer, {data['heads']} heads"))
    for scope, role, label in scopes:
        for dtype, style in (("float16", "-"), ("float32", "--")):
            ax.plot(t, [c["bytes"][f"{dtype}_per_{scope}"] for c in curves], color=theme.color(role),
                    linestyle=style, label=f"scores, {label}, {dtype}")
    ax.plot(t, [c["kv_cache_float16_per_layer"] for c in curves], color=theme.color("parallel"),
            label="KV cache, one layer, float16")
    reference = theme.color("reference")
    ax.axhline(data["gpu_bytes"], color=reference, linestyle=":", linewidth=1.2)
    ax.annotate(f"{data['gpu_bytes'] / 1e9:g} GB accelerator", (t[0], data["gpu_bytes"]), xytext=(2, 4),
                textcoords="offset points", color=reference, fontsize=8.5)
    low, high = CLAIMED_1M_RANGE
    ax.plot([1_000_000, 1_000_000], [low, high], color=reference, linewidth=5, solid_capstyle="butt")
    # Below every curve, where the corner is empty, with a line up to the claimed range.
    ax.annotate("claimed at 1M:\n500 GB–1 TB", (1_000_000, low), xytext=(900_000, 10**9),
                ha="right", va="center", color=reference, fontsize=8.5,
                arrowprops={"arrowstyle": "-", "color": reference, "linewidth": 0.8})
    log_axis(ax, "x", count_tick, locator=None, hide_minor_labels=False)
    log_axis(ax, "y", decimal_bytes_tick)
    ax.set_xlabel("sequence length T (tokens)")
    ax.set_ylabel("bytes to store")
    ax.legend(loc="upper left", fontsize=8)
    return fig
