"""Figures (their words; render_plots.py draws them), tables and values of the latency-vs-length
experiment (matplotlib and NumPy only)."""

from __future__ import annotations

from typing import Any

from gen.analysis import spread_over_passes
from gen.experiments.latency_vs_length import readings
from gen.experiments.latency_vs_length import render_plots as plots
from gen.render.lead import lead
from gen.render.model import Figure, Table, Value
from gen.render.numbers import measured_text
from gen.render.units import format_seconds


def figures(data: dict[str, Any]) -> list[Figure]:
    setting = _setting(data)
    claim = data["claim_length"]
    slopes = {one["label"]: readings.slope(one, "train") for one in data["series"]}
    slope_text = ", ".join(f"{label} {_number(v)}" for label, v in slopes.items())
    recurrent = [one for one in data["series"] if one["family"] == "recurrent"]
    linear = all(readings.slope(one, mode) is not None
                 and readings.RECURRENT_SLOPE[0] <= readings.slope(one, mode) <= readings.RECURRENT_SLOPE[1]
                 for one in recurrent for mode in readings.MODES)
    attention, lstm = (readings.slope(readings.series(data, n), "train") for n in ("attention", "lstm"))
    steeper = attention is not None and lstm is not None and attention - lstm > readings.SLOPE_GAP
    highest, where = readings.highest_fraction_of_peak(data)
    at_claim = [(one["label"], readings.ratio_at(data, one["name"], "transformer", "train", claim))
                for one in recurrent]
    at_claim = [(label, ratio) for label, ratio in at_claim if ratio is not None]
    return [
        Figure(
            "time_vs_length", lambda theme: plots.time_vs_length(data, theme),
            alt="Two log-log plots of time per call against sequence length, forward pass on the left "
            "and training step on the right, for "
            + ", ".join(one["label"] for one in data["series"]) + ". Log-log slopes of the training step over "
            f"the upper half of the sweep: {slope_text}. Grey dashed guides of slope 1 and 2 start at the "
            "first point of the LSTM and of the attention core.",
            caption=f"Time per call against sequence length T, {setting}; median of repeated runs. "
            "On log-log axes the slope is the growth exponent: the grey guides show slopes 1 and 2.",
            lead=lead(f"Self-attention's time grows more steeply with T than the LSTM's (training-step slopes "
                      f"{_number(attention)} and {_number(lstm)}), while every recurrent layer's grows about in "
                      "proportion to T.",
                      linear and steeper,
                      f"training-step slopes {slope_text}; recurrent slopes needed between "
                      f"{readings.RECURRENT_SLOPE[0]:g} and {readings.RECURRENT_SLOPE[1]:g} in both modes, "
                      f"self-attention's above the LSTM's by more than {readings.SLOPE_GAP:g}"),
        ),
        Figure(
            "fraction_of_peak", lambda theme: plots.fraction_of_peak(data, theme),
            alt="Two log-log plots of achieved FLOP/s as a fraction of the device's measured matmul "
            f"peak against sequence length, forward pass and training step. {_fractions_at_largest(data)}",
            caption="How much of the machine each layer uses: analytic FLOPs (matrix products only) "
            f"divided by measured time, over the peak of a large {data['dtypes']['peak']} matmul "
            f"measured in the same run ({_flops_text(data['peak']['flops_per_s'])}).",
            lead=lead(_closest_and_furthest(data), 0 < highest <= readings.PEAK_MARGIN,
                      f"highest fraction of the peak {highest:.3g} ({where}), needed between 0 and "
                      f"{readings.PEAK_MARGIN:g}"),
        ),
        Figure(
            "recurrent_over_transformer", lambda theme: plots.recurrent_over_transformer(data, theme),
            alt="Ratio of a recurrent layer's training-step time to the Transformer layer's against "
            f"sequence length, log-log: {_ratio_ranges(data)}. Source B's claimed 5 to 10 times band is "
            f"marked at T = {claim}.",
            caption="How many times slower a recurrent layer's training step is than a Transformer "
            "layer's of the same width. Above 1 the Transformer layer is faster; the shaded band is "
            "source B's claimed 5-10× at T = 512.",
            lead=lead(_against_claim(at_claim, claim), bool(at_claim),
                      f"no recurrent layer's training step was timed at T = {claim}"),
        ),
    ]


def _closest_and_furthest(data: dict[str, Any]) -> str:
    """Which layer's training step comes closest to the matmul peak at the longest T, and which stays furthest."""
    fractions = _fractions(data, "train")
    if not fractions:
        return "No layer's training step was timed at the longest length."
    (best, high), (worst, low) = max(fractions, key=lambda f: f[1]), min(fractions, key=lambda f: f[1])
    length = readings.largest_measured(data["series"][0], "train")["length"]
    return (f"At T = {length:,} the training step of the {best} comes closest to the matmul peak "
            f"({_percent(high)}) and that of the {worst} stays furthest below it ({_percent(low)}).")


def _fractions(data: dict[str, Any], mode: str) -> list[tuple[str, float]]:
    """(layer, fraction of the peak) at each layer's longest measured T, in this mode."""
    result = []
    for one in data["series"]:
        point = readings.largest_measured(one, mode)
        fraction = point and readings.fraction_of_peak(data, point, mode)
        if fraction is not None:
            result.append((one["label"], fraction))
    return result


def _fractions_at_largest(data: dict[str, Any]) -> str:
    return " ".join(f"{plots.MODE_TITLES[mode]} at the longest T: "
                    + ", ".join(f"{label} {_percent(f)}" for label, f in _fractions(data, mode)) + "."
                    for mode in readings.MODES)


def _ratio_ranges(data: dict[str, Any]) -> str:
    parts = []
    for one in data["series"]:
        if one["family"] != "recurrent":
            continue
        pairs = [(p["length"], readings.ratio_at(data, one["name"], "transformer", "train", p["length"]))
                 for p in one["points"]]
        pairs = [(n, r) for n, r in pairs if r is not None]
        if pairs:
            (n0, r0), (n1, r1) = pairs[0], pairs[-1]
            parts.append(f"{one['label']} from {_times(r0)} at T = {n0:,} to {_times(r1)} at T = {n1:,}")
    return "; ".join(parts) or "no recurrent layer was timed"


def _against_claim(at_claim: list[tuple[str, float]], claim: int) -> str:
    """Each recurrent layer's training step against the Transformer layer's at the claim's length, and
    where that puts it against the claimed 5-10×."""
    if not at_claim:
        return f"No recurrent layer was timed at T = {claim}."
    low, high = plots.CLAIMED_SPEEDUP
    places = ["below" if r < low else "above" if r > high else "inside" for _, r in at_claim]
    if len(at_claim) == 1:
        (label, ratio), = at_claim
        return (f"At T = {claim} the {label}'s training step takes {_times(ratio)} the Transformer layer's "
                f"time, {places[0]} source B's claimed {low:g}-{high:g}×.")
    ratios = listed([f"{_times(r)} ({label})" for label, r in at_claim])
    if len(set(places)) == 1:
        verdict = f"{'both' if len(places) == 2 else 'all'} {places[0]}"
    else:
        verdict = ", ".join(f"{places.count(p)} {p}" for p in ("below", "inside", "above") if p in places)
    return (f"At T = {claim} the recurrent layers' training steps take {ratios} the Transformer layer's time: "
            f"{verdict} source B's claimed {low:g}-{high:g}×.")


def listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def tables(data: dict[str, Any]) -> list[Table]:
    claim = data["claim_length"]
    transformer_train = readings.time_at(readings.series(data, "transformer"), "train", claim)
    rows = []
    for one in data["series"]:
        point = next((p for p in one["points"] if p["length"] == claim), None)
        if point is None:
            continue
        train = readings.median(point, "train")
        rows.append([
            one["label"], _time(readings.median(point, "forward")), _time(train),
            f"{train / transformer_train:.2f}×" if train and transformer_train else "—",
            f"{point['flops']['forward'] / 1e9:,.3g}",
            _percent(readings.fraction_of_peak(data, point, "train")),
        ])
    lengths = [p["length"] for p in data["series"][0]["points"]]
    by_length = [[f"{n:,}"] + [_time(readings.time_at(s, "train", n)) for s in data["series"]] for n in lengths]
    return [
        Table("at_claim_length",
              ["layer", "forward", "training step", "÷ Transformer layer", "forward GFLOP", "of peak (training)"],
              rows, caption=f"Each layer at T = {claim:,}, {_setting(data)}. A training step is forward "
              "plus backward; its FLOPs are counted as 3 × forward."),
        Table("training_step_times", ["T"] + [s["label"] for s in data["series"]], by_length,
              caption=f"Median training-step time per layer and sequence length, {_setting(data)}; "
              "a dash where a point could not be measured (out of memory or unsupported)."),
        Table("recurrent_kernels", ["layer", "what ran its time loop"],
              [[one["label"], readings.kernel(one) or "not recorded in this run"]
               for one in data["series"] if one["family"] == "recurrent"], align="ll",
              caption=f"Read from the operators each recurrent layer's forward pass called (torch.profiler), "
              f"{_setting(data)}."),
    ]


def values(data: dict[str, Any]) -> list[Value]:
    def spread(reading):  # how far this reading moved between the repeated passes
        return spread_over_passes(data, reading)

    claim = data["claim_length"]
    result = [
        Value("width", data["width"], "d", "", "model width d (attention) and hidden size (recurrent)"),
        Value("batch", data["batch"], "d", "", "batch size of every timed call"),
        Value("claim_length", claim, ",d", "", "the length source B's speed-up claim is about"),
        Value("largest_length", data["series"][0]["points"][-1]["length"], ",d", "", "longest sequence timed"),
        _flops_value("peak_flops", data["peak"]["flops_per_s"], data,
                     f"measured peak of a large {data['dtypes']['peak']} matmul on this device",
                     spread(_peak_flops)),
    ]
    for slow in ("lstm", "gru", "lstm_no_cudnn", "gru_no_cudnn"):
        for mode in readings.MODES:
            ratio = readings.ratio_at(data, slow, "transformer", mode, claim)
            if ratio is not None:
                result.append(Value(f"{slow}_over_transformer_{mode}_at_{claim}", ratio, ".2f", "×",
                                    f"{_label(data, slow)} {mode} time ÷ Transformer layer's, T = {claim}",
                                    spread=spread(lambda d, slow=slow, mode=mode:
                                                  readings.ratio_at(d, slow, "transformer", mode, claim))))
    def train_over_forward(d: dict[str, Any]) -> float | None:
        train, forward = (readings.time_at(readings.series(d, "lstm"), mode, claim) for mode in ("train", "forward"))
        return train / forward if train and forward else None

    result.append(Value("lstm_train_over_forward_at_claim", train_over_forward(data), ".1f", "×",
                        f"LSTM training step ÷ its forward pass, T = {claim}", "not timed in this run",
                        spread=spread(train_over_forward)))
    for one in data["series"]:
        for mode in readings.MODES:
            slope = readings.slope(one, mode)
            if slope is not None:
                result.append(Value(f"{one['name']}_{mode}_slope", slope, ".2f", "",
                                    f"log-log slope of {one['label']} {mode} time, upper half of the sweep",
                                    spread=spread(lambda d, name=one["name"], mode=mode:
                                                  readings.slope(readings.series(d, name), mode))))
        result += _at_largest(data, one, spread)
    for name in ("lstm", "gru"):  # GPU only: what cuDNN's fused recurrence buys at the longest length
        slow, fast = readings.series(data, f"{name}_no_cudnn"), readings.series(data, name)
        last = readings.largest_measured(slow, "train") if slow and fast else None
        ratio = last and readings.ratio_at(data, f"{name}_no_cudnn", name, "train", last["length"])
        if ratio:
            result.append(Value(f"{name}_cudnn_speedup_train_at_largest", ratio, ".1f", "×",
                                f"{name.upper()} training step without cuDNN ÷ with it, T = {last['length']:,}",
                                spread=spread(lambda d, name=name, length=last["length"]:
                                              readings.ratio_at(d, f"{name}_no_cudnn", name, "train", length))))
    rate_ratio = readings.rate_ratio_at_largest(data, "lstm", "transformer", "forward")
    if rate_ratio is not None:
        result.append(Value("lstm_over_transformer_rate_at_largest", rate_ratio, ".2f", "",
                            "LSTM's achieved FLOP/s ÷ the Transformer layer's, forward, longest common T",
                            spread=spread(lambda d: readings.rate_ratio_at_largest(d, "lstm", "transformer",
                                                                                   "forward"))))
    lstm_from = _faster_from(data, "lstm", "transformer")
    if lstm_from is not None:
        result.append(Value("lstm_trains_faster_from_length", lstm_from, ",d", "",
                            "shortest T from which the LSTM's training step beats the Transformer layer's"))
    return result


# helpers ------------------------------------------------------------------------------------------


def _at_largest(data: dict[str, Any], one: dict[str, Any], spread) -> list[Value]:
    """Achieved FLOP/s and fraction of peak of one layer's forward pass at its longest measured T."""
    point = readings.largest_measured(one, "forward")
    if point is None:
        return []
    where = f"{one['label']}, forward, T = {point['length']:,}"

    def point_of(d: dict[str, Any]) -> dict[str, Any]:
        return next(p for p in readings.series(d, one["name"])["points"] if p["length"] == point["length"])

    return [
        _flops_value(f"{one['name']}_flops_at_largest", readings.flops_per_s(point, "forward"), data,
                     f"achieved FLOP/s, {where}", spread(lambda d: readings.flops_per_s(point_of(d), "forward"))),
        Value(f"{one['name']}_fraction_of_peak_at_largest", readings.fraction_of_peak(data, point, "forward"),
              ".1%", "", f"achieved FLOP/s over the measured matmul peak, {where}",
              spread=spread(lambda d: readings.flops_per_s(point_of(d), "forward") / _peak_flops(d))),
    ]


def _peak_flops(data: dict[str, Any]) -> float:
    """The matmul peak recomputed from its runs' medians, so that in a single pass's view
    (gen/analysis.py) it is that pass's peak. A run's FLOPs are its stored rate times the time of the
    pass it kept, the fastest; no FLOP formula is written twice."""
    return max(run["flops_per_s"] * min(run["pass_medians_s"]) / run["median_s"] for run in data["peak"]["runs"])


def _faster_from(data: dict[str, Any], fast: str, slow: str) -> int | None:
    """The shortest T from which `fast`'s training step beats `slow`'s at every longer T; None if never."""
    first = None
    for point in reversed(readings.series(data, fast)["points"]):
        ratio = readings.ratio_at(data, slow, fast, "train", point["length"])
        if ratio is None or ratio <= 1.0:
            break
        first = point["length"]
    return first


def _setting(data: dict[str, Any]) -> str:
    dtypes = data["dtypes"]
    precision = (dtypes["attention"] if dtypes["attention"] == dtypes["rnn"]
                 else f"attention in {dtypes['attention']}, recurrent layers in {dtypes['rnn']}")
    return f"width {data['width']}, batch {data['batch']}, {precision}, on {data['device'].upper()}"


def _label(data: dict[str, Any], name: str) -> str:
    return readings.series(data, name)["label"]


def _flops_value(key: str, flops_per_s: float, data: dict[str, Any], label: str,
                 spread: float | None = None) -> Value:
    """FLOP/s in the unit that suits the device: TFLOP/s on an accelerator, GFLOP/s on a CPU."""
    scale, unit = (1e12, " TFLOP/s") if data["peak"]["flops_per_s"] >= 1e12 else (1e9, " GFLOP/s")
    return Value(key, flops_per_s / scale, ",.3g", unit, label, spread=spread)


def _flops_text(flops_per_s: float) -> str:
    return f"{flops_per_s / 1e12:.3g} TFLOP/s" if flops_per_s >= 1e12 else f"{flops_per_s / 1e9:.3g} GFLOP/s"


def _time(seconds: float | None) -> str:
    return format_seconds(seconds) if seconds else "—"


def _percent(fraction: float | None) -> str:
    return "—" if fraction is None else measured_text(fraction, ".1%", "")


def _times(ratio: float) -> str:
    return measured_text(ratio, ".2g", "×")


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
