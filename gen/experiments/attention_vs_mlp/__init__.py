"""From what sequence length on does attention, not the MLP, dominate a Transformer block's time?

One block's forward pass in three parts, timed separately over T at two widths d: the linear
projections of attention (Q, K, V and output), the attention core (scores, softmax and the weighted
sum of V, via scaled_dot_product_attention) and the MLP (d -> 4d -> d). The dense parts cost a fixed
amount per token; the core's cost per token grows with T. We find the T where the core's time equals
the MLP's, and where it equals all dense layers', and compare each with the FLOP count's prediction
(gen/measuring/flops.py): T* = 4·d and T* = 6·d.

    python -m gen measure --only attention_vs_mlp --profile cpu
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# The parts of a block timed at each point, by the names the data gives them (measure.py writes
# them, readings.py and the tests read them).
PARTS = ("projections", "core", "mlp")


@dataclass(frozen=True)
class Config:
    widths: tuple[int, ...]  # model widths d
    length_factors: tuple[float, ...]  # sequence lengths T = factor·d: the crossovers sit at 4·d and 6·d
    head_dim: int  # heads = d / head_dim; the FLOPs do not depend on it, the kernels' speed does
    batch: int
    dtype: str  # torch dtype name
    min_run_time: float  # seconds of timed runs per part and pass
    # At each point the parts are timed in turn, `passes` times round, each keeping its fastest pass
    # (gen/measuring/timing.py): a busy machine's burst slows one pass of one part, not the comparison.
    passes: int = 1
    expansion: int = 4  # MLP hidden width = expansion·d, the usual Transformer choice
    seed: int = 0


# T from d/2 to 8·d in steps of √2: nine points per width bracket both predicted crossovers with room
# for the measured ones to land up to 4x away, and the fit through them shrugs off one noisy point.
SQRT2_STEPS = tuple(round(2 ** (k / 2), 3) for k in range(-2, 7))

PRESETS = {
    # Seconds: widths large enough that the kernels, not Python overhead, set the times.
    "smoke": Config(widths=(128, 256), length_factors=SQRT2_STEPS, head_dim=64, batch=1, dtype="float32",
                    min_run_time=0.01, passes=2),
    # About 17 s on a quiet 2-core machine (the budget is 30 s): at d = 512, T = 4096 one core call is
    # 34 GFLOP, a quarter of a second. Two passes, as a neighbour's load would otherwise bend the curves.
    "cpu": Config(widths=(256, 512), length_factors=SQRT2_STEPS, head_dim=64, batch=1, dtype="float32",
                  min_run_time=0.05, passes=2),
    # One H100 in bf16, about 1 minute: a mid-size and a large model width (T up to 32K at d = 4096);
    # head size 128 as in most large models, batch 2 so that the short-T points are not all launch latency.
    "gpu": Config(widths=(1024, 4096), length_factors=SQRT2_STEPS, head_dim=128, batch=2, dtype="bfloat16",
                  min_run_time=0.1),
}

# The gpu preset's code (bf16, head size 128) at widths a CPU runs in seconds, on every other length.
PRESETS["dry"] = replace(PRESETS["gpu"], widths=(128, 256), length_factors=SQRT2_STEPS[::2], min_run_time=0.002)

# One H100/H200, estimated: 2 widths x 9 lengths x 3 parts, one pass of about 0.15 s each with sized
# blocks, plus allocating the inputs (T = 32K at d = 4096 is 0.5 GB a tensor).
GPU_SECONDS = 25
