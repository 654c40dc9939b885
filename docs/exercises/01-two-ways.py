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
# # Exercises: two ways to move information along a sequence
#
# Four exercises for the lesson [Two ways to move information along a
# sequence](../../lessons/01-two-ways/). Each has a task, a code cell for you to fill in, and a solution
# to reveal once you have tried. Every cell runs on a CPU in well under a second.
#
# Run the next cell first: it defines the two layers of the lesson, small and in float64, so that the
# gradients of Exercise 1 are not lost to rounding.

# %%
import math

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)

T, D = 64, 16  # sequence length and width: tiny, so that every cell is instant


class RecurrentLayer(torch.nn.Module):
    """h_t = tanh(W h_(t-1) + U x_t + b), one step at a time. Returns every state, (T, D)."""

    def __init__(self, d):
        super().__init__()
        self.W = torch.nn.Linear(d, d, bias=False)
        self.U = torch.nn.Linear(d, d)

    def forward(self, x):  # x: (T, D)
        h, states = torch.zeros(x.shape[1]), []
        for x_t in x:  # the chain: each step needs the state the last one left
            h = torch.tanh(self.W(h) + self.U(x_t))
            states.append(h)
        return torch.stack(states)  # (T, D)


class AttentionLayer(torch.nn.Module):
    """softmax(Q K^T / sqrt(d)) V over the whole sequence at once. Returns (T, D)."""

    def __init__(self, d, causal=True):
        super().__init__()
        self.q, self.k, self.v = (torch.nn.Linear(d, d, bias=False) for _ in range(3))
        self.causal = causal

    def forward(self, x):  # x: (T, D)
        scores = self.q(x) @ self.k(x).T / math.sqrt(x.shape[1])  # (T, T)
        if self.causal:  # position i may read positions 0..i only
            future = torch.triu(torch.ones_like(scores, dtype=torch.bool), diagonal=1)
            scores = scores.masked_fill(future, -math.inf)
        return torch.softmax(scores, dim=-1) @ self.v(x)  # (T, D)


rnn = RecurrentLayer(D)
attention = AttentionLayer(D)
x = torch.randn(T, D)
print("outputs:", tuple(rnn(x).shape), tuple(attention(x).shape))

# %% [markdown]
# ## Exercise 1: path length, measured with a gradient
#
# The lesson says that information from `k` steps back reaches a recurrent layer's output through `k`
# updates, and reaches an attention layer's in one step. The gradient travels the same path backwards,
# so its size shows the path.
#
# Write `gradient_by_distance(layer, x)`. It should return a tensor of `T` numbers: entry `k` is the
# norm of the gradient of `r · y[T-1]` (the last output, projected on the fixed random vector `r`) with
# respect to the input `x[T-1-k]`, divided by the entry for `k = 0`. Predict the two curves before
# you run the check.

# %%
r = torch.randn(D)  # a fixed projection, so that the output is one number


def gradient_by_distance(layer, x):
    """Your turn: the gradient's norm at each distance k back from the last position, relative to k = 0."""
    return None


def compare_paths():
    curves = {name: gradient_by_distance(layer, x) for name, layer in
              [("tanh RNN", rnn), ("causal attention", attention)]}
    if any(c is None for c in curves.values()):
        print("TODO: write gradient_by_distance above, then run this cell.")
        return
    print(f"{'distance k':>18}" + "".join(f"{k:>10}" for k in (1, 4, 16, T - 1)))
    for name, curve in curves.items():
        assert curve.shape == (T,) and math.isclose(curve[0].item(), 1.0)
        print(f"{name:>18}" + "".join(f"{curve[k].item():>10.1e}" for k in (1, 4, 16, T - 1)))


compare_paths()


# %% tags=["solution"]
def gradient_by_distance(layer, x):
    x = x.clone().requires_grad_()
    (layer(x)[-1] @ r).backward()
    norms = x.grad.norm(dim=1).flip(0)  # (T,): entry k belongs to x[T-1-k]
    return norms / norms[0]


compare_paths()

# %% [markdown] tags=["solution"]
# The RNN's gradient shrinks by a roughly constant factor per step: a straight line on a log scale, an
# exponential decay. A dozen or so steps back, almost nothing of an input reaches the last output, so
# training receives almost no signal to connect the two. This is the vanishing gradient, and the
# lesson's figure shows the same decay for LSTMs and GRUs at initialisation.
#
# The attention layer's gradient goes up and down from one position to the next, by the luck of the
# random weights, but it has no trend with distance: the input 63 steps back is about as reachable as
# the one a single step back, because every earlier input is one step away. Nothing in the formula
# favours the near ones.

# %% [markdown]
# ## Exercise 2: does the layer know the order?
#
# Write `order_blind(layer, x)`. It shuffles the positions of `x` with a random permutation `p` and
# returns `True` when the outputs are merely shuffled the same way, `layer(x[p]) == layer(x)[p]`, up to
# rounding (`torch.allclose`).
#
# Test it on the RNN and on an attention layer *without* a causal mask. Then give the attention layer
# order information by adding sinusoidal positional encodings to its input, as the original
# Transformer did, and test again. Why does the test use an attention layer without a causal mask?

# %%
def sinusoidal_positions(t, d):
    """Vaswani et al. (2017): sin and cos of the position at geometrically spaced frequencies. (t, d)."""
    position = torch.arange(t).unsqueeze(1)  # (t, 1)
    frequency = torch.exp(-math.log(10_000.0) * torch.arange(0, d, 2) / d)  # (d/2,)
    encoding = torch.zeros(t, d)
    encoding[:, 0::2] = torch.sin(position * frequency)
    encoding[:, 1::2] = torch.cos(position * frequency)
    return encoding


unmasked = AttentionLayer(D, causal=False)
positions = sinusoidal_positions(T, D)


def order_blind(layer, x):
    """Your turn: True when shuffling the input positions only shuffles the outputs."""
    return None


def test_order():
    layers = {
        "tanh RNN": rnn,
        "attention, no mask": unmasked,
        "attention + positions": lambda x: unmasked(x + positions),  # position t always gets row t
    }
    results = {name: order_blind(layer, x) for name, layer in layers.items()}
    if None in results.values():
        print("TODO: write order_blind above, then run this cell.")
        return
    for name, blind in results.items():
        print(f"{name:>22}: {'blind to order' if blind else 'sees the order'}")


test_order()


# %% tags=["solution"]
def order_blind(layer, x):
    p = torch.randperm(x.shape[0])
    with torch.no_grad():
        return torch.allclose(layer(x[p]), layer(x)[p])


test_order()

# %% [markdown] tags=["solution"]
# The RNN sees the order: its state at each step depends on everything before it, so shuffling the
# inputs changes the outputs, not just their order.
#
# Attention without a mask is blind to it. Each output is a weighted average whose weights depend only
# on queries and keys, so moving a token moves its output with it and changes nothing else. To plain
# attention a sequence is a set.
#
# Adding the positional encodings fixes that. The encoding of position `t` stays at row `t` while the
# tokens move, so a shuffled token arrives with a different encoding and produces a different output.
#
# The test needs the unmasked layer because a causal mask is itself a source of order: the first
# position may read only itself and the last may read everything, so shuffling the tokens changes what
# each one can see.

# %% [markdown]
# ## Exercise 3: the analytic costs, counted
#
# Vaswani et al. (2017, Table 1) give a recurrent layer $O(n \cdot d^2)$ operations and self-attention
# $O(n^2 \cdot d)$. Count them exactly, counting a multiply-add as 2 FLOPs:
#
# - `recurrent_flops(n, d)`: each of the `n` steps multiplies a $d \times d$ matrix by the state and
#   another by the input.
# - `attention_core_flops(n, d)`: the $n \times n$ scores $QK^\top$, then the weighted sum of the values.
#   Leave out the projections and the softmax.
#
# Find the smallest `n` at which the attention core costs at least as much as the recurrent layer for
# `d = 64`. Then fill in the sequential steps: for each layer over a known sequence of `n` tokens, and
# for each model generating `n` new tokens.

# %%
WIDTH = 64


def recurrent_flops(n, d):
    """Your turn: FLOPs of n steps of tanh(W h + U x)."""
    return None


def attention_core_flops(n, d):
    """Your turn: FLOPs of softmax(Q K^T / sqrt(d)) V for n positions, without the projections."""
    return None


# Your turn: sequential steps, as functions of n.
SEQUENTIAL_STEPS = {
    "recurrent layer, known sequence": None,
    "attention layer, known sequence": None,
    "either model, generating n tokens": None,
}


def compare_costs():
    if recurrent_flops(1, 1) is None or attention_core_flops(1, 1) is None:
        print("TODO: write the two FLOP counts above, then run this cell.")
        return
    print(f"{'n':>6}{'recurrent':>14}{'attention':>14}")
    for n in (16, 32, 64, 128, 256, 1024):
        print(f"{n:>6}{recurrent_flops(n, WIDTH):>14,}{attention_core_flops(n, WIDTH):>14,}")
    crossing = next(n for n in range(1, 10_000)
                    if attention_core_flops(n, WIDTH) >= recurrent_flops(n, WIDTH))
    print(f"attention costs at least as much from n = {crossing} (d = {WIDTH})")
    if None in SEQUENTIAL_STEPS.values():
        print("TODO: fill in SEQUENTIAL_STEPS.")
        return
    for what, steps in SEQUENTIAL_STEPS.items():
        print(f"{what:>34}: {steps(1_000):>5} sequential steps for n = 1,000")


compare_costs()


# %% tags=["solution"]
def recurrent_flops(n, d):
    return n * 2 * (2 * d * d)  # two d×d matrix-vector products per step


def attention_core_flops(n, d):
    return 2 * (2 * n * n * d)  # Q K^T: n² dot products of size d; weights @ V: the same again


SEQUENTIAL_STEPS = {
    "recurrent layer, known sequence": lambda n: n,  # the chain of states
    "attention layer, known sequence": lambda n: 1,  # a few matrix products, whatever n is
    "either model, generating n tokens": lambda n: n,  # each token is an input to the next
}

compare_costs()

# %% [markdown] tags=["solution"]
# The recurrent layer costs $4nd^2$ FLOPs and the attention core $4n^2d$. They are equal when $n = d$:
# for `d = 64`, at `n = 64`. Below that, attention does less arithmetic; above it, more, and the gap grows
# in proportion to `n`. That is the paper's remark that self-attention is cheaper when the sequence is
# shorter than the representation. A real Transformer layer also has projections and an MLP, about
# $24nd^2$ FLOPs, which move the point where attention dominates a whole layer to several times `d`.
#
# The steps tell the other half. Over a known sequence, the recurrent layer needs `n` steps in order and
# attention one round of matrix products, whatever its FLOPs: that is why attention trains faster on
# parallel hardware even where it does more arithmetic. When generating, both need `n` steps, one per
# token.

# %% [markdown]
# ## Exercise 4: does a model use position, and which kind?
#
# This one is open: there is no single right design. Decide how you would tell, by experiment, whether
# a model uses the positions of its tokens, and whether it uses absolute positions or only the
# distances between them. Then try your design on three unmasked attention layers: one without
# positions, one with sinusoidal encodings added to its input (absolute), and one with rotary
# embeddings (RoPE), which rotate each query and key by an angle proportional to its position.
#
# Each layer below is called as `layer(x, start)`, where `start` is the position of the first token,
# so you can move a whole sequence along without changing its tokens. Write `probe(layer, x)`: it should
# return a dict of what your experiment found, for example `{"order": True, "absolute": False}`. What
# would a model that uses only distances do when the whole sequence moves? What could fool your test?

# %%
def rotate(v, positions, base=10_000.0):
    """RoPE (Su et al. 2021): turn pair i of each row of v, (T, D), by the angle position * base^(-2i/D)."""
    theta = base ** (-torch.arange(0, v.shape[1], 2) / v.shape[1])  # (D/2,)
    angle = positions.unsqueeze(1) * theta  # (T, D/2)
    even, odd = v[:, 0::2], v[:, 1::2]
    turned = torch.empty_like(v)
    turned[:, 0::2] = even * torch.cos(angle) - odd * torch.sin(angle)
    turned[:, 1::2] = even * torch.sin(angle) + odd * torch.cos(angle)
    return turned


def rotary_attention(x, start=0):
    """The unmasked layer of Exercise 2, with its queries and keys rotated by position. (T, D)"""
    positions = torch.arange(start, start + x.shape[0], dtype=x.dtype)
    q, k = rotate(unmasked.q(x), positions), rotate(unmasked.k(x), positions)
    return torch.softmax(q @ k.T / math.sqrt(x.shape[1]), dim=-1) @ unmasked.v(x)


CANDIDATES = {
    "no positions": lambda x, start=0: unmasked(x),
    "sinusoidal, added": lambda x, start=0: unmasked(x + sinusoidal_positions(start + len(x), D)[start:]),
    "rotary (RoPE)": rotary_attention,
}


def probe(layer, x):
    """Your turn: run your experiment on one layer and return what it found, as a dict."""
    return None


def run_probes():
    found = {name: probe(layer, x) for name, layer in CANDIDATES.items()}
    if None in found.values():
        print("TODO: write probe above, then run this cell.")
        return
    for name, result in found.items():
        print(f"{name:>18}: {result}")


run_probes()


# %% tags=["solution"]
def probe(layer, x, shift=100):
    """One design among many: shuffle the tokens, then move the whole sequence along."""
    p = torch.randperm(x.shape[0])
    with torch.no_grad():
        reference = layer(x)
        order = not torch.allclose(layer(x[p]), reference[p])  # outputs change beyond the shuffle
        absolute = not torch.allclose(layer(x, start=shift), reference)  # moving everything matters
    return {"uses order": order, "uses absolute position": absolute}


run_probes()

# %% [markdown] tags=["solution"]
# Two interventions answer the two questions. Shuffling the tokens asks whether order matters at all:
# a layer without positions only shuffles its outputs with them. Moving the whole sequence along by 100
# positions keeps every distance and changes every absolute position: a layer that sees only distances
# gives the same outputs, and one that reads absolute positions does not.
#
# The sinusoidal layer sees both the order and the absolute positions, since its encodings are added
# to the tokens. The rotary layer sees the order, but moving the sequence changes nothing, up to
# rounding: its scores depend on the positions only through $m - n$.
#
# For a trained language model the same two ideas carry over, with care. Shuffle the words of real
# text and measure how much the loss rises; shift a passage by padding it with neutral text and see
# whether predictions change. Other designs: train a linear probe to read each token's position out of
# the hidden states, or remove the positional encoding and fine-tune briefly. Things that can fool a
# test: the causal mask reveals order by itself (the first token sees one token, the last sees all of
# them), tasks whose answer does not depend on order give no signal, and padding can change what the
# model attends to for reasons that have nothing to do with position.
