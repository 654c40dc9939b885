"""How much faster is a parallel scan of a linear recurrence than the loop, and is every fast form safe?

The recurrence h_t = a_t h_{t-1} + b_t (a gated RNN's or a diagonal SSM's state update) is a prefix
scan under the associative combine (a1, b1), (a2, b2) -> (a1 a2, a2 b1 + b2). We run it as a loop over
t, as a Hillis-Steele scan (log2 T rounds, T log T work), as a work-efficient Blelloch scan (up-sweep
and down-sweep, about 2T work), with torch's associative_scan, and with the tempting closed form
h_t = A_t cumsum(b_t / A_t), A_t = cumprod(a_t), which underflows. We count rounds and combines, time
each over T, and compare each against a float64 loop.

    python -m gen measure --only parallel_scan --profile cpu --device cpu
"""

from __future__ import annotations

from dataclasses import dataclass, replace


def powers_of_two(low: int, high: int, step: int = 1) -> tuple[int, ...]:
    return tuple(2**k for k in range(low, high + 1, step))


@dataclass(frozen=True)
class Config:
    loop_lengths: tuple[int, ...]  # T for the loop: one step per t, so it caps the sweep
    scan_lengths: tuple[int, ...]  # T for the parallel scans and the closed form
    error_lengths: tuple[int, ...]  # T at which every method is compared with a float64 loop
    batch: int = 2
    channels: int = 32  # batch x channels independent recurrences, scanned together along T
    a_low: float = 0.9  # a_t ~ uniform(a_low, a_high): long memory, as in a trained gated RNN
    a_high: float = 1.0
    break_threshold: float = 1e-3  # relative error from which the closed form counts as broken
    compile_builtin: bool = False  # torch.compile associative_scan (inductor); ~45 s of compiling on a CPU
    min_run_time: float = 0.05  # seconds of timed runs per point and pass
    rounds: int = 2  # passes over the methods at each length, in turn; each keeps its fastest pass
    seed: int = 0


PRESETS = {
    # Seconds: short timing sweeps, but the error sweep reaches past where the closed form breaks,
    # in float32 (T ~ 1.6K) and in float64 (T ~ 14K).
    "smoke": Config(loop_lengths=powers_of_two(6, 10, 2), scan_lengths=powers_of_two(6, 12, 2),
                    error_lengths=powers_of_two(4, 14), min_run_time=0.02),
    # About 20 s on 2 cores: the loop to 16K steps, the scans to 64K (4M elements per tensor).
    "cpu": Config(loop_lengths=powers_of_two(6, 14, 2), scan_lengths=powers_of_two(6, 16, 2),
                  error_lengths=powers_of_two(4, 14)),
    # An H100: 256 recurrences, the scans to 1M steps (1 GiB per tensor); the loop launches kernels
    # one step at a time, 16K steps is enough for its line. Inductor compiles associative_scan to a
    # Triton scan kernel there.
    "gpu": Config(loop_lengths=powers_of_two(6, 14, 2), scan_lengths=powers_of_two(6, 20, 2),
                  error_lengths=powers_of_two(4, 16), batch=4, channels=64, compile_builtin=True),
}

# The gpu preset's code at toy lengths: a CPU dry run. torch.compile is only used on CUDA, so the
# dry run leaves the compiled scan out (it would compile for 45 s on a CPU).
PRESETS["dry"] = replace(PRESETS["gpu"], loop_lengths=powers_of_two(6, 8, 2), scan_lengths=powers_of_two(6, 10, 2),
                         error_lengths=powers_of_two(4, 10), batch=2, channels=8, min_run_time=0.002, rounds=1)

# One H100/H200, estimated: compiling associative_scan with inductor takes 15-60 s (the least
# predictable part, so this runs last); the loop to 16K steps launches a few kernels a step (about
# 0.3 s a call); the scans to 1M steps and the float64 error sweep to 64K take seconds.
GPU_SECONDS = 90
