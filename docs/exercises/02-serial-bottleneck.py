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
# Five exercises for the lesson [The serial bottleneck](../../lessons/02-serial-bottleneck/). Each
# has a task, a code cell for you to fill in, and a solution to reveal once you have tried. Every cell
# runs on a CPU in a few seconds at most. The times you measure depend on your machine; what matters
# is how they compare with each other. Exercise 4 imports the site's own measuring code, so run it
# from a checkout of the repository (`make setup`, then this notebook in its `.venv`); it uses a GPU
# if there is one. The last exercise has no single right answer.
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

# %% [markdown]
# ## Exercise 4: a recurrence against attention, from 64 to 65,536 positions
#
# The lesson's measurements ran on a CPU. This exercise repeats the comparison on whatever device you
# have, over the range the source course asks for: a recurrence run one step at a time, against
# attention over the whole sequence at once, at lengths from 64 to 65,536.
#
# The next cell does the timing and prints a table. It reuses the site's own code rather than a copy:
# `torch_loop` is the step-by-step loop that the lesson's PyTorch figure times (one tensor operation
# per step, every state kept), and `time_call` is the site's timing helper (`torch.utils.benchmark`,
# one thread on a CPU, and on a GPU a synchronisation around every timed block, so that it counts
# kernels finishing rather than launches returning). Attention is PyTorch's
# `scaled_dot_product_attention` over one sequence of the same width, with the sequence as its own
# queries, keys and values. On a GPU the sweep runs in factors of 4 up to 65,536; on a CPU it stops
# at 4,096, so that the cell takes seconds.
#
# Your part is the reading of the table. Write `loglog_slope(lengths, seconds)`, the least-squares
# slope of log time against log length over the upper half of the sweep, and `crossover(lengths,
# recurrence, attention)`, the length from which attention stays slower than the recurrence,
# interpolated on log-log axes between the two lengths that bracket it (`None` if attention never
# overtakes it in the sweep). When there is no crossing, extrapolate one from the two fitted power
# laws. Then explain the shape of each curve: why is one line straight from the start, and the other
# flat before it bends upwards?

# %%
import torch.nn.functional as F

from gen.experiments.serial_depth.measure import torch_loop  # the loop that the lesson times
from gen.measuring.timing import time_call  # the site's timing helper (see above)

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
SWEEP_WIDTH = 64  # the width of the state, and of each position's query, key and value
# A GPU gets the source course's whole range; a CPU stops at 4,096, where the recurrence takes tens
# of milliseconds and attention about as long (it quadruples with each doubling, where the recurrence
# only doubles).
SWEEP_LENGTHS = [64 * 4**i for i in range(6)] if DEVICE == "cuda" else [64 * 2**i for i in range(7)]
SWEEP_MIN_RUN_TIME = 0.2 if DEVICE == "cuda" else 0.03  # seconds of timed calls per point


def recurrence_call(n):
    """h_t = 0.9 h_(t-1) + x_t over n steps, one tensor operation per step."""
    x = torch.randn(n, SWEEP_WIDTH, device=DEVICE)  # (T, d): step t reads row t
    states = torch.empty_like(x)  # allocated once, so that no timed call pays for fresh memory
    return lambda: torch_loop(x, 0.9, states)


def attention_call(n):
    """Softmax attention of n positions over all n, in one call."""
    x = torch.randn(1, 1, n, SWEEP_WIDTH, device=DEVICE)  # (B, heads, T, d)
    return lambda: F.scaled_dot_product_attention(x, x, x)


def seconds_or_oom(call):
    """The median time of call(), or None where the device ran out of memory (a result, not a crash)."""
    try:
        return time_call(call, SWEEP_MIN_RUN_TIME).median_s
    except torch.OutOfMemoryError:
        torch.cuda.empty_cache()
        return None


sweep = {"length": [], "recurrence": [], "attention": []}  # seconds per call, one entry per length
for n in SWEEP_LENGTHS:
    sweep["length"].append(n)
    sweep["recurrence"].append(seconds_or_oom(recurrence_call(n)))
    sweep["attention"].append(seconds_or_oom(attention_call(n)))

device_name = torch.cuda.get_device_name() if DEVICE == "cuda" else "CPU, one thread"
print(f"on {device_name}, width {SWEEP_WIDTH}")
print(f"{'T':>7}  {'recurrence':>12}  {'attention':>12}  {'attention / recurrence':>22}")
for n, r, a in zip(*sweep.values()):
    ratio = f"{a / r:22.2f}" if r and a else f"{'':22}"
    r_text, a_text = (f"{t * 1e3:9.3f} ms" if t else "         OOM" for t in (r, a))
    print(f"{n:7,}  {r_text}  {a_text}  {ratio}")


# %%
def loglog_slope(lengths, seconds):
    """Your turn: least-squares slope of log(seconds) against log(length), upper half of the sweep."""
    return None


def crossover(lengths, recurrence, attention):
    """Your turn: the length from which attention stays slower, interpolated log-log, or None."""
    return None


def read_sweep():
    # Leave out any length where either side ran out of memory.
    kept = [(n, r, a) for n, r, a in zip(*sweep.values()) if r and a]
    lengths, rec, att = (list(column) for column in zip(*kept))
    slopes = {name: loglog_slope(lengths, times) for name, times in (("recurrence", rec), ("attention", att))}
    if None in slopes.values():
        print("TODO: write loglog_slope and crossover above, then run this cell.")
        return
    for name, slope in slopes.items():
        print(f"{name}: log-log slope {slope:.2f} over the upper half of the sweep")
    found = crossover(lengths, rec, att)
    if found is not None:
        print(f"attention is slower than the recurrence from about T = {found:,.0f}")
        return
    # No crossing in the sweep: fit t = c * T**s to each upper half and solve c_r T**s_r = c_a T**s_a.
    upper = len(lengths) // 2
    log_t = [math.log(n) for n in lengths[upper:]]
    mean_log_t = sum(log_t) / len(log_t)
    intercepts = {name: sum(math.log(t) for t in times[upper:]) / len(log_t) - slopes[name] * mean_log_t
                  for name, times in (("recurrence", rec), ("attention", att))}
    if slopes["attention"] <= slopes["recurrence"]:
        print("no crossing in the sweep, and attention's fitted slope is no steeper: none to extrapolate")
        return
    log_cross = (intercepts["recurrence"] - intercepts["attention"]) / (slopes["attention"] - slopes["recurrence"])
    print(f"no crossing in the sweep; the fitted power laws cross near T = {math.exp(log_cross):,.0f}")


read_sweep()


# %% tags=["solution"]
def loglog_slope(lengths, seconds):
    upper = len(lengths) // 2  # the long end, where fixed costs no longer hide the growth
    x = [math.log(n) for n in lengths[upper:]]
    y = [math.log(t) for t in seconds[upper:]]
    mean_x, mean_y = sum(x) / len(x), sum(y) / len(y)
    return (sum((a - mean_x) * (b - mean_y) for a, b in zip(x, y))
            / sum((a - mean_x) ** 2 for a in x))


def crossover(lengths, recurrence, attention):
    slower = [a > r for r, a in zip(recurrence, attention)]  # attention slower at each length?
    if not slower[-1]:
        return None
    # The last length at which attention was still the faster one: a noisy point earlier on may cross
    # and cross back, and the question is from where attention stays slower.
    last_faster = max((i for i, s in enumerate(slower) if not s), default=None)
    if last_faster is None:
        return lengths[0]  # slower already at the shortest length
    i = last_faster
    # log(attention / recurrence) changes sign between lengths i and i + 1: find its zero on a line.
    gap_i = math.log(attention[i] / recurrence[i])
    gap_j = math.log(attention[i + 1] / recurrence[i + 1])
    fraction = gap_i / (gap_i - gap_j)
    return math.exp(math.log(lengths[i]) + fraction * (math.log(lengths[i + 1]) - math.log(lengths[i])))


read_sweep()

# %% [markdown] tags=["solution"]
# **The recurrence** is a straight line of slope close to 1 from the shortest length on. Each step is
# one tensor operation, and each operation has a fixed cost (dispatching it from Python on a CPU, a
# kernel launch on a GPU) that dwarfs the 64 multiply-adds it does. T steps cost T of them, and
# nothing in the loop lets two steps overlap: that is the serial depth, made visible.
#
# **Attention** is one call at every length. At short lengths that call does so little arithmetic
# that its own fixed cost is most of its time, and the line is nearly flat; as T grows, its 4·T²·d
# FLOPs take over and the slope rises towards 2. On a CPU with one thread that happens early, because
# one core has few arithmetic units to fill. A GPU has so many that attention over a few thousand
# positions still leaves most of them idle, so its line stays flat much longer and bends later. Fit
# your slopes over the part of the sweep where a line is straight, or the fit will mix the two
# regimes and come out between them.
#
# **The crossover** is where attention's quadratic arithmetic finally costs more than the
# recurrence's chain of fixed costs. On a CPU it usually falls inside the sweep, at a length of the
# order of a thousand. On a GPU, where each step of the loop still costs a whole launch while
# attention's arithmetic runs in parallel, it moves much further out, perhaps beyond 65,536; that is
# what the extrapolation is for, and you should say how far beyond the data it reaches, since a
# power law fitted over two or three points is a rough guide. Two things would move it: a fused
# recurrence kernel (or a CUDA Graph) removes most of the per-step cost without shortening the
# chain, and half precision, the format that GPU attention kernels are built for, would move
# attention's line down.
#
# This comparison is deliberately crude: the recurrence has no weight matrix, so per step it is far
# cheaper than an LSTM, and attention is a single head with no projections. It measures the two
# shapes of cost, a chain of T small steps against one step of T² work, not two real layers; lesson 3
# times those.

# %% [markdown]
# ## Exercise 5: where is the chain in a model you use? (open-ended)
#
# Attention removes the chain over a sequence that is known in advance. Much of what models do is not
# like that: a Transformer generating text needs token t before it can compute token t + 1, through
# every one of its layers. Pick a model you know (a language model generating an answer, a speech
# recogniser streaming its output, a beam search, a diffusion sampler) and find its longest chain of
# dependent steps. Then say what could shorten that chain, and what each remedy costs.
#
# There is no single right answer. A good one weighs three things: which steps truly depend on each
# other and which only happen to run in order; whether a remedy shortens the chain or only makes each
# link cheaper (the lesson's distinction between depth and dispatch); and what it costs in extra work,
# memory or quality, and whether the hardware has idle units to absorb that extra work. The bound
# max(W/P, D) of the lesson is a way to put numbers on the last point: the cell below prints it for a
# few machine sizes.

# %%
def time_bound(work, depth, units):
    """The lesson's lower bound on running time, in the same unit as work and depth."""
    return max(work / units, depth)


# Your turn: one entry per computation you analyse, name -> (work, serial depth), both counted in the
# same unit (operations, kernels, layer applications, ...).
chains = {}


def show_chains(units=(1e2, 1e4, 1e6)):
    if not chains:
        print("TODO: fill in chains above, then run this cell.")
        return
    print(f"{'':44}" + "".join(f"{f'P = {p:,.0f}':>14}" for p in units) + f"{'depth decides from P =':>24}")
    for name, (work, depth) in chains.items():
        bounds = "".join(f"{time_bound(work, depth, p):14,.0f}" for p in units)
        print(f"{name:44}{bounds}{work / depth:24,.0f}")


show_chains()

# %% tags=["solution"]
# One possible answer, for a decoder-only language model with 32 layers that reads a 2,000-token
# prompt and writes 1,000 tokens. The unit is one application of one layer to one token; the numbers
# are arithmetic on these assumptions, not measurements.
LAYERS, PROMPT, ANSWER = 32, 2_000, 1_000
DRAFTED, ACCEPTED = 4, 3  # speculative decoding: tokens a small model drafts, and how many survive
passes = ANSWER / (ACCEPTED + 1)  # each check by the large model keeps the accepted drafts plus one
chains = {
    "prompt (prefill): all tokens at once": (PROMPT * LAYERS, LAYERS),
    "answer, one token after another": (ANSWER * LAYERS, ANSWER * LAYERS),
    # The large model checks the drafts and one more position in one parallel pass; the small model's
    # own chain (DRAFTED steps of its few layers per pass) is left out, as it is short and cheap.
    "answer, with drafts checked in parallel": (passes * (DRAFTED + 1) * LAYERS, passes * LAYERS),
}
show_chains()

# %% [markdown] tags=["solution"]
# Reading the prompt has a chain of only 32 layer steps: every prompt token is known, so each layer
# handles all of them at once, as attention promises. Writing the answer is another matter: each token
# goes through all 32 layers before the next can start, a chain of 32,000 layer steps. Counted in layer
# steps, its work equals its depth: a second unit would find nothing to do, and a bigger machine can
# only make each layer step faster. Serving many users at once fills the idle units with other people's
# tokens, which raises throughput but leaves each answer's chain as long as it was.
#
# Remedies that make each link cheaper: fused kernels, CUDA Graphs, smaller number formats, keeping the
# weights in faster memory. They shorten no chain. Remedies that shorten it: drafting a few tokens with
# a small model and checking them with the large one in one parallel pass (above: the chain falls from
# 32,000 to 8,000 layer steps if three of four drafts survive, for a quarter more work, which a machine
# that applies a layer to five tokens at once absorbs); fewer, wider layers (a shorter chain per token,
# but a different model); or decoders that refine every position of the answer together in a fixed
# number of rounds, usually at some cost in quality. A good answer says which of these the model's task
# allows: a streaming recogniser, for instance, cannot draft ahead of audio it has not yet heard.
