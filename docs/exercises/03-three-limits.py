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
# # Exercises: three limits of recurrence and the price of attention
#
# Four exercises for the lesson [Three limits of recurrence and the price of
# attention](../../lessons/03-three-limits/). Each has a task, a code cell for you to fill in, and a
# solution to reveal once you have tried. Every cell runs on a CPU in a second or two. The last
# exercise has no single right answer.
#
# Run the next cell first: it imports what the exercises need.

# %%
import math

import torch
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)

# %% [markdown]
# ## Exercise 1: the gradient against distance
#
# `gradient_vs_distance(step, xs, h0)` runs a recurrence `h = step(h, x)` over the inputs `xs` (shape
# (K + 1, width)) and returns, for every distance k = 0..K, the norm of the gradient of the last state's
# sum with respect to the input k steps before the end. One backward pass gives all of them.
#
# 1. Write `linear_step(h, x)` for $h_t = 0.99\,h_{t-1} + x_t$ and check the gradient against $0.99^k$.
# 2. Write `tanh_step(h, x)` for $h_t = \tanh(W h_{t-1} + U x_t)$ with the random `W` and `U` given,
#    and fit its decay factor per step.
# 3. Scale `W` by 2 and by 4 and fit again. What happens, and why?

# %%
WIDTH, K = 32, 200
xs = torch.randn(K + 1, WIDTH, dtype=torch.float64)
h0 = torch.zeros(WIDTH, dtype=torch.float64)
# PyTorch's default RNN initialisation: uniform in ±1/√width.
bound = 1 / math.sqrt(WIDTH)
W = torch.empty(WIDTH, WIDTH, dtype=torch.float64).uniform_(-bound, bound)
U = torch.empty(WIDTH, WIDTH, dtype=torch.float64).uniform_(-bound, bound)


def gradient_vs_distance(step, xs, h0):
    """Norm of d(sum of h_T) / d(x_(T-k)) for k = 0..K, as a tensor of K + 1 numbers."""
    xs = xs.clone().requires_grad_(True)
    h = h0
    for x in xs:  # each step needs the previous h
        h = step(h, x)
    h.sum().backward()
    return xs.grad.norm(dim=1).flip(0)  # (K + 1,): index k is k steps before the end


def decay_per_step(norms, floor=1e-250):
    """exp of the slope of ln(norm) against k: the factor that survives each step back."""
    k = torch.arange(len(norms), dtype=torch.float64)
    keep = norms > floor * norms[0]  # leave out anything near float64's underflow
    k, y = k[keep], norms[keep].log()  # a least-squares line through ln(norm)
    slope = ((k - k.mean()) * (y - y.mean())).sum() / ((k - k.mean()) ** 2).sum()
    return slope.exp().item()


def linear_step(h, x):
    """Your turn: h_t = 0.99 * h_(t-1) + x_t."""
    return None


def tanh_step(h, x, W=W):
    """Your turn: h_t = tanh(W h_(t-1) + U x_t)."""
    return None


def check_gradients():
    if linear_step(h0, xs[0]) is None or tanh_step(h0, xs[0]) is None:
        print("TODO: write linear_step and tanh_step above, then run this cell.")
        return
    linear = gradient_vs_distance(linear_step, xs, h0)
    k = torch.arange(K + 1, dtype=torch.float64)
    expected = linear[0] * 0.99**k
    print(f"linear: largest relative gap to 0.99^k = {((linear - expected) / expected).abs().max():.1e}")
    print(f"linear: decay per step = {decay_per_step(linear):.4f}")
    for scale in (1, 2, 4):
        norms = gradient_vs_distance(lambda h, x: tanh_step(h, x, scale * W), xs, h0)
        print(f"tanh, W x {scale}: decay per step = {decay_per_step(norms):.3f}, "
              f"gradient at k = 50 is {norms[50] / norms[0]:.1e} of k = 0")


check_gradients()


# %% tags=["solution"]
def linear_step(h, x):
    return 0.99 * h + x


def tanh_step(h, x, W=W):
    return torch.tanh(W @ h + U @ x)


check_gradients()

# %% [markdown] tags=["solution"]
# The linear recurrence reproduces $0.99^k$ to rounding error: its Jacobian is $0.99 I$ at every step,
# so the product of $k$ of them is exactly $0.99^k I$.
#
# The tanh RNN at PyTorch's default initialisation keeps only a fraction of its gradient per step,
# much like the lesson's vanilla RNN. Each step multiplies the gradient by $\mathrm{diag}(1 - h^2)\,W^\top$.
# With weights uniform in $\pm 1/\sqrt{d}$ (variance $1/3d$), the eigenvalues of `W` lie within a radius
# of about $\sqrt{d \cdot 1/3d} \approx 0.58$, so long products of it shrink, and the tanh derivative, at
# most 1, shrinks them further.
#
# Scaling `W` by 2 doubles that radius to about 1.15, so the decay factor rises: the gradient lasts
# longer. It still stays below 1, because a larger `W` also pushes the state towards saturation (|h|
# near 1), where the tanh derivative is small. Scale `W` by 4 and the factor passes 1: the gradient now
# grows with distance, the exploding case of Pascanu et al. (2013). Between the two lies a narrow band
# where it neither vanishes nor explodes, and a tanh RNN cannot be tuned to stay in it for every input;
# this is the dilemma Bengio et al. (1994) describe, and one reason gates were invented.

# %% [markdown]
# ## Exercise 2: when does the attention core overtake the dense layers?
#
# Write `dense_flops_per_token(d)` and `core_flops_per_token(T, d)` for one Transformer block, counting 2
# FLOPs per multiply-add and only matrix products: four d×d projections and an MLP d → 4d → d for the
# dense part; $QK^\top$ and the weighted sum of $V$ over all T positions for the core. Then find the
# crossover $T^*$ for d = 512.
#
# The check cell counts the FLOPs of real PyTorch modules with `FlopCounterMode` and compares. Finally:
# if a kernel skipped the masked half of a causal attention matrix, where would $T^*$ move?

# %%
def dense_flops_per_token(d):
    """Your turn: projections plus MLP, per token."""
    return None


def core_flops_per_token(T, d):
    """Your turn: scores and weighted sum, per token, bidirectional."""
    return None


def counted_flops(T, d, heads=8):
    """FLOPs of one block's dense layers and of its attention core, counted by PyTorch, for T tokens."""
    x = torch.randn(1, T, d)
    proj = torch.nn.Linear(d, 4 * d, bias=False)  # Q, K, V and output: four d×d, as one d×4d
    mlp = torch.nn.Sequential(torch.nn.Linear(d, 4 * d), torch.nn.GELU(), torch.nn.Linear(4 * d, d))
    q = k = v = torch.randn(1, heads, T, d // heads)  # (B, heads, T, head size)
    with torch.no_grad():
        with FlopCounterMode(display=False) as dense:
            proj(x), mlp(x)
        with FlopCounterMode(display=False) as core:
            attention = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // heads), dim=-1)
            attention @ v
    return dense.get_total_flops(), core.get_total_flops()


def check_flops(T=256, d=64):
    if dense_flops_per_token(d) is None or core_flops_per_token(T, d) is None:
        print("TODO: write the two counts above, then run this cell.")
        return
    dense, core = counted_flops(T, d)
    assert dense == T * dense_flops_per_token(d), (dense, T * dense_flops_per_token(d))
    assert core == T * core_flops_per_token(T, d), (core, T * core_flops_per_token(T, d))
    print(f"T = {T}, d = {d}: both counts match PyTorch's ({dense:,} and {core:,} FLOPs)")
    d = 512
    crossover = dense_flops_per_token(d) / core_flops_per_token(1, d)
    print(f"d = {d}: the core overtakes all dense layers at T* = {crossover:,.0f} = {crossover / d:.0f}·d")


check_flops()


# %% tags=["solution"]
def dense_flops_per_token(d):
    projections = 4 * 2 * d * d  # Q, K, V, output: four d×d products
    mlp = 2 * 2 * d * (4 * d)  # d -> 4d and 4d -> d
    return projections + mlp  # 24·d²


def core_flops_per_token(T, d):
    return 2 * T * d + 2 * T * d  # one score with each of T keys, then a weighted sum of T values


check_flops()

# %% [markdown] tags=["solution"]
# Per token the dense layers cost $8d^2 + 16d^2 = 24d^2$ FLOPs and the core $4Td$, so they are equal at
# $T^* = 24d^2 / 4d = 6d$: 3,072 tokens for d = 512. Against the MLP alone ($16d^2$) it is $4d$. The
# head count cancels: H heads of size d/H do the same number of multiply-adds as one head of size d.
#
# A causal kernel that skips the masked half does about $2Td$ per token on average, since token $t$
# attends to $t$ earlier tokens and their average is about $T/2$. Then $T^* = 24d^2 / 2d = 12d$: the
# "12·d" that Kaplan et al. (2020) give as the point below which the context term is small.

# %% [markdown]
# ## Exercise 3: attention without the full score matrix
#
# Naive attention builds the whole T×T score matrix. But each query's output depends only on its own
# row of scores, so queries can be processed in blocks: compute the scores of a block of queries against
# all keys, take their softmax, multiply by V, and move on. Write `blocked_attention(q, k, v, block)`,
# check that it gives the same output as `naive_attention`, and record the largest score tensor each one
# creates.
#
# FlashAttention goes one step further: it also splits the keys into tiles and keeps a running softmax,
# so that even one full row is never stored.

# %%
T, D = 2_048, 64
q, k, v = (torch.randn(T, D) for _ in range(3))
largest_scores = {"elements": 0}  # the largest score tensor created so far


def scores(q_block, k):
    """Scaled scores of some queries against all keys; records the largest tensor it made."""
    s = q_block @ k.T / math.sqrt(q_block.shape[-1])  # (queries, T)
    largest_scores["elements"] = max(largest_scores["elements"], s.numel())
    return s


def naive_attention(q, k, v):
    return torch.softmax(scores(q, k), dim=-1) @ v  # (T, T) scores, then (T, D)


def blocked_attention(q, k, v, block=128):
    """Your turn: the same result, using scores() on `block` queries at a time."""
    return None


def compare_attention(block=128):
    largest_scores["elements"] = 0
    reference = naive_attention(q, k, v)
    naive_largest = largest_scores["elements"]
    largest_scores["elements"] = 0
    blocked = blocked_attention(q, k, v, block)
    if blocked is None:
        print("TODO: write blocked_attention above, then run this cell.")
        return
    torch.testing.assert_close(blocked, reference)
    print(f"same output; largest score tensor: naive {naive_largest:,} elements, "
          f"blocked {largest_scores['elements']:,} ({naive_largest / largest_scores['elements']:.0f}x fewer)")


compare_attention()


# %% tags=["solution"]
def blocked_attention(q, k, v, block=128):
    out = torch.empty_like(q)
    for start in range(0, len(q), block):
        rows = slice(start, start + block)
        out[rows] = torch.softmax(scores(q[rows], k), dim=-1) @ v  # (block, T) scores at a time
    return out


compare_attention()

# %% [markdown] tags=["solution"]
# The outputs agree, and the largest score tensor shrinks from T² = 4,194,304 elements to
# block·T = 262,144, T / block = 16 times fewer. The arithmetic is the same: every query is still scored
# against every key, so the time stays quadratic while the memory for scores becomes linear in T (for a
# fixed block size).
#
# The lesson's measured naive attention holds more than the score matrices at its peak, because the
# scores and their softmax exist at once. A fused kernel such as FlashAttention also tiles the keys,
# rescaling a running maximum and sum as each tile arrives, so it never holds even a full row, and it
# does all of this inside one kernel so that the scores never travel to main memory.

# %% [markdown]
# ## Exercise 4: documents of 100,000 tokens (open-ended)
#
# You must train a model on documents of 100,000 tokens, in which a question near the end can depend
# on a sentence near the start, on a fixed number of GPUs. Compare three ways of doing it: an LSTM
# trained with truncated BPTT, a Transformer with a fused attention kernel and ring attention across
# the devices, and a linear recurrence trained with a parallel scan (lesson 5 measures such scans).
#
# There is no single right answer. A good one estimates, for one layer at this length, each option's
# training FLOPs and stored activations per device; says which dependencies each can still learn by
# gradient; and then weighs what such estimates leave out: the communication between devices, how well
# each kernel uses the hardware, the serial depth of lesson 2, and what a fixed-size state can hold.
# Fill in `options` below with your estimates (the lesson's FLOP counts and its TBPTT example are a
# start) and the cell prints them side by side.

# %%
DOC_LENGTH, DOC_WIDTH, DEVICES = 100_000, 1_024, 8
BYTES_PER_NUMBER = 2  # activations in bfloat16

# Your turn: name -> {"flops": training FLOPs of one layer per device for one document,
#                     "stored": bytes of activations one layer keeps per device,
#                     "reach": the longest distance, in tokens, across which a gradient flows}.
options = {}


def show_options():
    if not options:
        print("TODO: fill in options above, then run this cell.")
        return
    print(f"T = {DOC_LENGTH:,}, d = {DOC_WIDTH:,}, {DEVICES} devices; one layer, per device")
    print(f"{'':40}{'FLOPs':>10}{'stored':>12}{'reach':>10}")
    for name, o in options.items():
        print(f"{name:40}{o['flops']:10.1e}{o['stored'] / 2**20:8,.0f} MiB{o['reach']:10,}")


show_options()

# %% tags=["solution"]
# One possible set of estimates; every number is arithmetic on the assumptions in the comments.
T, d, P = DOC_LENGTH, DOC_WIDTH, DEVICES
TRAIN = 3  # a training step costs about 3 times the forward pass (the site's convention)
WINDOW = 512  # the TBPTT window k
LSTM_VECTORS = 6  # vectors of width d an LSTM keeps per step: four gates, the cell, the state
# An assumption of this sketch: a Transformer layer keeps about 16 vectors of width d per token, the
# inputs of its products, the MLP's 4d-wide hidden layer counted as four.
TRANSFORMER_VECTORS = 16
SCAN_VECTORS = 6  # a gated linear recurrence, assumed to keep about what an LSTM keeps

options = {
    # One document per device: the recurrence cannot be split along its own chain.
    "LSTM, truncated BPTT (k = 512)": {
        "flops": TRAIN * 16 * T * d**2,
        "stored": LSTM_VECTORS * WINDOW * d * BYTES_PER_NUMBER,
        "reach": WINDOW,
    },
    # The document split into P blocks; the FLOPs of the layer are shared out among the devices.
    "Transformer, ring attention": {
        "flops": TRAIN * (24 * T * d**2 + 4 * T**2 * d) // P,
        "stored": TRANSFORMER_VECTORS * (T // P) * d * BYTES_PER_NUMBER,
        "reach": T,
    },
    # A scan splits along the sequence too: each device scans its block and passes one state on.
    "linear recurrence, parallel scan": {
        "flops": TRAIN * 16 * T * d**2 // P,
        "stored": SCAN_VECTORS * (T // P) * d * BYTES_PER_NUMBER,
        "reach": T,
    },
}
show_options()

# %% [markdown] tags=["solution"]
# **The LSTM** is the cheapest in memory by far and its arithmetic grows only linearly, but two things
# rule it out for this task. Its gradient reaches 512 tokens, so nothing teaches it to carry a
# sentence from the start to a question 100,000 tokens later: that dependency's gradient is exactly
# zero. And its 100,000 steps run in order on one device, a serial depth no hardware shortens.
#
# **The Transformer** sees every dependency directly, and ring attention makes its activations fit by
# splitting them over the devices. But at T = 100,000 and d = 1,024 the attention core costs about
# T / 6d ≈ 16 times as much as the dense layers, so the layer does more than twenty times the LSTM's
# arithmetic in all, only shared among the devices. The estimate leaves out the keys and values that
# travel around the ring every layer (hidden only if each block's computation takes longer than its
# transfer) and the load imbalance of a causal mask; it is optimistic to that extent.
#
# **The linear recurrence** combines the LSTM's linear arithmetic with a gradient that reaches the
# whole document and a scan of logarithmic depth that splits across devices. Its weakness is not in
# these columns: everything it knows about the first 99,000 tokens must fit into a state of fixed size,
# and lesson 5 shows what that costs on tasks that need exact recall. A good answer might end with a
# hybrid (mostly recurrent layers, a few attention layers), and say which measurement would decide.
