"""How do an LSTM, a GRU, self-attention and a Transformer layer slow down as the sequence grows?

At one width, we time the forward pass and a training step (forward + backward) of nn.LSTM, nn.GRU,
nn.MultiheadAttention, nn.TransformerEncoderLayer and the attention core alone
(scaled_dot_product_attention without projections), over sequence lengths on a log scale. Analytic
FLOPs (gen/measuring/flops.py) over measured time give the FLOP/s each layer reaches, set against
the device's own matmul peak, measured in the same run. On a GPU the recurrent layers run with cuDNN
on and off.

    python -m gen measure --only latency_vs_length --profile cpu
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Config:
    lengths: tuple[int, ...]  # sequence lengths T; must include claim_length
    width: int  # d_model of the attention layers, input and hidden size of the recurrent ones
    heads: int  # attention heads; the FLOPs do not depend on it
    batch: int
    attention_dtype: str  # torch dtype name of the attention layers
    rnn_dtype: str  # torch dtype name of the recurrent layers
    rnn_backends: tuple[str, ...]  # "default": torch's choice (cuDNN on a GPU); "no_cudnn": cuDNN off
    peak_dtype: str  # dtype of the matmul that measures the device's peak
    peak_size: int  # side of that square matmul
    min_run_time: float  # seconds of timed runs per point
    # Passes over the variants at each length, interleaved (gen/measuring/timing.py); each keeps its
    # fastest. The matmul peak is one of the variants, so it is measured beside every point.
    passes: int = 1
    claim_length: int = 512  # source B's "5-10x faster per epoch at N=512" is about this length
    seed: int = 0


PRESETS = {
    # Seconds: a tiny width so that the largest lengths cost little, yet the sweep still reaches the
    # lengths where the slopes separate and includes T = 512.
    "smoke": Config(
        lengths=(128, 256, 512, 1024, 2048), width=64, heads=1, batch=1,
        attention_dtype="float32", rnn_dtype="float32", rnn_backends=("default",),
        peak_dtype="float32", peak_size=512, min_run_time=0.02, passes=3,
    ),
    # About 20 s on a quiet 2-core machine (the budget is 50 s). Width 128 and batch 2 keep the
    # T = 2048 Transformer training step under 0.2 s; 64..2048 in factors of 2 gives six points, the
    # upper half for the slopes. Two passes, as a neighbour's load would otherwise bend the curves.
    "cpu": Config(
        lengths=(64, 128, 256, 512, 1024, 2048), width=128, heads=2, batch=2,
        attention_dtype="float32", rnn_dtype="float32", rnn_backends=("default",),
        peak_dtype="float32", peak_size=1024, min_run_time=0.05, passes=2,
    ),
    # One H100/H200, about a minute (GPU_SECONDS below). Attention in bf16 (flash kernels). The
    # recurrent layers in fp16: cuDNN and the native fused LSTM/GRU cells have long run fp16 but bf16 only in recent
    # releases, and fp16 and bf16 share the same tensor-core rate on an H100, so the hardware is
    # matched. Width 1024 and batch 8: a typical mid-size model. The RNNs without cuDNN are the
    # slowest series (one small kernel launch per gate op per step), about half a second a training
    # step at T = 8K: 16K would double their cost and add nothing the slopes need. At T = 8K
    # attention already runs at its largest fraction of the peak in published measurements.
    "gpu": Config(
        lengths=(256, 512, 1024, 2048, 4096, 8192), width=1024, heads=16, batch=8,
        attention_dtype="bfloat16", rnn_dtype="float16", rnn_backends=("default", "no_cudnn"),
        peak_dtype="bfloat16", peak_size=8192, min_run_time=0.1,
    ),
}

# The gpu preset's code (its dtypes, both RNN backends, the bf16 peak) at toy sizes: a CPU dry run.
PRESETS["dry"] = replace(PRESETS["gpu"], lengths=(64, 128, 256, 512), width=32, heads=4, batch=1, peak_size=64,
                         min_run_time=0.002)

# One H100/H200, estimated: 7 layers x 2 modes + the peak = 15 variants at each of 6 lengths, about
# 0.15 s each with sized blocks (gen/measuring/timing.py), plus the RNNs without cuDNN, whose
# training steps take about half a second at T = 8K and are timed in at least 6 calls each.
# The config fields that are sequence lengths fed to cuDNN's LSTM/GRU (linted in gen/gpu/plan.py).
RNN_LENGTH_FIELDS = ("lengths",)
GPU_SECONDS = 60
