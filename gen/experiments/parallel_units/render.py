"""Figures, tables and values of the parallel-units experiment (matplotlib only)."""

from __future__ import annotations

from typing import Any

from gen.analysis import spread_over_passes
from gen.experiments.latency_vs_length.render import listed
from gen.experiments.latency_vs_length.render_plots import LOOK  # one look per layer across the site
from gen.experiments.parallel_units import readings
from gen.render.axes import log_axis
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value
from gen.render.numbers import measured_text
from gen.render.style import Theme, new_figure
from gen.render.units import count_tick, seconds_tick


def figures(data: dict[str, Any]) -> list[Figure]:
    gains = {layer["name"]: readings.batch_gain(data, layer["name"]) for layer in data["layers"]}
    labels = {layer["name"]: layer["label"] for layer in data["layers"]}
    recurrent = [layer["name"] for layer in data["layers"] if layer["family"] == "recurrent"]
    transformer = gains.get("transformer")
    more = transformer is not None and all(gains[name] is not None and gains[name] > transformer for name in recurrent)
    batches = [e["batch"] for e in data["by_batch"]]
    gain_text = ", ".join(f"{labels[name]} {_gain(g)}" for name, g in gains.items())
    return [
        Figure(
            "time_per_sequence_vs_batch", lambda theme: _per_sequence(data, theme),
            alt="Log-log plot of training-step time per sequence against batch size for "
            + ", ".join(labels.values()) + f". Time per sequence at batch {batches[0]} ÷ at batch {batches[-1]} "
            f"(above 1: the batch made each sequence cheaper): {gain_text}.",
            caption=f"Training-step time per sequence against the batch, T = {data['length']:,}, width "
            f"{data['width']}, {data['dtype']}, on {data['timing_threads']} thread; the layers were timed "
            "in turn at each batch, each keeping its fastest pass. A falling line is hardware that one "
            "sequence left idle and the batch put to work; where it flattens, the machine is full.",
            lead=lead(f"The batch helps the recurrent layers more than the Transformer layer: time per sequence "
                      f"at batch {batches[0]} ÷ at batch {batches[-1]} is "
                      + listed([f"{_gain(gains[name])} ({labels[name]})" for name in recurrent])
                      + f", against {_gain(transformer)} for the Transformer layer.",
                      more, f"time per sequence at the smallest batch ÷ at the largest: {gain_text}; expected "
                      "every recurrent layer's above the Transformer layer's"),
        ),
    ]


def _gain(ratio: float | None) -> str:
    return "—" if ratio is None else measured_text(ratio, ".2g", "×")


def tables(data: dict[str, Any]) -> list[Table]:
    batches = [e["batch"] for e in data["by_batch"]]
    threads = sorted(e["threads"] for e in data["by_threads"])
    rows = [[layer["label"], _times(readings.batch_gain(data, layer["name"])),
             _times(readings.thread_speedup(data, layer["name"]))] for layer in data["layers"]]
    return [Table(
        "what_parallel_units_buy",
        ["layer", f"time per sequence, batch {batches[0]} ÷ batch {batches[-1]}",
         f"{threads[0]} thread ÷ {threads[-1]} threads, batch {data['thread_batch']}"],
        rows,
        caption="What more parallel work (a batch) and more parallel units (a second thread) bought each "
        "layer's training step. Above 1 means faster. The thread column compares one run each way on a "
        "machine that may be shared, so it says what this machine gave at that moment.",
    )]


def values(data: dict[str, Any]) -> list[Value]:
    result = [
        Value("length", data["length"], ",d", "", "sequence length of every point"),
        Value("largest_batch", data["by_batch"][-1]["batch"], ",d", "", "largest batch of the sweep"),
        Value("thread_batch", data["thread_batch"], ",d", "", "batch at which the thread counts are compared"),
    ]
    for layer in data["layers"]:
        name = layer["name"]
        result += [
            Value(f"{name}_batch_gain", readings.batch_gain(data, name), ".1f", "×",
                  f"{layer['label']}: time per sequence at the smallest batch ÷ at the largest",
                  "(not measured: too few batch sizes)",
                  spread=spread_over_passes(data, lambda d, name=name: readings.batch_gain(d, name))),
            Value(f"{name}_thread_speedup", readings.thread_speedup(data, name), ".2f", "×",
                  f"{layer['label']}: training step on one thread ÷ on two, batch {data['thread_batch']}",
                  "(not measured: one thread count only)",
                  spread=spread_over_passes(data, lambda d, name=name: readings.thread_speedup(d, name))),
        ]
    for entry in data.get("graphs", []):
        name, batch = entry["layer"], entry["batch"]
        result.append(Value(
            f"{name}_graph_speedup_at_batch_{batch}", readings.graph_speedup(data, name, batch), ".1f", "×",
            f"{_label(data, name)}: forward pass launched step by step ÷ replayed from a CUDA Graph, batch {batch}",
            "(not measured: the graph capture failed)",
            spread=spread_over_passes(data, lambda d, n=name, b=batch: readings.graph_speedup(d, n, b))))
    return result


def _label(data: dict[str, Any], name: str) -> str:
    return next(layer["label"] for layer in data["layers"] if layer["name"] == name)


def _per_sequence(data: dict[str, Any], theme: Theme):
    fig, (ax,) = new_figure(theme)
    for layer in data["layers"]:
        batches, times = readings.per_sequence(data, layer["name"])
        role, marker, style = LOOK[layer["name"].removesuffix("_no_cudnn")]
        cudnn_off = layer["name"].endswith("_no_cudnn")
        ax.plot(batches, times, marker=marker, color=theme.color(role), linestyle=":" if cudnn_off else style,
                markerfacecolor="none" if cudnn_off else theme.color(role), label=layer["label"])
    log_axis(ax, "x", count_tick, base=2, locator=None, hide_minor_labels=False)
    # 1-2-5 ticks: the curves span less than a decade or two, where powers of ten alone leave one label
    log_axis(ax, "y", seconds_tick, subs=(1.0, 2.0, 5.0))
    ax.set_xlabel("batch (sequences per step)")
    ax.set_ylabel("training-step time per sequence")
    ax.legend(loc="best", fontsize=8)
    return fig


def _times(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


