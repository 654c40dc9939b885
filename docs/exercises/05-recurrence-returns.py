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
# # Exercises: recurrence returns
#
# Five exercises for the lesson [Recurrence returns](../../lessons/05-recurrence-returns/). Each has a
# task, a code cell for you to fill in, and a solution to reveal once you have tried; the fifth ends in
# an open question with no single answer. Every cell runs on a CPU in a second or less.
#
# Run the next cell first: it defines the combine rule of the lesson, the loop it must agree with, and
# a Hillis–Steele scan that counts its own rounds and combines.

# %%
import math

import torch
import torch.nn.functional as F


def combine(first, second):
    """Map `first`, then map `second`. A map (a, b) sends h to a * h + b."""
    a1, b1 = first
    a2, b2 = second
    return a1 * a2, a2 * b1 + b2


def loop_scan(pairs):
    """The recurrence h_t = a_t h_(t-1) + b_t from h_0 = 0, one step at a time."""
    h, states = 0.0, []
    for a, b in pairs:
        h = a * h + b
        states.append(h)
    return states


def hillis_steele(pairs):
    """Returns (states, rounds, combines). Round k combines each element with the one 2**k before."""
    maps, rounds, combines = list(pairs), 0, 0
    shift = 1
    while shift < len(maps):
        # A new list: every combine of a round reads the previous round's maps.
        maps = [combine(maps[i - shift], m) if i >= shift else m for i, m in enumerate(maps)]
        combines += len(maps) - shift
        rounds += 1
        shift *= 2
    return [b for _, b in maps], rounds, combines


torch.manual_seed(0)
generator = torch.Generator().manual_seed(0)

# %% [markdown]
# ## Exercise 1: a work-efficient scan
#
# Write `blelloch(pairs)`, Blelloch's scan of the maps `(a, b)`, returning `(states, rounds, combines)`.
#
# 1. Pad the list to a power of two, `P`, with the identity map `(1.0, 0.0)`.
# 2. **Up-sweep.** For `d = 1, 2, 4, ...` while `d < P`: in every block of `2 * d` elements, replace the
#    block's last element by `combine(middle, last)`, where `middle` is the element at position `d - 1`
#    of the block. One round per `d`.
# 3. **Down-sweep.** For `d = P // 4, ..., 2, 1`: in every block of `2 * d` elements except the first,
#    replace the element at position `d - 1` of the block by `combine(x, that element)`, where `x` is the
#    element just before the block. One round per `d`.
#
# Afterwards, element `t` holds the combination of maps `0` to `t`. Check your scan against the loop for
# T = 1,000 and compare its rounds and combines with Hillis–Steele's.

# %%
T = 1_000
a_values = (0.9 + 0.1 * torch.rand(T, generator=generator, dtype=torch.float64)).tolist()
b_values = torch.randn(T, generator=generator, dtype=torch.float64).tolist()
pairs = list(zip(a_values, b_values, strict=True))


def blelloch(pairs):
    """Your turn: return (states, rounds, combines)."""
    return None


def check_blelloch():
    result = blelloch(pairs)
    if result is None:
        print("TODO: write blelloch above, then run this cell.")
        return
    states, rounds, combines = result
    expected = loop_scan(pairs)
    # Another order of the same float64 combines: equal up to rounding, not bit for bit.
    assert all(math.isclose(s, e, rel_tol=1e-9, abs_tol=1e-9) for s, e in zip(states, expected, strict=True))
    _, hs_rounds, hs_combines = hillis_steele(pairs)
    print(f"loop:          {T:6,} steps,  {T:6,} combines")
    print(f"Hillis–Steele: {hs_rounds:6,} rounds, {hs_combines:6,} combines")
    print(f"Blelloch:      {rounds:6,} rounds, {combines:6,} combines")


check_blelloch()


# %% tags=["solution"]
def blelloch(pairs):
    P = 1 << (len(pairs) - 1).bit_length()  # the next power of two
    x = list(pairs) + [(1.0, 0.0)] * (P - len(pairs))  # padded with the identity map
    rounds = combines = 0
    d = 1
    while d < P:  # up-sweep: each block of 2d ends with the combination of its 2d maps
        for start in range(0, P, 2 * d):
            x[start + 2 * d - 1] = combine(x[start + d - 1], x[start + 2 * d - 1])
            combines += 1
        rounds += 1
        d *= 2
    d = P // 4
    while d >= 1:  # down-sweep: hand each block's prefix to the middle of the next block
        for start in range(2 * d, P, 2 * d):
            x[start + d - 1] = combine(x[start - 1], x[start + d - 1])
            combines += 1
        rounds += 1
        d //= 2
    return [b for _, b in x[:len(pairs)]], rounds, combines


check_blelloch()

# %% [markdown] tags=["solution"]
# For T = 1,000 the scan pads to P = 1,024. The up-sweep takes log₂ 1,024 = 10 rounds and 1,023
# combines; the down-sweep 9 rounds and 1,013 combines. In all, 19 rounds and 2,036 combines, the
# formula 2P − log₂ P − 2 of the lesson's table: about twice the work of the loop, and under a quarter of
# the 8,977 combines of Hillis–Steele, which needs only 10 rounds.
#
# Every combine of one round reads elements that no other combine of that round writes, so on a
# parallel machine each round is one step. That is the work–depth trade of the lesson: Blelloch buys a
# small total of work with twice the rounds.

# %% [markdown]
# ## Exercise 2: where the closed form breaks, and how to repair it
#
# The closed form of the lesson is `h = A * cumsum(b / A)` with `A = cumprod(a)`. Take a constant
# `a = 0.95` in float32.
#
# 1. Before you run anything, predict the length T at which `A` falls below float32's smallest normal
#    number, `torch.finfo(torch.float32).tiny`, and the length at which `1 / A` exceeds its largest,
#    `torch.finfo(torch.float32).max`. (Take logarithms.)
# 2. Write `first_broken(h, reference)`: the first length T at which the closed form's output is not
#    finite or is off by more than 1e-3 relative to the largest |h| at that step.
# 3. Write `chunked(a, b, chunk)`: the closed form applied within chunks of `chunk` steps, with the last
#    state of each chunk carried into the next. Check that it stays accurate at every length.

# %%
T2 = 4_096
rows = 8
a2 = torch.full((rows, T2), 0.95)  # (rows, T): time on the last, contiguous axis
b2 = torch.randn(rows, T2, generator=generator)

# The reference: the loop in float64 on the same float32 inputs.
reference = torch.empty(rows, T2, dtype=torch.float64)
h = torch.zeros(rows, dtype=torch.float64)
for t in range(T2):
    h = a2[:, t].double() * h + b2[:, t].double()
    reference[:, t] = h


def closed_form(a, b):
    A = torch.cumprod(a, dim=1)
    return A * torch.cumsum(b / A, dim=1)


def relative_error(h, reference):
    """Per step: the largest error over rows, relative to the largest |h| at that step. (T,)"""
    return (h.double() - reference).abs().amax(0) / reference.abs().amax(0)


def first_broken(h, reference):
    """Your turn: the first length T (counting from 1) at which h is non-finite or off by more than 1e-3."""
    return None


def chunked(a, b, chunk=64):
    """Your turn: the closed form within chunks of `chunk` steps, carrying the state between them."""
    return None


def check_closed_forms():
    broken = first_broken(closed_form(a2, b2), reference)
    if broken is None:
        print("TODO: write first_broken above, then run this cell.")
        return
    print(f"the closed form first breaks at T = {broken:,}")
    repaired = chunked(a2, b2)
    if repaired is None:
        print("TODO: write chunked above, then run this cell.")
        return
    error = relative_error(repaired, reference).max().item()
    assert error < 1e-4, f"the chunked form is off by {error:.1e}"
    print(f"the chunked form stays within {error:.1e} of float64 up to T = {T2:,}")


check_closed_forms()


# %% tags=["solution"]
tiny, largest = torch.finfo(torch.float32).tiny, torch.finfo(torch.float32).max
print(f"A_T < tiny from T = {math.log(tiny) / math.log(0.95):,.0f}")
print(f"1 / A_T > max from T = {math.log(1 / largest) / math.log(0.95):,.0f}")


def first_broken(h, reference):
    broken = ~torch.isfinite(h).all(0) | ~(relative_error(h, reference) <= 1e-3)  # NaN compares False
    hits = torch.nonzero(broken)
    return int(hits[0, 0]) + 1 if len(hits) else None


def chunked(a, b, chunk=64):
    R, T = a.shape
    h_last = a.new_zeros(R)  # the state the previous chunk left
    pieces = []
    for start in range(0, T, chunk):
        a_c, b_c = a[:, start:start + chunk], b[:, start:start + chunk]  # (R, chunk)
        A = torch.cumprod(a_c, dim=1)  # at least 0.95**64, about 0.04: far from underflow
        h_c = A * (h_last[:, None] + torch.cumsum(b_c / A, dim=1))  # (R, chunk)
        pieces.append(h_c)
        h_last = h_c[:, -1]
    return torch.cat(pieces, dim=1)


check_closed_forms()

# %% [markdown] tags=["solution"]
# ln(1.18e-38) / ln(0.95) ≈ 1,703: from there on `A` is a subnormal number, with fewer and fewer
# significant bits, and `1 / A` overflows to infinity at about 1,730. The measured break comes near
# these predictions, here a little before them: the running sum of `b / A` grows larger than `1 / A`
# itself, so it reaches float32's largest number sooner. Either way the error jumps from about 1e-7 to
# infinity within a few steps.
#
# Within a chunk of 64 steps the product never falls below 0.95⁶⁴ ≈ 0.04, so `b / A` stays moderate,
# and the chunked form is as accurate as the loop. Its serial part is one step per chunk, T / 64 in all;
# a short scan over the chunks' maps could shorten it further. With `a` close to 0 the product would
# shrink much faster, and a chunk would have to be shorter. That is why chunked algorithms such as
# Mamba-2's work with ratios of products over short spans, never with the running product of the
# whole sequence.

# %% [markdown]
# ## Exercise 3: linear attention, two ways
#
# The cell below computes causal linear attention in its parallel form: a T × T matrix of similarities
# φ(q_t) · φ(k_s), masked to s ≤ t, with φ(x) = elu(x) + 1. Write `linear_attention_recurrent(q, k, v)`,
# which computes the same outputs one position at a time from the state `S` (d × d) and `z` (d), as in
# the lesson. Check that the two agree, then compare the numbers the recurrent form keeps with those of
# a KV cache after T tokens.

# %%
T3, d = 256, 16
q, k, v = (torch.randn(T3, d, generator=generator, dtype=torch.float64) for _ in range(3))  # each (T, d)


def phi(x):
    return F.elu(x) + 1  # positive, so the normaliser never reaches zero


def linear_attention_parallel(q, k, v):
    scores = (phi(q) @ phi(k).T).tril()  # (T, T): position t sees s <= t
    return scores @ v / scores.sum(dim=1, keepdim=True)  # (T, d)


def linear_attention_recurrent(q, k, v):
    """Your turn: the same outputs, (T, d), from a state S (d x d) and z (d) updated at each position."""
    return None


def check_linear_attention():
    recurrent = linear_attention_recurrent(q, k, v)
    if recurrent is None:
        print("TODO: write linear_attention_recurrent above, then run this cell.")
        return
    assert torch.allclose(recurrent, linear_attention_parallel(q, k, v), rtol=1e-10, atol=1e-12)
    print("the recurrent and parallel forms agree")
    print(f"recurrent state: {d * d + d:,} numbers, at any length")
    print(f"KV cache after {T3} tokens: {2 * T3 * d:,} numbers, growing by {2 * d} per token")


check_linear_attention()


# %% tags=["solution"]
def linear_attention_recurrent(q, k, v):
    S = q.new_zeros(d, d)  # sum of phi(k_s) v_s^T
    z = q.new_zeros(d)  # sum of phi(k_s)
    outputs = []
    for t in range(len(q)):
        S = S + torch.outer(phi(k[t]), v[t])
        z = z + phi(k[t])
        outputs.append(phi(q[t]) @ S / (phi(q[t]) @ z))
    return torch.stack(outputs)  # (T, d)


check_linear_attention()

# %% [markdown] tags=["solution"]
# The two forms agree to rounding. The recurrent form keeps d² + d = 272 numbers; the cache keeps
# 2·T·d = 8,192 after 256 tokens, and would overtake the state after only 9 tokens (2·9·16 = 288). The
# parallel form is what training uses: its T × T matrix is computed in a few large products. The
# recurrent form is what generation uses. The same layer runs either way, which is the point of the
# title "Transformers are RNNs".

# %% [markdown]
# ## Exercise 4: how many pairs fit in a fixed state?
#
# Draw `n` random unit keys and `n` random unit values of dimension d = 32. Write them all into one
# d × d state, `S = sum of k_i v_iᵀ`, the state of linear attention without the feature map. Read value
# `i` back as `S.T @ k_i` and count it as recalled when it is closer (by dot product) to `v_i` than to
# any other stored value.
#
# Write `state_recall(keys, values)`, returning the fraction recalled. Run it for n from 8 to 512.
# Where does recall start to fail, and how does that compare with d? The cell also measures attention
# over the same pairs, which keeps all n keys and values.

# %%
d4 = 32
sizes = (8, 16, 32, 64, 128, 256, 512)


def random_units(n):
    return F.normalize(torch.randn(n, d4, generator=generator, dtype=torch.float64), dim=1)  # (n, d)


def attention_recall(keys, values, sharpness=20.0):
    """Softmax attention over all n stored pairs, queried with each key: the fraction recalled."""
    weights = torch.softmax(sharpness * keys @ keys.T, dim=1)  # (n, n)
    read = weights @ values  # (n, d)
    return ((read @ values.T).argmax(dim=1) == torch.arange(len(keys))).double().mean().item()


def state_recall(keys, values):
    """Your turn: write every pair into one d x d state, read each value back, return the fraction recalled."""
    return None


def compare_recall():
    print("    n   fixed state   attention")
    for n in sizes:
        keys, values = random_units(n), random_units(n)
        fixed = state_recall(keys, values)
        if fixed is None:
            print("TODO: write state_recall above, then run this cell.")
            return
        print(f"{n:5}   {fixed:10.0%}   {attention_recall(keys, values):9.0%}")


compare_recall()


# %% tags=["solution"]
def state_recall(keys, values):
    S = keys.T @ values  # (d, d): the sum of k_i v_i^T, whatever n is
    read = keys @ S  # (n, d): row i is S^T k_i
    return ((read @ values.T).argmax(dim=1) == torch.arange(len(keys))).double().mean().item()


compare_recall()

# %% [markdown] tags=["solution"]
# Recall from the fixed state is perfect while n is at most about d, and falls quickly beyond: with
# d = 32 it is already imperfect at n = 64 and far from perfect at 128. Reading key i returns v_i plus a little of every
# other value, weighted by how much the other keys overlap with k_i. Random unit keys in d dimensions
# overlap by about 1/√d each, so the crosstalk of n − 1 of them grows like √(n/d) and eventually hides
# the right value. Attention keeps every pair, so its recall stays perfect: the price is memory that grows
# with n.
#
# A learned model can do better than random keys, but not beyond the counting argument of the lesson: a
# d × d state of fixed precision holds a bounded number of bits. This is the effect that the Zoology
# study measured at scale, and the reason hybrid models keep a few attention layers.

# %% [markdown]
# ## Exercise 5: a transition that tracks parity, and an open design question
#
# Start with the smallest state-tracking task. The cell below runs the one-channel recurrence
# `h_t = a(x_t) * h_(t-1)` from `h_0 = 1` over a string of bits, through the Hillis–Steele scan of the
# first cell, and checks whether the sign of `h_t` says, at every step, whether the number of ones so
# far is odd. Write `transition(bit)`, the `a` for one bit. Then try a transition between 0 and 1, as
# every gate in the lesson's table has, and see what fails.
#
# The open question is Exercise 5 of the lesson: design the mixing layers of a model that must track
# variables through long programs and also recall exact definitions, within a fixed memory per
# sequence. Write your answer down before reading the notes under the solution.

# %%
import random


def parity_through_scan(bits, transition):
    """The states h_1..h_T of h_t = a(x_t) h_(t-1), h_0 = 1, computed by the scan."""
    pairs = [(transition(bit), 0.0) for bit in bits]
    a_first, _ = pairs[0]
    pairs[0] = (a_first, a_first)  # the scan starts from h_0 = 0, so the first step writes a(x_1) * 1
    states, _, _ = hillis_steele(pairs)
    return states


def tracks_parity(transition, strings=200, length=64, seed=5):
    """True when sign(h_t) < 0 exactly where the prefix holds an odd number of ones, on random strings."""
    rng = random.Random(seed)
    for _ in range(strings):
        bits = [rng.randint(0, 1) for _ in range(length)]
        states = parity_through_scan(bits, transition)
        odd = [sum(bits[: t + 1]) % 2 == 1 for t in range(length)]
        if [h < 0 for h in states] != odd:
            return False
    return True


def transition(bit):
    """Your turn: the transition a for one bit, so that the sign of h flips on every one."""
    return None


if transition(1) is None:
    print("TODO: write transition above, then run this cell.")
else:
    print("tracks parity:", tracks_parity(transition))


# %% tags=["solution"]
def transition(bit):
    return -1.0 if bit else 1.0  # a reflection on a one, the identity on a zero


def halving(bit):
    return 0.5 if bit else 1.0  # in [0, 1], like every gate of the lesson's table


print("a(1) = -1 tracks parity:", tracks_parity(transition))
print("a(1) = 1/2 tracks parity:", tracks_parity(halving))
print("the 1011 example:", parity_through_scan([1, 0, 1, 1], transition))

# %% [markdown] tags=["solution"]
# With `a(1) = -1` the sign flips on every one and the check passes at every length, computed by a scan
# in logarithmic depth; for 1011 the states are -1, -1, 1, -1, as in the lesson's table. With
# `a(1) = 1/2` the sign never changes, so the check fails at the first one. The value `2**-n` does
# record the count of ones, but a float64 runs out of range after about a thousand ones, and a read-out
# that thresholds h cannot recover parity from it at all. Grazzi et al. prove that no
# finite-precision linear recurrence whose transitions have only positive eigenvalues solves parity.
#
# For the open question there is no single answer; here is what a strong one weighs.
#
# - **Memory, by arithmetic.** The state is `L * H * d_k * d_v * b` bytes at any length; a KV cache grows
#   by a fixed amount per token (lesson 4). At a million tokens even a few attention layers dominate the
#   budget, so count how many the budget allows, or whether they can use a sliding window.
# - **Tracking.** The transition must be able to flip or permute the state: negative eigenvalues (a delta
#   rule with beta up to 2, or a decay in [-1, 1]), a non-diagonal transition such as RWKV-7's, or a
#   non-linear layer such as the sLSTM, at the cost of training it step by step.
# - **Recall.** Exact lookup of a definition far back needs either a state large enough for the number of
#   definitions or a few attention layers; Zoology's results suggest the second.
# - **Training.** Can each layer still be trained in chunks, and what does the chunk size cost?
# - **Evidence.** Say which claims rest on a proof (parity, TC⁰ under a conjecture), on reported results
#   and on your own measurements, and which tests would change the design: parity and permutation
#   composition at lengths beyond training, and a recall sweep over the number of stored pairs.
