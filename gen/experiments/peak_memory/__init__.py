"""How does the peak memory of attention and of LSTM training grow with sequence length?

Attention written out as softmax(QK^T/sqrt(d))V holds the T×T score matrix, so its memory should
grow as T². PyTorch's scaled_dot_product_attention can be forced onto each of its backends in turn
(math, flash, memory-efficient, cuDNN); the fused ones work on tiles and never hold the matrix, so
theirs should grow as T. An LSTM trained by backpropagation through time stores every step's
activations, so its memory also grows as T, whatever "constant memory" says about inference.
We record the peak bytes the tensor allocator hands out during one call, forward only and forward
plus backward, against T on a log scale; an out-of-memory point and an unsupported backend are data.

    python -m gen measure --only peak_memory --profile cpu --device cpu
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Config:
    lengths: tuple[int, ...]  # sequence lengths T for attention and the LSTM
    training_max_length: int  # forward+backward only up to here: beyond, time and memory cost too much
    lstm_lengths: tuple[int, ...]  # the LSTM is cheap on a CPU and slow on a GPU: its own sweep
    streaming_max_length: int  # token-by-token LSTM inference is a Python loop: it stops sooner
    batch: int = 1
    heads: int = 8  # batch·heads score matrices, each T² elements
    head_dim: int = 128  # Llama-2 70B's head size; 8 heads of 128 make a 1024-wide model
    dtype: str = "float32"  # the CPU kernels' own precision; fused CUDA kernels need float16/bfloat16
    lstm_hidden: int = 256  # source C's edge LSTM width; its input is as wide
    lstm_layers: int = 1
    seed: int = 0


PRESETS = {
    # Seconds. 2048 is the shortest top length at which the CPU flash kernel's fixed ~1 MiB of
    # per-thread buffers no longer hides its linear growth from the slope check.
    "smoke": Config(lengths=(256, 512, 1024, 2048), training_max_length=1024,
                    lstm_lengths=(256, 512, 1024, 2048), streaming_max_length=1024),
    # About 20 s on 2 cores. At 4096 the naive forward holds two 512 MiB float32 matrices (scores
    # and their softmax); the backward, which holds three and costs three times as long, stops at
    # 2048. The LSTM goes on to 8K, where its fixed cost (weights, gradients) no longer bends the
    # line; streaming costs about 0.4 ms a token under the profiler, so it stops at 2048.
    "cpu": Config(lengths=(256, 512, 1024, 2048, 4096), training_max_length=2048,
                  lstm_lengths=tuple(2**k for k in range(8, 14)), streaming_max_length=2048),
    # One H100 (80 GB). float16 runs every fused backend and cuDNN's LSTM. The naive forward holds
    # 2·8·T² halves, 32 GiB at 32K, and its backward three matrices, 48 GiB: both run out of memory
    # at 64K, where the fused kernels carry on to 128K. The LSTM stops at 32K and streaming at 8K:
    # their lines are straight long before, and every step is a kernel launch.
    "gpu": Config(
        lengths=tuple(2**k for k in range(10, 18)), training_max_length=2**17,
        lstm_lengths=tuple(2**k for k in range(10, 16)), streaming_max_length=2**13,
        dtype="float16", lstm_hidden=1024,
    ),
}

# The gpu preset's code (float16, every fused backend) at toy lengths: a CPU dry run.
PRESETS["dry"] = replace(PRESETS["gpu"], lengths=(64, 128, 256), training_max_length=256,
                         lstm_lengths=(64, 128, 256), streaming_max_length=128, lstm_hidden=64)

# One H100/H200, estimated: memory readings are one call each (no repeats), the largest fused
# calls at 128K take well under a second, and the LSTM's token-by-token loop to 8K about 5 s.
# The config fields that are sequence lengths fed to cuDNN's LSTM/GRU (linted in gen/gpu/plan.py).
RNN_LENGTH_FIELDS = ("lstm_lengths",)
GPU_SECONDS = 30
