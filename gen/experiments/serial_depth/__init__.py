"""Does a step-by-step recurrence lose to one vectorised operation, and from what length on?

The recurrence is h = a*h + x, the simplest RNN: each step needs the previous one. We time it as a
Python loop against Python's built-in sum() and a NumPy closed form, and as a PyTorch loop against
one cumsum (the same scan with a = 1, done by a single kernel), over sequence lengths on a log scale.

    python -m gen --only serial_depth --profile cpu
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Config:
    python_lengths: tuple[int, ...]  # sequence lengths for the pure-Python and NumPy variants
    torch_loop_lengths: tuple[int, ...]  # the torch loop launches one op per step: it caps the sweep
    torch_scan_lengths: tuple[int, ...]  # cumsum is cheap enough to go much further
    torch_width: int = 256  # hidden-state width of the torch recurrence, a small RNN's size
    decay: float = 0.9  # the a in h = a*h + x, as in the source document's rnn_style()
    # The variants compared at one length are timed in turn, `passes` times round, each keeping its
    # fastest pass (gen/measuring/timing.py): a neighbour's burst of load then spoils one pass, not
    # the comparison. Each pass also pays a warm-up and a block-size estimate (tens of ms for these
    # calls), so two passes of a third of the old 0.15 s keep the cpu build at its old ~20 s; a third
    # pass would add a third to it.
    passes: int = 2
    min_run_time: float = 0.05  # seconds of timed runs per variant and pass
    seed: int = 0


def _decades(low: int, high: int, per_decade: int = 2) -> tuple[int, ...]:
    """Lengths spaced evenly on a log axis from 10**low to 10**high, every decade included."""
    steps = (high - low) * per_decade
    return tuple(sorted({round(10 ** (low + i / per_decade)) for i in range(steps + 1)}))


PRESETS = {
    # Seconds: enough points for the slope checks to mean something.
    "smoke": Config(
        python_lengths=_decades(0, 5), torch_loop_lengths=_decades(1, 3),
        torch_scan_lengths=_decades(1, 4), torch_width=32,
        passes=2, min_run_time=0.02,  # shorter buys little: blocks are at least ~25 ms anyway
    ),
    # About half a minute on 2 cores; 10**5 is the length source B's claims are about.
    "cpu": Config(
        python_lengths=_decades(0, 6), torch_loop_lengths=_decades(1, 5),
        torch_scan_lengths=_decades(1, 6),  # 10**6 x 256 floats is 1 GiB: the cap on 24 GiB
        passes=2, min_run_time=0.05,
    ),
    # The Python part still runs on the host CPU; torch runs on the GPU, where cumsum can go far longer.
    "gpu": Config(
        python_lengths=_decades(0, 6), torch_loop_lengths=_decades(1, 5),
        torch_scan_lengths=_decades(1, 7), passes=2, min_run_time=0.05,
    ),
}

# The gpu preset's code at toy lengths: a CPU dry run (python -m gen run-gpu --dry-run).
PRESETS["dry"] = replace(PRESETS["gpu"], python_lengths=_decades(0, 2), torch_loop_lengths=_decades(1, 2),
                         torch_scan_lengths=_decades(1, 3), torch_width=8, passes=1, min_run_time=0.002)

# One H100/H200, estimated: the Python part runs on the host as on a CPU (about 10 s); the torch loop
# launches one kernel a step, about 0.6 s a call at 10**5 steps, timed in about 6 calls a pass; cumsum
# to 10**7 steps (10 GB a tensor) is quick.
GPU_SECONDS = 35
