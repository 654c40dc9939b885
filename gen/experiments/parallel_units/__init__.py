"""Does a recurrence use more parallel units, a larger batch or a second thread, as attention does?

At one length (T = 512 by default) we time the training step of an LSTM, a GRU, self-attention, a
Transformer layer and the attention core over batch sizes on a log scale (time per sequence: a flat
curve is idle hardware that the batch puts to work) and, at one batch, on one and on two threads
(the speed-up from the second thread). The layers are those of latency_vs_length
(gen/measuring/layers.py).

    python -m gen measure --only parallel_units --profile cpu
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Config:
    length: int  # sequence length T of every point
    batches: tuple[int, ...]  # batch sizes B of the batch sweep (timed on one thread)
    thread_counts: tuple[int, ...]  # intra-op threads of the thread comparison
    thread_batch: int  # the batch at which threads are compared
    width: int  # d_model, and the input and hidden size of the recurrent layers
    heads: int
    dtype: str  # torch dtype name of every layer
    min_run_time: float  # seconds of timed runs per point and pass
    passes: int = 2  # layers timed in turn at each point, each keeping its fastest pass
    rnn_backends: tuple[str, ...] = ("default",)  # as in latency_vs_length: "no_cudnn" is GPU-only
    # CUDA only: batches at which the per-step (no_cudnn) recurrences' forward pass is timed launched
    # step by step and replayed from a CUDA Graph. The graph removes the per-kernel launch cost and
    # leaves the dependency: what remains of the time is the chain itself.
    graph_batches: tuple[int, ...] = ()
    batch: int = 1  # the shared layers' FLOP formulas read it: FLOPs are stored per sequence
    seed: int = 0


PRESETS = {
    # Seconds: a narrow width and a short batch sweep still show whether per-sequence time falls.
    "smoke": Config(length=128, batches=(1, 4, 16), thread_counts=(1, 2), thread_batch=4, width=64, heads=2,
                    dtype="float32", min_run_time=0.01),
    # About 30 s on 2 cores: T = 512 is the length the sources' speed claim is about; batches 1 to 64
    # in factors of 4 (a batch-64 Transformer training step alone takes about 0.3 s); threads compared
    # at batch 8, enough work for two threads to share.
    "cpu": Config(length=512, batches=(1, 4, 16, 64), thread_counts=(1, 2), thread_batch=8,
                  width=128, heads=2, dtype="float32", min_run_time=0.02),
    # One H100/H200: batches to 256 fill the device; host threads do not matter there, so one count.
    "gpu": Config(length=512, batches=(1, 16, 256), thread_counts=(1,), thread_batch=16,
                  width=1024, heads=16, dtype="bfloat16", min_run_time=0.05, passes=1,
                  rnn_backends=("default", "no_cudnn"), graph_batches=(1, 256)),
}
# The gpu preset's code (bf16, both RNN backends) at toy sizes: a CPU dry run.
PRESETS["dry"] = replace(PRESETS["gpu"], length=32, batches=(1, 4), thread_batch=4, width=32, heads=4,
                         min_run_time=0.002)

# The config fields that are sequence lengths fed to cuDNN's LSTM/GRU (linted in gen/gpu/plan.py).
RNN_LENGTH_FIELDS = ()  # `length` is one int, 512 here, far below cuDNN's limit
# One H100/H200, estimated: 7 layers x 3 batches, one pass of about 0.1 s each, plus the RNNs without
# cuDNN at batch 256 (a few tenths of a second a training step), and 2 x 2 x 2 graph timings.
GPU_SECONDS = 10
