# ---
# jupyter:
#   translation_of: b4f703625094
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
# # 练习：推理时的内存
#
# 本页的四道练习配合课程[推理时的内存：键值缓存与固定大小的状态](../../lessons/04-memory-at-inference/)。每道练习都有一项任务、一个留给你填写的代码单元格，以及一份参考答案，请先自己尝试，再展开查看。每个单元格在
# CPU 上都远不到一秒就能跑完。第一道练习是算术；接下来两道搭建一个极小的注意力层，并清点它保存的字节；最后一道是开放题，为一项服务制定方案，没有唯一正确的答案。
#
# 请先运行下一个单元格：它导入所需的模块，并定义几个单位。

# %%
import math

import torch
import torch.nn.functional as F

GB = 10**9  # 十进制，与加速器内存的标称方式一致
KIB, GIB = 2**10, 2**30  # 二进制，与课程中 KV 缓存表的计法一致

torch.manual_seed(0)

# %% [markdown]
# ## 练习 1：公式，以及能放下多少
#
# 写出 `kv_cache_bytes(layers, kv_heads, head_dim, tokens, bytes_per_element=2, batch=1)`，即 `batch`
# 个各含 `tokens` 个词元的序列的 KV 缓存字节数。检查会复现课程表格中的两行：4K 个词元时的类 Llama-2-7B 形状（32 层，32
# 个宽度为 128 的键/值头），以及 128K 个词元时的类 Llama-3-8B 形状（32 层，8 个宽度为 128 的键/值头）。
#
# 接着它会算出：一块 80 GB 的加速器在放下一个 70 亿参数模型的 float16 权重之后，在有 32 个和 8
# 个键/值头时，分别还能容纳多少个词元的缓存。
#
# 最后，写出 `score_matrix_bytes(tokens, bytes_per_number, heads=1)`，即 T × T 注意力分数的字节数，并比较单个头在
# 100,000 个词元时，用 128 位数（16 字节，有一篇文章就是这样假设的）和用 float16 时的大小。

# %%
def kv_cache_bytes(layers, kv_heads, head_dim, tokens,
                   bytes_per_element=2, batch=1):
    """由你来写：`batch` 个各含 `tokens` 个词元的序列，
    其 KV 缓存的字节数。"""
    return None


def score_matrix_bytes(tokens, bytes_per_number, heads=1):
    """由你来写：`heads` 个 T x T 分数矩阵的字节数。"""
    return None


def check_arithmetic():
    if kv_cache_bytes(32, 32, 128, 1) is None \
            or score_matrix_bytes(10, 2) is None:
        print("TODO：先写好上面的 kv_cache_bytes 和 score_matrix_bytes，"
              "再运行这个单元格。")
        return
    # 课程表格中的两行：(layers, kv_heads, head_dim, tokens)
    assert kv_cache_bytes(32, 32, 128, 4096) == 2 * GIB  # 类 Llama-2-7B
    assert kv_cache_bytes(32, 8, 128, 131072) == 16 * GIB  # 类 Llama-3-8B
    one = kv_cache_bytes(32, 8, 128, 100)
    assert kv_cache_bytes(32, 8, 128, 100, batch=3) == 3 * one

    # 一块 80 GB 的加速器，减去 70 亿个各占 2 字节的权重。
    free = 80 * GB - 7 * 10**9 * 2
    for kv_heads in (32, 8):
        per_token = kv_cache_bytes(32, kv_heads, 128, tokens=1)
        print(f"{kv_heads:2} 个键/值头："
              f"每个词元 {per_token / KIB:4.0f} KiB，"
              f"{free / GB:.0f} GB 中能放下 {free // per_token:9,} 个词元")

    T = 100_000
    print(f"\nT = {T:,} 时，一个头有 {T * T:,} 个分数")
    for label, size, heads in (("一个头，128 位", 16, 1),
                               ("一个头，float16", 2, 1),
                               ("32 个头，float16", 2, 32)):
        gb = score_matrix_bytes(T, size, heads) / GB
        print(f"  {label}：{gb:4.0f} GB")


check_arithmetic()


# %% tags=["solution"]
def kv_cache_bytes(layers, kv_heads, head_dim, tokens,
                   bytes_per_element=2, batch=1):
    # 每个序列的每个词元，在每一层、每个键/值头中都有一个键和一个值，
    # 各含 head_dim 个数。
    return (2 * layers * kv_heads * head_dim * tokens
            * bytes_per_element * batch)


def score_matrix_bytes(tokens, bytes_per_number, heads=1):
    return heads * tokens * tokens * bytes_per_number


check_arithmetic()

# %% [markdown] tags=["solution"]
# 放下 14 GB 的权重之后，还剩 66 GB。有 32 个键/值头时，每个词元占 512 KiB，所以大约能放下 126,000 个词元：单单一个
# 128K 词元的序列就已经放不下了，这还没算激活和其他任何东西。有 8 个键/值头时，每个词元只占四分之一，能放下的词元是前者的四倍，约五十万个。同样的空间也可以改为容纳约
# 30 个 4K 词元的序列（多头注意力），或约 120 个（分组查询）：这就是推理服务系统如此看重缓存的原因，因为一个批次中的序列越多，每秒产生的词元就越多。
#
# 按 128 位计算，一个头要占 160 GB，“数百 GB”的说法就是这么来的。在 float16 下，同一个矩阵是 20 GB，加速器放得下；只有对一整层的
# 32 个头来说，才会重新出现数百 GB，即 640 GB。而融合内核根本不保存这些矩阵。

# %% [markdown]
# ## 练习 2：一个可以清点的缓存
#
# 下一个单元格定义了一个注意力层，它有 `HEADS` 个宽度为 `HEAD_DIM` 的头；还定义了
# `full_causal_attention(x)`，它借助因果掩码，一趟算出整个序列的输出。
#
# 写出 `decode_step(x_t, cache)`。它接收一个新词元的输入，形状为 `(D_MODEL,)`，以及此前各词元的缓存，即一对形状为
# `(HEADS, t, HEAD_DIM)` 的张量 `(K, V)`。它必须计算新词元的查询、键和值，把键和值追加到缓存中，用查询对所有缓存的键和值做注意力，然后返回输出
# `(D_MODEL,)` 以及变长了的缓存。
#
# 检查从空缓存开始逐词元解码整个序列。它把各个输出与整段前向传播的结果比较，并在每个位置上把缓存的字节数与公式比较。

# %%
D_MODEL, HEADS = 64, 4
HEAD_DIM = D_MODEL // HEADS  # 16
T = 64
W_q, W_k, W_v = (torch.randn(D_MODEL, D_MODEL) / math.sqrt(D_MODEL)
                 for _ in range(3))
x = torch.randn(T, D_MODEL)  # (T, D_MODEL)：一个序列


def split_heads(t):
    """(T, D_MODEL) -> (HEADS, T, HEAD_DIM)"""
    return t.view(t.shape[0], HEADS, HEAD_DIM).transpose(0, 1)


def full_causal_attention(x):
    """一趟处理整个序列：(T, D_MODEL) -> (T, D_MODEL)。"""
    q, k, v = (split_heads(x @ W) for W in (W_q, W_k, W_v))  # (H, T, dh)
    scores = q @ k.transpose(-1, -2) / math.sqrt(HEAD_DIM)  # (H, T, T)
    future = torch.ones(len(x), len(x), dtype=torch.bool).triu(1)
    weights = scores.masked_fill(future, float("-inf")).softmax(-1)
    y = weights @ v  # (H, T, dh)
    return y.transpose(0, 1).reshape(len(x), D_MODEL)  # (T, D_MODEL)


def decode_step(x_t, cache):
    """由你来写。x_t：(D_MODEL,)；cache：(K, V)，各为 (HEADS, t, HEAD_DIM)。
    返回 (形状为 (D_MODEL,) 的输出, 含 t + 1 个位置的 (K, V))。"""
    return None, cache


def check_cache():
    empty = torch.zeros(HEADS, 0, HEAD_DIM)  # (H, 0, dh)：还没有任何词元
    cache = (empty, empty)
    outputs, sizes = [], []
    for t in range(T):
        y, cache = decode_step(x[t], cache)
        if y is None:
            print("TODO：先写好上面的 decode_step，再运行这个单元格。")
            return
        outputs.append(y)
        sizes.append(cache[0].nbytes + cache[1].nbytes)
    full = full_causal_attention(x)
    difference = (torch.stack(outputs) - full).abs().max().item()
    assert difference < 1e-5, f"输出相差 {difference:.2g}"
    layers, size = 1, x.element_size()
    formula = [2 * layers * HEADS * HEAD_DIM * (t + 1) * size
               for t in range(T)]
    assert sizes == formula, "缓存的字节数不符合公式"
    print(f"输出与整段前向传播一致（误差在 {difference:.1e} 以内）")
    for t in (8, 16, 32, 64):
        print(f"{t:2} 个词元之后的缓存：{sizes[t - 1]:6,} 字节")
    print(f"64 个词元 / 32 个词元：{sizes[63] / sizes[31]:.0f} 倍")


check_cache()


# %% tags=["solution"]
def decode_step(x_t, cache):
    K, V = cache
    q, k, v = ((x_t @ W).view(HEADS, 1, HEAD_DIM)  # 各为 (H, 1, dh)
               for W in (W_q, W_k, W_v))
    K = torch.cat([K, k], dim=1)  # (H, t + 1, dh)
    V = torch.cat([V, v], dim=1)  # (H, t + 1, dh)
    # 不需要掩码：缓存中只有过去的词元和当前词元本身。
    scores = q @ K.transpose(-1, -2) / math.sqrt(HEAD_DIM)  # (H, 1, t + 1)
    weights = scores.softmax(-1)
    y = weights @ V  # (H, 1, dh)
    return y.reshape(D_MODEL), (K, V)


check_cache()

# %% [markdown] tags=["solution"]
# 解码得到的输出在舍入误差范围内与整段前向传播相同，这要归功于因果掩码：在整段前向传播中，分数的第 `t`
# 行本来就忽略了所有较晚的词元，所以它用到的 `t` 之前各词元的键和值，恰好就是缓存中保存的那些。缓存存下的东西永远不需要更新。
#
# 每个词元增加 `2 × 4 × 16 × 4 = 512` 字节（一层，float32），所以缓存每一步都增长同样多，上下文翻倍时它也翻倍。一步中的分数是每个头一行
# `t + 1` 个数，算出后即丢弃：整段前向传播中的 `T × T` 矩阵在解码时从不出现。真正增长的是一步的工作量，因为它要读取每一个缓存的键和值。
#
# 要把它改成分组查询注意力，可以让 `W_k` 和 `W_v` 输出更少的头，比如 2 个，并让查询头 0 和 1 读取键/值头 0，查询头 2 和 3
# 读取键/值头 1（做检查时可以用 `K.repeat_interleave(2, dim=0)` 实现）。缓存随之缩小一半。

# %% [markdown]
# ## 练习 3：把同样的过去装进固定大小的状态
#
# 线性注意力把 softmax 权重 `exp(q·k)` 换成 `φ(q)·φ(k)`，其中特征映射 `φ(u) = elu(u) + 1`
# 始终为正。下一个单元格以并行方式计算因果线性注意力，它和 softmax 注意力一样，要构建一个 `T × T` 矩阵。
#
# 由于 `φ(q_t)·φ(k_s) v_s` 可以重新组合成 `φ(q_t)ᵀ (φ(k_s) v_sᵀ)`，整个过去可以用每个头两个累加和来保存：`S` 是
# `φ(k_s) v_sᵀ` 之和（一个 `HEAD_DIM × HEAD_DIM` 矩阵），`z` 是 `φ(k_s)` 之和。为单个头写出
# `linear_attention_step(q_t, k_t, v_t, state)`：把新词元加进 `S` 和 `z`，并返回 `φ(q_t)ᵀ S / (φ(q_t) · z)`
# 以及新的状态。
#
# 检查在每个头上逐词元运行它，并与并行版本比较。它还会清点状态的字节数，并找出练习 2
# 的多头 KV 缓存在多少个词元之后会比这个状态占用更多字节。

# %%
def phi(u):
    return F.elu(u) + 1  # 恒为正，所以权重像 softmax 的一样为正


def parallel_linear_attention(q, k, v):
    """对整个序列做因果线性注意力。
    q, k, v：(H, T, dh) -> (H, T, dh)。"""
    weights = phi(q) @ phi(k).transpose(-1, -2)  # (H, T, T)，全部为正
    weights = weights.tril()  # 因果：词元 t 只看到词元 0..t
    return (weights @ v) / weights.sum(-1, keepdim=True)  # (H, T, dh)


def linear_attention_step(q_t, k_t, v_t, state):
    """由你来写。q_t, k_t, v_t：(dh,)；state：(S, z)，S 的形状为 (dh, dh)，
    z 的形状为 (dh,)。返回 (形状为 (dh,) 的输出, 新的状态)。"""
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
                print("TODO：先写好上面的 linear_attention_step，"
                      "再运行这个单元格。")
                return
            difference = (y - expected[h, t]).abs().max().item()
            assert difference < 1e-4, f"头 {h}，词元 {t}：{difference:.2g}"
        sizes.append(sum(S.nbytes + z.nbytes for S, z in states))
    assert len(set(sizes)) == 1, "解码过程中状态的大小变了"
    state_bytes = sizes[0]
    # 一层的多头缓存，与练习 2 相同。
    cache_per_token = 2 * HEADS * HEAD_DIM * x.element_size()
    print(f"在全部 {T} 个词元上，循环形式的输出都与并行形式的一致")
    print(f"状态：每个词元处都是 {state_bytes:,} 字节")
    print(f"KV 缓存：每个词元 {cache_per_token:,} 字节；"
          f"{state_bytes / cache_per_token:g} 个词元之后就超过状态")


check_state()


# %% tags=["solution"]
def linear_attention_step(q_t, k_t, v_t, state):
    S, z = state
    S = S + torch.outer(phi(k_t), v_t)  # (dh, dh)：加上这个词元的 φ(k) vᵀ
    z = z + phi(k_t)  # (dh,)
    y = (phi(q_t) @ S) / (phi(q_t) @ z)  # (dh,)
    return y, (S, z)


check_state()

# %% [markdown] tags=["solution"]
# 每个头的状态保存 `HEAD_DIM² + HEAD_DIM` 个数，而 KV 缓存每个词元增加 `2 · HEAD_DIM` 个数，所以缓存在
# `(HEAD_DIM + 1) / 2` 个词元之后超过状态：这里头宽度为 16，是 8.5 个。对课程中头宽度为 32 的玩具模型，则是 16.5
# 个，也就是课程引用的那个值。
#
# 两种形式结果一致，说明固定大小的状态能够承载整个过去的一种类似注意力的摘要。但这与保存过去并不相同：几千个词元之后，`S` 仍然是一个
# `HEAD_DIM × HEAD_DIM` 矩阵，是一个累加和，其中的旧词元已经无法再彼此区分。KV
# 缓存把每个键和值分别保存，所以它能精确地回忆起其中任何一个，也正因为如此，它会不断增长。

# %% [markdown]
# ## 练习 4（开放题）：为一项服务规划缓存
#
# 一个形状类似 Llama-3-8B 的助手（32 层，8 个宽度为 128 的键/值头，float16 权重），必须在一块 80 GB
# 的加速器上容纳尽可能多的 64K 词元对话。课程给了你四种手段：更少的键/值头，或潜在缓存（两者都需要一个用它们训练出来的模型）；每个数用更少的位（每组一个
# 16 位的缩放因子和一个 16 位的零点）；以及一个淘汰旧词元的窗口。
#
# 下面的 `cache_bytes_per_token(plan)` 和 `report(plans)` 负责计算。把你自己的两三个方案写进
# `my_plans`，运行这个单元格，然后决定你会上线哪一个。这道题没有唯一正确的答案：这些数字显示的是每个方案节省了什么，而不是它在质量上付出了什么代价。

# %%
SHAPE = {"layers": 32, "kv_heads": 8, "head_dim": 128, "params": 8e9}
DEVICE = 80 * GB
CONTEXT = 65_536


def cache_bytes_per_token(plan):
    """在方案 `plan` 下，一个词元为缓存增加的字节数；`plan` 是一个字典，可选的键有：
    kv_heads、latent（每层 d_c + d_h^R 个数）、bits、group。"""
    if plan.get("latent"):
        numbers = SHAPE["layers"] * plan["latent"]
    else:
        numbers = 2 * SHAPE["layers"] * plan.get("kv_heads", SHAPE["kv_heads"]) * SHAPE["head_dim"]
    bits = plan.get("bits", 16)
    if bits < 16:
        bits += 32 / plan.get("group", 32)  # 每组一个 16 位的缩放因子和一个 16 位的零点
    return numbers * bits / 8


def report(plans):
    weights = SHAPE["params"] * 2
    print(f"{'方案':34} {'字节/词元':>11} {'每段对话':>17}"
          f" {'对话数':>13} {'每词元读取 GB':>17}")
    for name, plan in plans.items():
        tokens = min(CONTEXT, plan.get("window", CONTEXT))  # 窗口限制了保存的词元数
        per_conversation = cache_bytes_per_token(plan) * tokens
        fit = int((DEVICE - weights) // per_conversation)
        # 一个解码步读取一遍权重和每个缓存，并为每段对话产生一个词元。
        read_per_token = (weights + fit * per_conversation) / fit / GB
        print(f"{name:34} {cache_bytes_per_token(plan):11,.0f}"
              f" {per_conversation / GIB:13.2f} GiB {fit:13,} {read_per_token:17.2f}")


baseline = {"原模型，bfloat16": {}}
my_plans = {}  # 由你来写：例如 {"4 位的键和值": {"bits": 4, "group": 32}}
report({**baseline, **my_plans})
if not my_plans:
    print("TODO：在 my_plans 中加入两三个方案，然后再运行一次这个单元格。")

# %% tags=["solution"]
report({
    "原模型，bfloat16": {},
    "4 位，每组 32 个数": {"bits": 4, "group": 32},
    "2 位，每组 32 个数": {"bits": 2, "group": 32},
    "4,096 词元的窗口，bfloat16": {"window": 4096},
    "用 MLA 重新训练（512 + 64）": {"latent": 576},
    "用 MLA 重新训练，4 位": {"latent": 576, "bits": 4, "group": 32},
})

# %% [markdown] tags=["solution"]
# 一个站得住脚的答案：先上线 4 位缓存。它适用于按原样训练好的模型，能容纳的对话约为原来的三倍，而每生成一个词元，一步读取的字节约为原来的三分之一，所以在由内存读取决定速度的地方，服务的吞吐量会提高。上线之前，要在服务自己的流量上，以及需要精确回忆很久之前细节的任务上，把它与
# bfloat16 缓存作比较，因为这类任务最先受损。2 位方案能容纳更多，但需要 KIVI 或 KVQuant
# 那样的细致处理（键按通道量化、保留一个全精度的最近窗口、把离群值单独存放），以及更严格的质量检查。
#
# 窗口方案能容纳的对话远比其他方案多，但它对对话的建模方式完全不同：4,096
# 个词元之前说过的任何内容都会消失，一个必须引用早先消息的助手无法接受这一点。MLA 改变了架构，需要重新训练：它是下一个模型该用的手段，而不是这一个模型的。
#
# 无论选哪个方案，一个好的答案都会权衡：哪些节省在推理时是免费的，哪些需要重新训练；每种方法会损害哪些任务；这种组合是否有现成的融合内核（没有的话，反量化或收集操作所花的时间，会抵消较小缓存节省下来的时间）；以及真实的对话长度分布，因为大多数对话都比最长的那一段短，这时分页缓存能容纳的对话，要比这个最坏情况所显示的多得多。
