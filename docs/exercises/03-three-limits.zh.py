# ---
# jupyter:
#   translation_of: 56e3979b5140
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
# # 练习：循环的三个局限与注意力的代价
#
# 本页的四道练习配合课程[循环的三个局限与注意力的代价](../../lessons/03-three-limits/)。每道练习都有一项任务、一个留给你填写的代码单元格，以及一份参考答案，请先自己尝试，再展开查看。每个单元格在 CPU
# 上一两秒内就能跑完。最后一道练习没有唯一正确的答案。
#
# 请先运行下一个单元格：它导入各道练习所需的模块。

# %%
import math

import torch
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)

# %% [markdown]
# ## 练习 1：梯度与距离
#
# `gradient_vs_distance(step, xs, h0)` 在输入 `xs`（形状为 (K + 1, width)）上运行循环 `h = step(h, x)`，并对每个距离
# k = 0..K 返回一个梯度范数：最后一个状态的各分量之和，对末尾之前第 k 步的输入求梯度。一次反向传播就能得到全部结果。
#
# 1. 写出 $h_t = 0.99\,h_{t-1} + x_t$ 对应的 `linear_step(h, x)`，并把梯度与 $0.99^k$ 相比较。
# 2. 用给定的随机矩阵 `W` 和 `U`，写出 $h_t = \tanh(W h_{t-1} + U x_t)$ 对应的 `tanh_step(h, x)`，并拟合它每一步的衰减因子。
# 3. 把 `W` 放大到 2 倍和 4 倍，再分别拟合一次。会发生什么？为什么？

# %%
WIDTH, K = 32, 200
xs = torch.randn(K + 1, WIDTH, dtype=torch.float64)
h0 = torch.zeros(WIDTH, dtype=torch.float64)
# PyTorch 默认的 RNN 初始化：在 ±1/√width 内均匀分布。
bound = 1 / math.sqrt(WIDTH)
W = torch.empty(WIDTH, WIDTH, dtype=torch.float64).uniform_(-bound, bound)
U = torch.empty(WIDTH, WIDTH, dtype=torch.float64).uniform_(-bound, bound)


def gradient_vs_distance(step, xs, h0):
    """k = 0..K 时 d(h_T 各分量之和) / d(x_(T-k)) 的范数，组成一个含 K + 1 个数的张量。"""
    xs = xs.clone().requires_grad_(True)
    h = h0
    for x in xs:  # 每一步都要用到上一步的 h
        h = step(h, x)
    h.sum().backward()
    return xs.grad.norm(dim=1).flip(0)  # (K + 1,)：下标 k 对应末尾之前第 k 步


def decay_per_step(norms, floor=1e-250):
    """ln(范数) 对 k 的斜率再取 exp：每往回一步，梯度保留下来的因子。"""
    k = torch.arange(len(norms), dtype=torch.float64)
    keep = norms > floor * norms[0]  # 去掉接近 float64 下溢的值
    k, y = k[keep], norms[keep].log()  # 对 ln(范数) 做最小二乘直线拟合
    slope = ((k - k.mean()) * (y - y.mean())).sum() / ((k - k.mean()) ** 2).sum()
    return slope.exp().item()


def linear_step(h, x):
    """由你来写：h_t = 0.99 * h_(t-1) + x_t。"""
    return None


def tanh_step(h, x, W=W):
    """由你来写：h_t = tanh(W h_(t-1) + U x_t)。"""
    return None


def check_gradients():
    if linear_step(h0, xs[0]) is None or tanh_step(h0, xs[0]) is None:
        print("TODO：先写好上面的 linear_step 和 tanh_step，再运行这个单元格。")
        return
    linear = gradient_vs_distance(linear_step, xs, h0)
    k = torch.arange(K + 1, dtype=torch.float64)
    expected = linear[0] * 0.99**k
    print(f"线性：与 0.99^k 的最大相对偏差 = {((linear - expected) / expected).abs().max():.1e}")
    print(f"线性：每步衰减因子 = {decay_per_step(linear):.4f}")
    for scale in (1, 2, 4):
        norms = gradient_vs_distance(lambda h, x: tanh_step(h, x, scale * W), xs, h0)
        print(f"tanh，W × {scale}：每步衰减因子 = {decay_per_step(norms):.3f}，"
              f"k = 50 处的梯度是 k = 0 处的 {norms[50] / norms[0]:.1e}")


check_gradients()


# %% tags=["solution"]
def linear_step(h, x):
    return 0.99 * h + x


def tanh_step(h, x, W=W):
    return torch.tanh(W @ h + U @ x)


check_gradients()

# %% [markdown] tags=["solution"]
# 线性循环在舍入误差范围内复现了 $0.99^k$：它每一步的雅可比矩阵都是 $0.99 I$，所以 $k$ 个这样的矩阵之积恰好是 $0.99^k I$。
#
# 采用 PyTorch 默认初始化的 tanh RNN，每一步只保留梯度的一小部分，这与课程中的普通 tanh RNN 很相似。每一步都要把梯度乘以
# $\mathrm{diag}(1 - h^2)\,W^\top$。权重在 $\pm 1/\sqrt{d}$ 内均匀分布（方差为 $1/3d$）时，`W`
# 的特征值大致落在半径约为 $\sqrt{d \cdot 1/3d} \approx 0.58$ 的圆内，所以它的长乘积会不断缩小，而至多为 1 的 tanh 导数又让它进一步缩小。
#
# 把 `W` 放大到 2 倍，这个半径就翻倍到约 1.15，于是衰减因子上升：梯度能保持得更久。但它仍小于 1，因为更大的 `W`
# 也会把状态推向饱和（|h| 接近 1），而在那里 tanh 的导数很小。把 `W` 放大到 4 倍，这个因子就超过了 1：梯度此时随距离增长，这正是
# Pascanu 等人（2013）所说的梯度爆炸。两者之间有一条很窄的区间，梯度在其中既不消失也不爆炸，但 tanh RNN
# 无法调到对每个输入都停留在这个区间内；这就是 Bengio 等人（1994）所描述的两难困境，也是人们发明门控的原因之一。

# %% [markdown]
# ## 练习 2：注意力核心何时超过稠密层？
#
# 为单个 Transformer 块写出 `dense_flops_per_token(d)` 和 `core_flops_per_token(T, d)`：每次乘加记 2
# FLOPs，只统计矩阵乘法。稠密部分包括四个 d×d 投影和一个 d → 4d → d 的 MLP；核心部分包括 $QK^\top$，以及对全部 T
# 个位置的 $V$ 加权求和。然后求出 d = 512 时的交点 $T^*$。
#
# 检查单元格用 `FlopCounterMode` 统计真实 PyTorch 模块的 FLOPs，并与你的结果比较。最后想一想：如果某个内核跳过因果注意力矩阵中被掩码遮住的那一半，$T^*$
# 会移到哪里？

# %%
def dense_flops_per_token(d):
    """由你来写：每个词元的投影加 MLP。"""
    return None


def core_flops_per_token(T, d):
    """由你来写：每个词元的打分与加权求和，双向（不加掩码）。"""
    return None


def counted_flops(T, d, heads=8):
    """由 PyTorch 统计的 T 个词元下，一个块的稠密层和注意力核心各自的 FLOPs。"""
    x = torch.randn(1, T, d)
    proj = torch.nn.Linear(d, 4 * d, bias=False)  # Q、K、V 和输出：四个 d×d，合成一个 d×4d
    mlp = torch.nn.Sequential(torch.nn.Linear(d, 4 * d), torch.nn.GELU(), torch.nn.Linear(4 * d, d))
    q = k = v = torch.randn(1, heads, T, d // heads)  # (B, 头数, T, 头宽度)
    with torch.no_grad():
        with FlopCounterMode(display=False) as dense:
            proj(x), mlp(x)
        with FlopCounterMode(display=False) as core:
            attention = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // heads), dim=-1)
            attention @ v
    return dense.get_total_flops(), core.get_total_flops()


def check_flops(T=256, d=64):
    if dense_flops_per_token(d) is None or core_flops_per_token(T, d) is None:
        print("TODO：先写好上面的两个计数，再运行这个单元格。")
        return
    dense, core = counted_flops(T, d)
    assert dense == T * dense_flops_per_token(d), (dense, T * dense_flops_per_token(d))
    assert core == T * core_flops_per_token(T, d), (core, T * core_flops_per_token(T, d))
    print(f"T = {T}，d = {d}：两个计数都与 PyTorch 的一致（{dense:,} 和 {core:,} FLOPs）")
    d = 512
    crossover = dense_flops_per_token(d) / core_flops_per_token(1, d)
    print(f"d = {d}：在 T* = {crossover:,.0f} = {crossover / d:.0f}·d 处，核心超过全部稠密层")


check_flops()


# %% tags=["solution"]
def dense_flops_per_token(d):
    projections = 4 * 2 * d * d  # Q、K、V、输出：四个 d×d 乘积
    mlp = 2 * 2 * d * (4 * d)  # d -> 4d 和 4d -> d
    return projections + mlp  # 24·d²


def core_flops_per_token(T, d):
    return 2 * T * d + 2 * T * d  # 与 T 个键各算一个分数，再对 T 个值加权求和


check_flops()

# %% [markdown] tags=["solution"]
# 每个词元的稠密层开销为 $8d^2 + 16d^2 = 24d^2$ FLOPs，核心为 $4Td$，所以两者在 $T^* = 24d^2 / 4d = 6d$
# 处相等：d = 512 时为 3,072 个词元。如果只与 MLP（$16d^2$）相比，交点则是 $4d$。头数会被约掉：H 个宽度为 d/H
# 的头所做的乘加次数，与一个宽度为 d 的头相同。
#
# 跳过被掩码那一半的因果内核，平均每个词元约做 $2Td$，因为词元 $t$ 关注它之前的 $t$ 个词元，平均约为 $T/2$ 个。于是
# $T^* = 24d^2 / 2d = 12d$：这就是 Kaplan 等人（2020）给出的“12·d”，在这个长度以下，上下文那一项很小。

# %% [markdown]
# ## 练习 3：不需要完整分数矩阵的注意力
#
# 朴素注意力会构建完整的 T×T 分数矩阵。但每个查询的输出只取决于它自己那一行分数，所以查询可以分块处理：先计算一块查询对全部键的分数，取
# softmax，乘以 V，再处理下一块。写出 `blocked_attention(q, k, v, block)`，检查它的输出与 `naive_attention`
# 相同，并记录两者各自创建的最大分数张量。
#
# FlashAttention 更进一步：它还把键切成小块，并以在线方式累积 softmax，因此连完整的一行分数都不会保存。

# %%
T, D = 2_048, 64
q, k, v = (torch.randn(T, D) for _ in range(3))
largest_scores = {"elements": 0}  # 迄今为止创建过的最大分数张量


def scores(q_block, k):
    """一部分查询对全部键的缩放分数；同时记下它创建过的最大张量。"""
    s = q_block @ k.T / math.sqrt(q_block.shape[-1])  # (查询数, T)
    largest_scores["elements"] = max(largest_scores["elements"], s.numel())
    return s


def naive_attention(q, k, v):
    return torch.softmax(scores(q, k), dim=-1) @ v  # 先得到 (T, T) 的分数，再得到 (T, D)


def blocked_attention(q, k, v, block=128):
    """由你来写：每次对 `block` 个查询调用 scores()，得到相同的结果。"""
    return None


def compare_attention(block=128):
    largest_scores["elements"] = 0
    reference = naive_attention(q, k, v)
    naive_largest = largest_scores["elements"]
    largest_scores["elements"] = 0
    blocked = blocked_attention(q, k, v, block)
    if blocked is None:
        print("TODO：先写好上面的 blocked_attention，再运行这个单元格。")
        return
    torch.testing.assert_close(blocked, reference)
    print(f"输出相同；最大分数张量：朴素版本 {naive_largest:,} 个元素，"
          f"分块版本 {largest_scores['elements']:,} 个（只有前者的 1/{naive_largest / largest_scores['elements']:.0f}）")


compare_attention()


# %% tags=["solution"]
def blocked_attention(q, k, v, block=128):
    out = torch.empty_like(q)
    for start in range(0, len(q), block):
        rows = slice(start, start + block)
        out[rows] = torch.softmax(scores(q[rows], k), dim=-1) @ v  # 每次只有 (block, T) 的分数
    return out


compare_attention()

# %% [markdown] tags=["solution"]
# 两者的输出一致，而最大分数张量从 T² = 4,194,304 个元素缩小到 block·T = 262,144 个，只有原来的 1/16（T / block =
# 16）。算术量没有变：每个查询仍要与每个键打分，所以时间仍是平方级的，而分数所占的内存变成与 T 成线性关系（块大小固定时）。
#
# 课程中实测的朴素注意力，其峰值内存超过分数矩阵本身，因为分数和它们的 softmax 同时存在。FlashAttention
# 这样的融合内核还会把键分块，每来一块就重新缩放滚动的最大值和累加和，所以连完整的一行都不会保存；而且它在单个内核内完成这一切，分数从不需要写回主存。

# %% [markdown]
# ## 练习 4：长达 100,000 个词元的文档（开放题）
#
# 你要在固定数量的 GPU 上，用长达 100,000 个词元的文档训练一个模型，文档末尾附近的问题可能取决于开头附近的某句话。比较三种做法：用截断的通过时间反向传播（truncated
# BPTT）训练的 LSTM；使用融合注意力内核、并在设备之间采用环形注意力（ring attention）的 Transformer；以及用并行扫描训练的线性循环（第
# 5 课测量了这类扫描）。
#
# 这道题没有唯一正确的答案。一个好的答案会针对这一长度下的单层，估算每种做法在每个设备上的训练 FLOPs
# 和保存的激活；说明每种做法仍能通过梯度学到哪些依赖关系；然后权衡这些估算遗漏了什么：设备之间的通信、每个内核对硬件的利用程度、第 2
# 课讲的串行深度，以及一个固定大小的状态能容纳多少内容。把你的估算填进下面的 `options`（课程中的 FLOP 计数和它的 TBPTT
# 例子可以作为起点），单元格会把它们并排打印出来。

# %%
DOC_LENGTH, DOC_WIDTH, DEVICES = 100_000, 1_024, 8
BYTES_PER_NUMBER = 2  # 激活以 bfloat16 存储

# 由你来写：名称 -> {"flops": 一层在每个设备上处理一篇文档的训练 FLOPs，
#                   "stored": 一层在每个设备上保存的激活字节数，
#                   "reach": 梯度所能跨越的最长距离，以词元计}。
options = {}


def show_options():
    if not options:
        print("TODO：先填好上面的 options，再运行这个单元格。")
        return
    print(f"T = {DOC_LENGTH:,}，d = {DOC_WIDTH:,}，{DEVICES} 个设备；单层，按每个设备计")
    print(f"{'':40}{'FLOPs':>10}{'保存':>12}{'可达距离':>10}")
    for name, o in options.items():
        print(f"{name:40}{o['flops']:10.1e}{o['stored'] / 2**20:8,.0f} MiB{o['reach']:10,}")


show_options()

# %% tags=["solution"]
# 一组可能的估算；每个数都是根据注释中的假设算出来的。
T, d, P = DOC_LENGTH, DOC_WIDTH, DEVICES
TRAIN = 3  # 一个训练步的开销约为前向传播的 3 倍（本站的约定）
WINDOW = 512  # TBPTT 的窗口 k
LSTM_VECTORS = 6  # LSTM 每步保存的宽度为 d 的向量数：四个门、记忆元、状态
# 这份草算的一个假设：Transformer 层每个词元保存约 16 个宽度为 d 的向量，即它各个乘积的输入，
# 其中 MLP 宽 4d 的隐藏层按四个计。
TRANSFORMER_VECTORS = 16
SCAN_VECTORS = 6  # 门控线性循环，假定它保存的与 LSTM 相当

options = {
    # 每个设备一篇文档：循环无法沿它自己的链切分。
    "LSTM，截断 BPTT（k = 512）": {
        "flops": TRAIN * 16 * T * d**2,
        "stored": LSTM_VECTORS * WINDOW * d * BYTES_PER_NUMBER,
        "reach": WINDOW,
    },
    # 文档切成 P 块；这一层的 FLOPs 由各设备分担。
    "Transformer，环形注意力": {
        "flops": TRAIN * (24 * T * d**2 + 4 * T**2 * d) // P,
        "stored": TRANSFORMER_VECTORS * (T // P) * d * BYTES_PER_NUMBER,
        "reach": T,
    },
    # 扫描同样可以沿序列切分：每个设备扫描自己的块，再把一个状态传给下一个设备。
    "线性循环，并行扫描": {
        "flops": TRAIN * 16 * T * d**2 // P,
        "stored": SCAN_VECTORS * (T // P) * d * BYTES_PER_NUMBER,
        "reach": T,
    },
}
show_options()

# %% [markdown] tags=["solution"]
# **LSTM** 的内存开销远低于另外两种，算术量也只线性增长，但有两点让它无法胜任这项任务。它的梯度只能延伸 512
# 个词元，所以没有任何东西能教会它把开头的一句话一直带到 100,000 个词元之后的问题那里：这个依赖关系的梯度恰好为零。而且它的 100,000
# 步要在一个设备上依次运行，这样的串行深度是任何硬件都缩短不了的。
#
# **Transformer** 能直接看到每一个依赖关系，环形注意力则把激活分摊到各个设备上，使它们放得下。但在 T = 100,000、d = 1,024
# 时，注意力核心的开销约为稠密层的 T / 6d ≈ 16 倍，所以这一层的总算术量是 LSTM 的二十多倍，只不过由各设备分担。这个估算没有计入每一层都要在环上传递的键和值（只有当每块的计算比它的传输耗时更长时，传输才能被掩盖），也没有计入因果掩码造成的负载不均衡；在这个意义上，它是偏乐观的。
#
# **线性循环**兼具 LSTM 的线性算术量、覆盖整篇文档的梯度，以及深度为对数级、可以跨设备切分的扫描。它的弱点不在这几列数字里：它对前
# 99,000 个词元所知道的一切，都必须装进一个固定大小的状态，而第 5
# 课展示了这在需要精确回忆的任务上要付出什么代价。一个好的答案最后可能会选择混合架构（大部分是循环层，外加少数注意力层），并说明哪项测量能做出最终判断。
