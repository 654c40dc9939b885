# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercises: the serial bottleneck
#
# Three exercises for the lesson [The serial bottleneck](../../lessons/02-serial-bottleneck/). Each
# has a task, a code cell for you to fill in, and a solution to reveal once you have tried. Every cell
# runs on a CPU in a few seconds at most. The times you measure depend on your machine; what matters
# is how they compare with each other.
#
# Run the next cell first: it defines the recurrence from the lesson and a small timing helper.

# %%
import math
import random
import statistics
import timeit

import torch


def rnn_style(xs, decay=0.9):
    """The lesson's recurrence, with a state of one number."""
    h = 0.0
    for x in xs:
        h = decay * h + x  # each step needs the previous h
    return h


def seconds_per_call(fn, number=1, repeat=5):
    """Seconds per call of fn(): the median over `repeat` runs.

    Each run makes `number` calls: several when one call is so short that
    reading the clock would cost about as much as the call itself. The
    median, because a busy machine slows down a few runs.
    """
    runs = timeit.repeat(fn, number=number, repeat=repeat)
    return statistics.median(runs) / number


rng = random.Random(0)

# %% [markdown]
# ## Exercise 1: a wider state
#
# `rnn_style` keeps a single number as its state; a recurrent network keeps a vector. Write
# `rnn_style_vector(xs, decay)` whose state `h` is a list of 64 numbers. Each input `xs[t]` is a list of
# 64 numbers too, and each step updates every element in turn: `h[i] = decay * h[i] + x[i]`.
#
# Before you run it, predict how the time per step will compare with the scalar version. Then measure
# it. Which has grown: the work, or the serial depth?

# %%
WIDTH = 64
STEPS = 2_000
xs_scalar = [rng.uniform(-1.0, 1.0) for _ in range(STEPS)]
xs_vector = [  # STEPS lists of WIDTH numbers each
    [rng.uniform(-1.0, 1.0) for _ in range(WIDTH)] for _ in range(STEPS)
]


def rnn_style_vector(xs, decay=0.9):
    """Your turn: h, a list of len(xs[0]) numbers, updated one by one."""
    return None


def compare_widths():
    if rnn_style_vector(xs_vector) is None:
        print("TODO: write rnn_style_vector above, then run this cell.")
        return
    # Each element of the state is a scalar recurrence of its own: element 0
    # must match rnn_style run on element 0 of every input.
    first = rnn_style([x[0] for x in xs_vector])
    assert math.isclose(rnn_style_vector(xs_vector)[0], first, rel_tol=1e-9)
    scalar = seconds_per_call(lambda: rnn_style(xs_scalar), 20) / STEPS
    vector = seconds_per_call(lambda: rnn_style_vector(xs_vector)) / STEPS
    print(f"state of 1 number:   {scalar * 1e9:6.0f} ns per step")
    print(f"state of {WIDTH} numbers: {vector * 1e9:6.0f} ns per step, "
          f"{vector / scalar:.0f} times as long")


compare_widths()


# %% tags=["solution"]
def rnn_style_vector(xs, decay=0.9):
    h = [0.0] * len(xs[0])
    for x in xs:  # the steps: each needs the state the last one left
        for i in range(len(h)):  # the elements: independent of each other
            h[i] = decay * h[i] + x[i]
    return h


compare_widths()

# %% [markdown] tags=["solution"]
# The time per step grows by about the width, 64 times, and usually by more. That is **work**: each
# step now does 64 multiply-adds instead of one, and Python does them one after another. Each of them
# also costs the interpreter more than the scalar step did, because it indexes two lists and stores
# into one: the interpreter overhead of the lesson, paid 64 times per step.
#
# The **serial depth** has not changed. Element `i` at step `t` needs only element `i` at step `t - 1`,
# so the 64 updates within a step could all happen at once, and the chain of dependent steps is still
# `STEPS` long. A vectorised library, or a GPU, can spread the extra work across parallel units, but
# more units do nothing for the chain. That is why making an RNN wider is cheap on a GPU and making its
# sequences longer is not. (For a linear recurrence like this one, a different algorithm can shorten
# the chain: that is the next exercise.)

# %% [markdown]
# ## Exercise 2: a prefix sum in logarithmic depth
#
# The running sum (or prefix sum) of `xs` is the list whose element `i` is `xs[0] + xs[1] + ... + xs[i]`.
# Computed from left to right, each sum waits for the one before it: for 1,024 numbers, a chain of 1,023
# dependent additions.
#
# The Hillis–Steele scan computes the same list in rounds. In round `k` (counting from 0), every element
# adds to itself the value that the element `2**k` places before it held at the end of the previous
# round; elements with nothing that far before them stay as they are. The additions of one round read
# only the previous round's values, so a machine with enough adders could do each round in one step.
#
# Write `hillis_steele(xs)` so that it returns the prefix sums, the number of rounds and the number of
# additions. Check it against the sequential running sum of 1,024 numbers. How many rounds does it take,
# and how much more work does it do than the sequential sum?

# %%
N = 1_024
# Integers, so that sums made in a different order still agree exactly.
numbers = [rng.randint(-100, 100) for _ in range(N)]


def running_sum(xs):
    """Prefix sums from left to right. Returns (sums, additions)."""
    sums = [xs[0]]
    for x in xs[1:]:
        sums.append(sums[-1] + x)
    return sums, len(xs) - 1


def hillis_steele(xs):
    """Your turn: return (prefix sums, number of rounds, additions)."""
    return None


def check_scan():
    result = hillis_steele(numbers)
    if result is None:
        print("TODO: write hillis_steele above, then run this cell.")
        return
    sums, rounds, additions = result
    expected, sequential_additions = running_sum(numbers)
    assert sums == expected, "the scan's sums differ from the running sum"
    print(f"sequential:    {sequential_additions:5,} additions, one by one")
    print(f"Hillis–Steele: {additions:5,} additions in {rounds} rounds, "
          f"{additions / sequential_additions:.1f} times the work")


check_scan()


# %% tags=["solution"]
def hillis_steele(xs):
    sums, rounds, additions = list(xs), 0, 0
    shift = 1  # 2**k in round k
    while shift < len(sums):
        # A new list, so that every addition reads the previous round's
        # values: the additions of one round do not depend on each other.
        sums = [s + sums[i - shift] if i >= shift else s
                for i, s in enumerate(sums)]
        additions += len(sums) - shift
        rounds += 1
        shift *= 2
    return sums, rounds, additions


check_scan()

# %% [markdown] tags=["solution"]
# The scan takes log₂ 1,024 = 10 rounds where the sequential sum has a chain of 1,023 additions. The
# price is work: round `k` makes 1,024 − 2**k additions, 9,217 in all, about nine times the 1,023 of the
# sequential sum. In general the scan does about n·log₂ n additions against n − 1. With 1,024 adders
# that is a good trade; on one core, as here, it is simply nine times the work. Work-efficient scans,
# such as Blelloch's, keep the depth logarithmic with only about 2n additions.
#
# With floating-point numbers the two results would differ in their last digits, because the scan adds
# the same numbers in a different order. That is why this exercise uses integers.

# %% [markdown]
# ## Exercise 3: the same scan along two axes
#
# Make a tensor `x` of shape (T, 256) with T = 100,000: think of it as 256 sequences of length T, stored
# one time step per row. Time `torch.cumsum` along dim 0 (down each column, along time) and along dim 1
# (along each row). Both compute 25.6 million running sums with the same number of additions.
#
# Explain the difference between the two times from how `x` is laid out in memory. `x.stride()` says how
# many elements apart two neighbours along each axis are stored.

# %%
T = 100_000
torch.manual_seed(0)
x = torch.randn(T, 256)  # (T, 256): one time step per row
# Written once now, so that no timing below pays for first touching memory.
out = torch.zeros_like(x)
print("x.stride() =", x.stride())


def time_cumsum(dim):
    """Your turn: return the seconds one torch.cumsum(x, dim=dim, out=out)
    takes. seconds_per_call, from the first cell, can time it."""
    return None


def compare_axes():
    seconds = {dim: time_cumsum(dim) for dim in (0, 1)}
    if None in seconds.values():
        print("TODO: write time_cumsum above, then run this cell.")
        return
    for dim, s in seconds.items():
        print(f"cumsum along dim {dim}: {s * 1e3:7.1f} ms")
    print(f"dim 0 takes {seconds[0] / seconds[1]:.1f} times as long")


compare_axes()


# %% tags=["solution"]
def time_cumsum(dim):
    # Three runs are enough for calls this long, and keep the cell short.
    return seconds_per_call(lambda: torch.cumsum(x, dim=dim, out=out),
                            repeat=3)


compare_axes()

# %% [markdown] tags=["solution"]
# `x` is stored row by row: `x.stride()` is (256, 1). Neighbours along a row sit next to each other in
# memory; neighbours along a column are 256 floats, 1 KiB, apart.
#
# Along dim 1, `cumsum` reads and writes memory in order. Every 64-byte cache line it loads holds the
# next 16 numbers it needs, and the processor's prefetcher sees the pattern and fetches ahead.
#
# Along dim 0 it walks down one column at a time, jumping 1 KiB at every step. Each jump loads a whole
# cache line to use 4 of its 64 bytes, and by the time the scan comes back for the next column that
# line has long been evicted: the tensor is far larger than any cache. The arithmetic is the same, but up
# to 16 times as much data moves between memory and the processor, and with PyTorch's CPU `cumsum` that
# shows as a large gap in time. (If your two times come out close, your PyTorch scans several columns
# at once, adding whole rows, which reads memory in order again.)
#
# The cure is the layout, not the algorithm: store time as the last, contiguous axis, shape (256, T), as
# the lesson's measurement does, or pay once for `x.T.contiguous()` before scanning many times.
