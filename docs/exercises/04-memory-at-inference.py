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
# # Exercises: memory at inference
#
# Four exercises for the lesson [Memory at inference: KV cache against a fixed
# state](../../lessons/04-memory-at-inference/). Each has a task, a code cell for you to fill in, and
# a solution to reveal once you have tried. Every cell runs on a CPU in well under a second. The first
# exercise is arithmetic; the next two build a tiny attention layer and count the bytes it keeps; the
# last is open-ended, a plan for a service with no single right answer.
#
# Run the next cell first: it sets up the imports and a few units.

# %%
import math

import torch
import torch.nn.functional as F

GB = 10**9  # decimal, as accelerator memory is sold
KIB, GIB = 2**10, 2**30  # binary, as the lesson's KV-cache table counts

torch.manual_seed(0)

# %% [markdown]
# ## Exercise 1: the formula, and what fits
#
# Write `kv_cache_bytes(layers, kv_heads, head_dim, tokens, bytes_per_element=2, batch=1)`, the bytes
# of the KV cache of `batch` sequences of `tokens` tokens each. The check reproduces two rows of the
# lesson's table: a Llama-2-7B-like shape (32 layers, 32 key/value heads of 128) at 4K tokens and a
# Llama-3-8B-like shape (32 layers, 8 key/value heads of 128) at 128K.
#
# Then it asks how many tokens of cache fit on one 80 GB accelerator that also holds the weights of
# a 7-billion-parameter model in float16, with 32 key/value heads and with 8.
#
# Finally, write `score_matrix_bytes(tokens, bytes_per_number, heads=1)`, the bytes of the T × T
# attention scores, and compare one head at 100,000 tokens in 128-bit numbers (16 bytes, as one
# article assumes) and in float16.

# %%
def kv_cache_bytes(layers, kv_heads, head_dim, tokens,
                   bytes_per_element=2, batch=1):
    """Your turn: bytes of the KV cache of `batch` sequences of `tokens`
    tokens each."""
    return None


def score_matrix_bytes(tokens, bytes_per_number, heads=1):
    """Your turn: bytes of `heads` T x T score matrices."""
    return None


def check_arithmetic():
    if kv_cache_bytes(32, 32, 128, 1) is None \
            or score_matrix_bytes(10, 2) is None:
        print("TODO: write kv_cache_bytes and score_matrix_bytes above,"
              " then run this cell.")
        return
    # Two rows of the lesson's table: (layers, kv_heads, head_dim, tokens)
    assert kv_cache_bytes(32, 32, 128, 4096) == 2 * GIB  # Llama-2-7B-like
    assert kv_cache_bytes(32, 8, 128, 131072) == 16 * GIB  # Llama-3-8B-like
    one = kv_cache_bytes(32, 8, 128, 100)
    assert kv_cache_bytes(32, 8, 128, 100, batch=3) == 3 * one

    # An 80 GB accelerator, minus 7 billion weights at 2 bytes each.
    free = 80 * GB - 7 * 10**9 * 2
    for kv_heads in (32, 8):
        per_token = kv_cache_bytes(32, kv_heads, 128, tokens=1)
        print(f"{kv_heads:2} key/value heads: "
              f"{per_token / KIB:4.0f} KiB a token, "
              f"{free // per_token:9,} tokens fit in {free / GB:.0f} GB")

    T = 100_000
    print(f"\n{T * T:,} scores in one head at T = {T:,}")
    for label, size, heads in (("one head, 128-bit", 16, 1),
                               ("one head, float16", 2, 1),
                               ("32 heads, float16", 2, 32)):
        gb = score_matrix_bytes(T, size, heads) / GB
        print(f"  {label}: {gb:4.0f} GB")


check_arithmetic()


# %% tags=["solution"]
def kv_cache_bytes(layers, kv_heads, head_dim, tokens,
                   bytes_per_element=2, batch=1):
    # A key and a value, in every layer and key/value head, head_dim
    # numbers each, for every token of every sequence.
    return (2 * layers * kv_heads * head_dim * tokens
            * bytes_per_element * batch)


def score_matrix_bytes(tokens, bytes_per_number, heads=1):
    return heads * tokens * tokens * bytes_per_number


check_arithmetic()

# %% [markdown] tags=["solution"]
# After 14 GB of weights, 66 GB remain. With 32 key/value heads each token takes 512 KiB, so about
# 126,000 tokens fit: one sequence of 128K tokens already does not, before counting activations or
# anything else. With 8 key/value heads a token takes a quarter as much and four times as many tokens
# fit, about half a million. The same space could instead hold about 30 sequences of 4K tokens with
# multi-head attention, or about 120 with grouped queries: that is why serving systems care so much
# about the cache, since more sequences in a batch means more tokens per second.
#
# The 128-bit arithmetic gives 160 GB for one head, which is where "hundreds of gigabytes" comes from.
# In float16 the same matrix is 20 GB and fits on the accelerator; the hundreds of gigabytes return
# only for a whole layer of 32 heads, 640 GB. And a fused attention kernel stores none of it.

# %% [markdown]
# ## Exercise 2: a cache you can count
#
# The next cell defines one attention layer with `HEADS` heads of width `HEAD_DIM`, and
# `full_causal_attention(x)`, which computes its output for a whole sequence in one pass with the
# causal mask.
#
# Write `decode_step(x_t, cache)`. It receives the input of one new token, shape `(D_MODEL,)`, and
# the cache of the tokens before it, a pair `(K, V)` of tensors of shape `(HEADS, t, HEAD_DIM)`. It
# must compute the new token's query, key and value, append the key and value to the cache, attend
# from the query over all cached keys and values, and return the output `(D_MODEL,)` together with
# the longer cache.
#
# The check decodes the sequence token by token from an empty cache. It compares the outputs with
# the full pass, and the cache's bytes at every position with the formula.

# %%
D_MODEL, HEADS = 64, 4
HEAD_DIM = D_MODEL // HEADS  # 16
T = 64
W_q, W_k, W_v = (torch.randn(D_MODEL, D_MODEL) / math.sqrt(D_MODEL)
                 for _ in range(3))
x = torch.randn(T, D_MODEL)  # (T, D_MODEL): one sequence


def split_heads(t):
    """(T, D_MODEL) -> (HEADS, T, HEAD_DIM)"""
    return t.view(t.shape[0], HEADS, HEAD_DIM).transpose(0, 1)


def full_causal_attention(x):
    """The whole sequence in one pass: (T, D_MODEL) -> (T, D_MODEL)."""
    q, k, v = (split_heads(x @ W) for W in (W_q, W_k, W_v))  # (H, T, dh)
    scores = q @ k.transpose(-1, -2) / math.sqrt(HEAD_DIM)  # (H, T, T)
    future = torch.ones(len(x), len(x), dtype=torch.bool).triu(1)
    weights = scores.masked_fill(future, float("-inf")).softmax(-1)
    y = weights @ v  # (H, T, dh)
    return y.transpose(0, 1).reshape(len(x), D_MODEL)  # (T, D_MODEL)


def decode_step(x_t, cache):
    """Your turn. x_t: (D_MODEL,); cache: (K, V), each (HEADS, t, HEAD_DIM).
    Return (output of shape (D_MODEL,), (K, V) with t + 1 positions)."""
    return None, cache


def check_cache():
    empty = torch.zeros(HEADS, 0, HEAD_DIM)  # (H, 0, dh): no tokens yet
    cache = (empty, empty)
    outputs, sizes = [], []
    for t in range(T):
        y, cache = decode_step(x[t], cache)
        if y is None:
            print("TODO: write decode_step above, then run this cell.")
            return
        outputs.append(y)
        sizes.append(cache[0].nbytes + cache[1].nbytes)
    full = full_causal_attention(x)
    difference = (torch.stack(outputs) - full).abs().max().item()
    assert difference < 1e-5, f"outputs differ by {difference:.2g}"
    layers, size = 1, x.element_size()
    formula = [2 * layers * HEADS * HEAD_DIM * (t + 1) * size
               for t in range(T)]
    assert sizes == formula, "the cache's bytes do not follow the formula"
    print(f"outputs match the full pass (within {difference:.1e})")
    for t in (8, 16, 32, 64):
        print(f"cache after {t:2} tokens: {sizes[t - 1]:6,} bytes")
    print(f"64 tokens / 32 tokens: {sizes[63] / sizes[31]:.0f}x")


check_cache()


# %% tags=["solution"]
def decode_step(x_t, cache):
    K, V = cache
    q, k, v = ((x_t @ W).view(HEADS, 1, HEAD_DIM)  # each (H, 1, dh)
               for W in (W_q, W_k, W_v))
    K = torch.cat([K, k], dim=1)  # (H, t + 1, dh)
    V = torch.cat([V, v], dim=1)  # (H, t + 1, dh)
    # No mask: the cache holds only the past and the token itself.
    scores = q @ K.transpose(-1, -2) / math.sqrt(HEAD_DIM)  # (H, 1, t + 1)
    weights = scores.softmax(-1)
    y = weights @ V  # (H, 1, dh)
    return y.reshape(D_MODEL), (K, V)


check_cache()

# %% [markdown] tags=["solution"]
# The decoded outputs equal the full pass up to rounding because of the causal mask: in the full pass,
# row `t` of the scores already ignores every later token, so the keys and values of tokens before `t`
# are exactly those the cache holds. Nothing the cache stores ever needs updating.
#
# Each token adds `2 × 4 × 16 × 4 = 512` bytes (one layer, float32), so the cache grows by the same
# amount at every step and doubles when the context doubles. A step's scores are one row of `t + 1`
# numbers per head, built and thrown away: the `T × T` matrix of the full pass never exists while
# decoding. What does grow is the work of a step, which reads every cached key and value.
#
# To turn this into grouped-query attention, give `W_k` and `W_v` fewer output heads, say 2, and let
# query heads 0 and 1 read key/value head 0, heads 2 and 3 head 1 (`K.repeat_interleave(2, dim=0)`
# does it for a check). The cache would then shrink by half.

# %% [markdown]
# ## Exercise 3: the same past in a fixed state
#
# Linear attention replaces the softmax weight `exp(q·k)` by `φ(q)·φ(k)`, with the feature map
# `φ(u) = elu(u) + 1`, which is always positive. The next cell computes causal linear attention in
# parallel, building a `T × T` matrix just as softmax attention does.
#
# Because `φ(q_t)·φ(k_s) v_s` can be regrouped as `φ(q_t)ᵀ (φ(k_s) v_sᵀ)`, the whole past can be kept
# as two running sums per head: `S`, the sum of `φ(k_s) v_sᵀ` (a `HEAD_DIM × HEAD_DIM` matrix), and
# `z`, the sum of `φ(k_s)`. Write `linear_attention_step(q_t, k_t, v_t, state)` for one head: add the
# new token to `S` and `z`, and return `φ(q_t)ᵀ S / (φ(q_t) · z)` with the new state.
#
# The check runs it token by token on every head and compares with the parallel version. It also
# counts the state's bytes, and finds after how many tokens the multi-head KV cache of Exercise 2
# holds more bytes than the state.

# %%
def phi(u):
    return F.elu(u) + 1  # positive, so the weights are positive like softmax's


def parallel_linear_attention(q, k, v):
    """Causal linear attention over a whole sequence.
    q, k, v: (H, T, dh) -> (H, T, dh)."""
    weights = phi(q) @ phi(k).transpose(-1, -2)  # (H, T, T), all positive
    weights = weights.tril()  # causal: token t sees tokens 0..t
    return (weights @ v) / weights.sum(-1, keepdim=True)  # (H, T, dh)


def linear_attention_step(q_t, k_t, v_t, state):
    """Your turn. q_t, k_t, v_t: (dh,); state: (S, z), S of shape (dh, dh)
    and z of shape (dh,). Return (output of shape (dh,), new state)."""
    return None, state


def check_state():
    q, k, v = (split_heads(x @ W) for W in (W_q, W_k, W_v))  # (H, T, dh)
    expected = parallel_linear_attention(q, k, v)  # (H, T, dh)
    states = [(torch.zeros(HEAD_DIM, HEAD_DIM), torch.zeros(HEAD_DIM))
              for _ in range(HEADS)]
    sizes = []
    for t in range(T):
        for h in range(HEADS):
            y, states[h] = linear_attention_step(q[h, t], k[h, t], v[h, t],
                                                 states[h])
            if y is None:
                print("TODO: write linear_attention_step above,"
                      " then run this cell.")
                return
            difference = (y - expected[h, t]).abs().max().item()
            assert difference < 1e-4, f"head {h}, token {t}: {difference:.2g}"
        sizes.append(sum(S.nbytes + z.nbytes for S, z in states))
    assert len(set(sizes)) == 1, "the state changed size while decoding"
    state_bytes = sizes[0]
    # One layer's multi-head cache, as in Exercise 2.
    cache_per_token = 2 * HEADS * HEAD_DIM * x.element_size()
    print(f"recurrent outputs match the parallel ones at all {T} tokens")
    print(f"state: {state_bytes:,} bytes at every token")
    print(f"KV cache: {cache_per_token:,} bytes a token; it passes the state"
          f" after {state_bytes / cache_per_token:g} tokens")


check_state()


# %% tags=["solution"]
def linear_attention_step(q_t, k_t, v_t, state):
    S, z = state
    S = S + torch.outer(phi(k_t), v_t)  # (dh, dh): add this token's φ(k) vᵀ
    z = z + phi(k_t)  # (dh,)
    y = (phi(q_t) @ S) / (phi(q_t) @ z)  # (dh,)
    return y, (S, z)


check_state()

# %% [markdown] tags=["solution"]
# Per head, the state holds `HEAD_DIM² + HEAD_DIM` numbers, and the KV cache adds `2 · HEAD_DIM` per
# token, so the cache passes the state after `(HEAD_DIM + 1) / 2` tokens: 8.5 here, with heads of 16.
# With the lesson's toy heads of 32 it is 16.5, the value the lesson quotes.
#
# That the two forms agree shows that a fixed state can carry an attention-like summary of the whole
# past. It is not the same as keeping the past: after thousands of tokens, `S` is still a
# `HEAD_DIM × HEAD_DIM` matrix, a sum in which old tokens can no longer be told apart. The KV cache
# keeps every key and value separately, which is why it can recall any one of them exactly, and why
# it grows.

# %% [markdown]
# ## Exercise 4 (open-ended): plan the caches of a service
#
# An assistant with the Llama-3-8B-like shape (32 layers, 8 key/value heads of 128, float16 weights)
# must hold as many 64K-token conversations as it can on one 80 GB accelerator. The lesson gives you
# four levers: fewer key/value heads or a latent cache (both need a model trained with them), fewer
# bits per number (a scale and a zero point in 16 bits per group), and a window that evicts old tokens.
#
# `cache_bytes_per_token(plan)` and `report(plans)` below do the arithmetic. Write two or three plans
# of your own into `my_plans`, run the cell, and decide which one you would ship. There is no single
# right answer: the numbers show what each plan saves, not what it costs in quality.

# %%
SHAPE = {"layers": 32, "kv_heads": 8, "head_dim": 128, "params": 8e9}
DEVICE = 80 * GB
CONTEXT = 65_536


def cache_bytes_per_token(plan):
    """Bytes one token adds to the cache under `plan`, a dict with optional keys:
    kv_heads, latent (d_c + d_h^R numbers per layer), bits, group."""
    if plan.get("latent"):
        numbers = SHAPE["layers"] * plan["latent"]
    else:
        numbers = 2 * SHAPE["layers"] * plan.get("kv_heads", SHAPE["kv_heads"]) * SHAPE["head_dim"]
    bits = plan.get("bits", 16)
    if bits < 16:
        bits += 32 / plan.get("group", 32)  # a 16-bit scale and a 16-bit zero point per group
    return numbers * bits / 8


def report(plans):
    weights = SHAPE["params"] * 2
    print(f"{'plan':34} {'bytes/token':>11} {'per conversation':>17}"
          f" {'conversations':>13} {'GB read per token':>17}")
    for name, plan in plans.items():
        tokens = min(CONTEXT, plan.get("window", CONTEXT))  # a window caps what is kept
        per_conversation = cache_bytes_per_token(plan) * tokens
        fit = int((DEVICE - weights) // per_conversation)
        # A decode step reads the weights once and every cache, and yields one token per conversation.
        read_per_token = (weights + fit * per_conversation) / fit / GB
        print(f"{name:34} {cache_bytes_per_token(plan):11,.0f}"
              f" {per_conversation / GIB:13.2f} GiB {fit:13,} {read_per_token:17.2f}")


baseline = {"as trained, bfloat16": {}}
my_plans = {}  # Your turn: e.g. {"4-bit keys and values": {"bits": 4, "group": 32}}
report({**baseline, **my_plans})
if not my_plans:
    print("TODO: add two or three plans to my_plans, then run this cell again.")

# %% tags=["solution"]
report({
    "as trained, bfloat16": {},
    "4-bit, groups of 32": {"bits": 4, "group": 32},
    "2-bit, groups of 32": {"bits": 2, "group": 32},
    "window of 4,096, bfloat16": {"window": 4096},
    "retrained with MLA (512 + 64)": {"latent": 576},
    "retrained with MLA, 4-bit": {"latent": 576, "bits": 4, "group": 32},
})

# %% [markdown] tags=["solution"]
# One defensible answer: ship the 4-bit cache first. It applies to the model as trained, about triples
# the number of conversations, and a step reads about a third as many bytes per generated token, so
# the service's throughput rises where reading memory sets the pace. Before shipping, compare it with
# the bfloat16 cache on the service's own traffic and on tasks that recall exact details from far
# back, since those lose first.
# The 2-bit plan holds more but needs the care of KIVI or KVQuant (keys per channel, a full-precision
# recent window, outliers kept aside) and a stronger quality check.
#
# The window holds by far the most, but it is a different model of the conversation: anything said
# more than 4,096 tokens ago is gone, which an assistant that must quote an earlier message cannot
# accept. MLA changes the architecture and needs a new training run: the right lever for the next
# model, not for this one.
#
# What a good answer weighs, whichever plan it picks: which savings are free at inference and which
# need retraining; which tasks each method hurts; whether a fused kernel exists for the combination
# (without one, dequantising or gathering costs the time the smaller cache saved); and the real mix of
# conversation lengths, since most conversations are shorter than the longest one, and a paged cache
# then holds many more of them than this worst case suggests.
