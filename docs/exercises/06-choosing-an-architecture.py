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
# # Exercises: choosing an architecture
#
# Four exercises for the lesson [Choosing an architecture](../../lessons/06-choosing-an-architecture/).
# Each has a task, a code cell for you to fill in, and a solution to reveal once you have tried. They
# need only the Python standard library and run in well under a second. The last is open-ended: its
# solution is one defensible answer, with what a good answer weighs.
#
# Run the next cell first: it defines two layer shapes from the lesson and the byte sizes the
# exercises use.

# %%
from dataclasses import dataclass

GIB = 2**30


@dataclass(frozen=True)
class Shape:
    params: float
    layers: int
    kv_heads: int
    head_dim: int
    channels: int = 0  # inner channels of a state-space layer
    ssm_state: int = 0  # N numbers per channel


LLAMA3_8B_LIKE = Shape(params=8e9, layers=32, kv_heads=8, head_dim=128)
MAMBA_2_8B_LIKE = Shape(params=2.8e9, layers=64, kv_heads=0, head_dim=0, channels=5120, ssm_state=16)
BYTES = 2  # float16 or bfloat16

# %% [markdown]
# ## Exercise 1: a cache against the weights
#
# Write `kv_cache_bytes(shape, tokens)` (two tensors, K and V, per layer) and `ssm_state_bytes(shape)`.
# Check them against the lesson: 128 KiB per token for the Llama-3-8B-like shape, 10 MiB of state for
# the Mamba-2.8B-like one. Then find the context length at which the Llama-3-8B-like cache of one
# sequence is as large as the model's weights.

# %%
def kv_cache_bytes(shape, tokens):
    """Your turn: bytes of the KV cache of one sequence of `tokens` tokens."""
    return None


def ssm_state_bytes(shape):
    """Your turn: bytes of the state of one sequence, at any length."""
    return None


def check_sizes():
    if kv_cache_bytes(LLAMA3_8B_LIKE, 1) is None or ssm_state_bytes(MAMBA_2_8B_LIKE) is None:
        print("TODO: write kv_cache_bytes and ssm_state_bytes above, then run this cell.")
        return
    assert kv_cache_bytes(LLAMA3_8B_LIKE, 1) == 128 * 1024
    assert ssm_state_bytes(MAMBA_2_8B_LIKE) == 10 * 2**20
    weights = LLAMA3_8B_LIKE.params * BYTES
    tokens = weights / kv_cache_bytes(LLAMA3_8B_LIKE, 1)
    print(f"the cache equals the weights at {tokens:,.0f} tokens")


check_sizes()


# %% tags=["solution"]
def kv_cache_bytes(shape, tokens):
    return 2 * shape.layers * shape.kv_heads * shape.head_dim * tokens * BYTES


def ssm_state_bytes(shape):
    return shape.layers * shape.channels * shape.ssm_state * BYTES


check_sizes()
# 8e9 x 2 bytes / 131,072 bytes per token = 122,070 tokens: past about 122K tokens, one sequence's
# cache outweighs the model itself. The state-space model's state never does, at any length.

# %% [markdown]
# ## Exercise 2: where full attention stops fitting
#
# An 80 GiB device serves the Llama-3-8B-like model to 8 sequences at once. Write `fits(tokens)`: do the
# weights and 8 caches of `tokens` tokens fit in the device? Then find, by bisection over whole
# numbers of tokens, the longest context that fits, and compare it with the closed form
# $(\text{device} - \text{weights}) / (8 \times \text{bytes per token})$.

# %%
DEVICE = 80 * GIB
BATCH = 8


def fits(tokens):
    """Your turn: True when weights + BATCH caches of `tokens` tokens fit in DEVICE."""
    return None


def longest_fitting(low=1, high=10**7):
    """Your turn: the largest `tokens` in [low, high) with fits(tokens), by bisection."""
    return None


def check_longest():
    found = longest_fitting()
    if found is None:
        print("TODO: write fits and longest_fitting above, then run this cell.")
        return
    per_token = 2 * LLAMA3_8B_LIKE.layers * LLAMA3_8B_LIKE.kv_heads * LLAMA3_8B_LIKE.head_dim * BYTES
    closed_form = (DEVICE - LLAMA3_8B_LIKE.params * BYTES) // (BATCH * per_token)
    print(f"bisection: {found:,} tokens; closed form: {closed_form:,.0f} tokens")
    assert found == closed_form


check_longest()


# %% tags=["solution"]
def fits(tokens):
    return LLAMA3_8B_LIKE.params * BYTES + BATCH * kv_cache_bytes(LLAMA3_8B_LIKE, tokens) <= DEVICE


def longest_fitting(low=1, high=10**7):
    # Invariant: fits(low) holds and fits(high) does not.
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low


check_longest()
# (85.9e9 - 16e9) bytes / (8 x 131,072 bytes) = about 66,700 tokens: past that, the picker's memory rule
# would move this problem away from full attention, or the batch must shrink.

# %% [markdown]
# ## Exercise 3: rules as data
#
# The picker keeps its rules as data and evaluates them with one small function. Build a tiny version:
# `RULES` is a list of rules in order, each with conditions `(field, op, value)` and a family, and
# `choose(problem, rules)` returns the family of the first rule whose conditions all hold. A value may
# be a number, a boolean, or the name of a field of the problem. Run it on the problems below, then
# raise the length limit from 65,536 to 262,144 and print which answers change.

# %%
import operator

OPS = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge, "eq": operator.eq}
RULES = [
    {"when": [("streaming", "eq", True)], "family": "state-space model"},
    {"when": [("seq_len", "gt", "length_limit"), ("recall", "eq", False)], "family": "sliding-window Transformer"},
    {"when": [], "family": "Transformer"},
]
PROBLEMS = {
    "chat": {"seq_len": 8192, "streaming": False, "recall": True},
    "genome": {"seq_len": 200_000, "streaming": False, "recall": False},
    "audio": {"seq_len": 1_000_000, "streaming": True, "recall": False},
    "logs": {"seq_len": 100_000, "streaming": False, "recall": False},
}


def choose(problem, rules):
    """Your turn: the family of the first rule whose conditions all hold."""
    return None


def check_choose():
    if choose({**PROBLEMS["chat"], "length_limit": 65536}, RULES) is None:
        print("TODO: write choose above, then run this cell.")
        return
    for limit in (65536, 262144):
        answers = {name: choose({**p, "length_limit": limit}, RULES) for name, p in PROBLEMS.items()}
        print(f"length_limit = {limit:,}: {answers}")


check_choose()


# %% tags=["solution"]
def choose(problem, rules):
    for rule in rules:
        if all(OPS[op](problem[field], problem[value] if isinstance(value, str) else value)
               for field, op, value in rule["when"]):
            return rule["family"]
    raise ValueError("no rule matched: end the rules with one that has no conditions")


check_choose()
# Raising the limit moves "genome" and "logs" back to full attention; the streaming problem does not
# move, because its rule comes first. Changing data, not code, changed the answers.

# %% [markdown]
# ## Exercise 4 (open-ended): argue for an architecture
#
# A code assistant of about 8 billion parameters must read a 200,000-token repository, answer
# questions that quote it exactly, and serve 8 users at once on one 80 GiB device within 50 ms per
# generated token, on a device that reads 3.35 TB/s. `bill(candidate)` below computes, for one
# candidate, the memory of the weights and 8 sequences and the bytes-over-bandwidth time of a decode
# step. A candidate says how many of its 32 layers use attention, how many bits a cached number takes,
# whether a window caps the cache, and how long a context it reads (retrieval can shorten it).
#
# Add two or three candidates of your own to `my_candidates`, run the cell, and decide which you would
# build first, and what would make you change your mind. There is no single right answer.

# %%
USERS, LIMIT_S, BANDWIDTH = 8, 0.050, 3.35e12
REPOSITORY = 200_000


def bill(candidate):
    """(GiB of memory, seconds per decode step) for the weights and USERS sequences."""
    layers = candidate.get("attention_layers", LLAMA3_8B_LIKE.layers)
    bits = candidate.get("cache_bits", 16)
    if bits < 16:
        bits += 1  # a 16-bit scale and zero point shared by 32 numbers
    tokens = min(candidate.get("context", REPOSITORY), candidate.get("window", REPOSITORY))
    cache = 2 * layers * LLAMA3_8B_LIKE.kv_heads * LLAMA3_8B_LIKE.head_dim * tokens * bits / 8
    state = candidate.get("recurrent_layers", 0) * 8192 * 16 * BYTES  # a Mamba-like state per layer
    weights = LLAMA3_8B_LIKE.params * BYTES
    total = weights + USERS * (cache + state)
    return total / GIB, total / BANDWIDTH  # a decode step reads all of it


def compare(candidates):
    for name, candidate in candidates.items():
        gib, seconds = bill(candidate)
        verdict = "fits" if gib <= DEVICE / GIB and seconds <= LIMIT_S else "does not fit"
        print(f"{name:44} {gib:7.1f} GiB {seconds * 1e3:6.1f} ms  {verdict}")


picker_default = {"full attention, 16-bit cache": {}}
my_candidates = {}  # Your turn: e.g. {"a window of 4,096": {"window": 4096}}
compare({**picker_default, **my_candidates})
if not my_candidates:
    print("TODO: add two or three candidates to my_candidates, then run this cell again.")

# %% tags=["solution"]
compare({
    "full attention, 16-bit cache": {},
    "full attention, 4-bit cache": {"cache_bits": 4},
    "a window of 4,096": {"window": 4096},
    "hybrid: 4 attention layers, 28 recurrent": {"attention_layers": 4, "recurrent_layers": 28},
    "retrieval into a 32K context": {"context": 32_768},
})

# %% [markdown] tags=["solution"]
# Full attention with a 16-bit cache needs about 210 GiB for 8 users, and reading it all would take a
# step about 67 ms: it fails on memory and on latency, as the picker's rules would say. The window
# fits easily but cannot quote a file it has slid past, which this task demands, so it is out. Three
# candidates remain, each with a different risk:
#
# - **A 4-bit cache** keeps the model as trained and just fits, with little room for activations or a
#   ninth user. Its risk is exactly the task: quoting code character for character from far back is
#   what quantisation errors hurt first.
# - **A hybrid** fits with room to spare and keeps exact lookup in its attention layers, but it means
#   training a new, less mature model; it needs a fallback.
# - **Retrieval into a 32K context** fits and is fast with a mature model, but moves the risk to the
#   retriever: a question about code it failed to fetch cannot be answered.
#
# One defensible choice is retrieval first (cheapest to build and to test), with the 4-bit cache as the
# next step if the retriever misses too often, and the hybrid as a research bet. A good answer, whatever
# it picks, separates the hard limits from the costs, says on which questions each choice would fail,
# names its fallback, and proposes the experiment that decides it: here, exact-quotation questions
# from the team's own repositories, scored on each candidate.
