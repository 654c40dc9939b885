# ---
# jupyter:
#   translation_of: ed29acd0fde1
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
# # 练习：沿序列传递信息的两种方式
#
# 本笔记本为[沿序列传递信息的两种方式](../../lessons/01-two-ways/)一课提供四道练习。每道练习都有一项任务、
# 一个供你填写的代码单元，以及一份参考解答，请先自己尝试，再展开查看。每个单元在 CPU 上的运行时间都远不到一秒。
#
# 请先运行下一个单元：它定义了课程中的两种层，规模很小，并且使用 float64，以免练习 1 中的梯度被舍入误差吞掉。

# %%
import math

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)

T, D = 64, 16  # 序列长度和宽度：都很小，每个单元都能瞬间运行完


class RecurrentLayer(torch.nn.Module):
    """h_t = tanh(W h_(t-1) + U x_t + b)，每次计算一步。返回所有状态，(T, D)。"""

    def __init__(self, d):
        super().__init__()
        self.W = torch.nn.Linear(d, d, bias=False)
        self.U = torch.nn.Linear(d, d)

    def forward(self, x):  # x: (T, D)
        h, states = torch.zeros(x.shape[1]), []
        for x_t in x:  # 依赖链：每一步都需要上一步留下的状态
            h = torch.tanh(self.W(h) + self.U(x_t))
            states.append(h)
        return torch.stack(states)  # (T, D)


class AttentionLayer(torch.nn.Module):
    """对整个序列一次性计算 softmax(Q K^T / sqrt(d)) V。返回 (T, D)。"""

    def __init__(self, d, causal=True):
        super().__init__()
        self.q, self.k, self.v = (torch.nn.Linear(d, d, bias=False) for _ in range(3))
        self.causal = causal

    def forward(self, x):  # x: (T, D)
        scores = self.q(x) @ self.k(x).T / math.sqrt(x.shape[1])  # (T, T)
        if self.causal:  # 位置 i 只能读取位置 0..i
            future = torch.triu(torch.ones_like(scores, dtype=torch.bool), diagonal=1)
            scores = scores.masked_fill(future, -math.inf)
        return torch.softmax(scores, dim=-1) @ self.v(x)  # (T, D)


rnn = RecurrentLayer(D)
attention = AttentionLayer(D)
x = torch.randn(T, D)
print("输出形状：", tuple(rnn(x).shape), tuple(attention(x).shape))

# %% [markdown]
# ## 练习 1：用梯度测量路径长度
#
# 课程中说，来自 `k` 步之前的信息要经过 `k` 次更新才能到达循环层的输出，而到达注意力层的输出只需一步。
# 梯度沿同一条路径反向传播，所以梯度的大小能反映这条路径。
#
# 编写 `gradient_by_distance(layer, x)`。它应返回一个包含 `T` 个数的张量：第 `k` 项是 `r · y[T-1]`
# （最后一个输出在固定随机向量 `r` 上的投影）关于输入 `x[T-1-k]` 的梯度的范数，再除以 `k = 0` 时的那一项。
# 运行检查之前，先预测这两条曲线会是什么样子。

# %%
r = torch.randn(D)  # 一个固定的投影，使输出成为一个数


def gradient_by_distance(layer, x):
    """轮到你了：在距最后一个位置 k 步处，梯度的范数，以 k = 0 时的值为基准。"""
    return None


def compare_paths():
    curves = {name: gradient_by_distance(layer, x) for name, layer in
              [("tanh RNN", rnn), ("因果注意力", attention)]}
    if any(c is None for c in curves.values()):
        print("TODO：先写好上面的 gradient_by_distance，再运行本单元。")
        return
    print(f"{'距离 k':>18}" + "".join(f"{k:>10}" for k in (1, 4, 16, T - 1)))
    for name, curve in curves.items():
        assert curve.shape == (T,) and math.isclose(curve[0].item(), 1.0)
        print(f"{name:>18}" + "".join(f"{curve[k].item():>10.1e}" for k in (1, 4, 16, T - 1)))


compare_paths()


# %% tags=["solution"]
def gradient_by_distance(layer, x):
    x = x.clone().requires_grad_()
    (layer(x)[-1] @ r).backward()
    norms = x.grad.norm(dim=1).flip(0)  # (T,)：第 k 项对应 x[T-1-k]
    return norms / norms[0]


compare_paths()

# %% [markdown] tags=["solution"]
# RNN 的梯度每一步大致按一个固定的比例缩小：在对数坐标下是一条直线，也就是指数衰减。往回十几步，
# 一个输入就几乎影响不到最后的输出了，训练因此几乎得不到把两者联系起来的信号。这就是梯度消失；
# 课程中的图显示，LSTM 和 GRU 在初始化时也有同样的衰减。
#
# 注意力层的梯度在相邻位置之间忽高忽低，这取决于随机权重的运气，但它没有随距离变化的趋势：
# 63 步之前的输入与仅 1 步之前的输入差不多同样容易到达，因为每个更早的输入都只有一步之遥。
# 公式中没有任何东西偏向近处的输入。

# %% [markdown]
# ## 练习 2：层知道顺序吗？
#
# 编写 `order_blind(layer, x)`。它用一个随机排列 `p` 打乱 `x` 中各位置的顺序；如果输出只是以同样的方式被打乱，
# 即在舍入误差范围内（`torch.allclose`）满足 `layer(x[p]) == layer(x)[p]`，就返回 `True`。
#
# 在 RNN 和一个*不带*因果掩码的注意力层上测试它。然后像原始的 Transformer 那样，给注意力层的输入加上正弦位置编码，
# 为它提供顺序信息，再测试一次。为什么这个测试要用不带因果掩码的注意力层？

# %%
def sinusoidal_positions(t, d):
    """Vaswani 等（2017）：位置在按几何级数间隔的各个频率上的 sin 和 cos。(t, d)。"""
    position = torch.arange(t).unsqueeze(1)  # (t, 1)
    frequency = torch.exp(-math.log(10_000.0) * torch.arange(0, d, 2) / d)  # (d/2,)
    encoding = torch.zeros(t, d)
    encoding[:, 0::2] = torch.sin(position * frequency)
    encoding[:, 1::2] = torch.cos(position * frequency)
    return encoding


unmasked = AttentionLayer(D, causal=False)
positions = sinusoidal_positions(T, D)


def order_blind(layer, x):
    """轮到你了：如果打乱输入的位置只会打乱输出，就返回 True。"""
    return None


def test_order():
    layers = {
        "tanh RNN": rnn,
        "注意力，无掩码": unmasked,
        "注意力 + 位置编码": lambda x: unmasked(x + positions),  # 位置 t 总是加上第 t 行
    }
    results = {name: order_blind(layer, x) for name, layer in layers.items()}
    if None in results.values():
        print("TODO：先写好上面的 order_blind，再运行本单元。")
        return
    for name, blind in results.items():
        print(f"{name:>22}：{'看不出顺序' if blind else '能看出顺序'}")


test_order()


# %% tags=["solution"]
def order_blind(layer, x):
    p = torch.randperm(x.shape[0])
    with torch.no_grad():
        return torch.allclose(layer(x[p]), layer(x)[p])


test_order()

# %% [markdown] tags=["solution"]
# RNN 能看出顺序：它在每一步的状态都取决于之前的全部输入，所以打乱输入改变的是输出本身，而不只是输出的顺序。
#
# 不带掩码的注意力则看不出顺序。每个输出都是一个加权平均，其权重只取决于查询和键，所以移动一个词元，
# 它的输出也随之移动，此外什么都不变。在普通的注意力看来，序列就是一个集合。
#
# 加上位置编码就解决了这个问题。词元移动时，位置 `t` 的编码仍留在第 `t` 行，所以被打乱的词元会带上不同的编码，
# 产生不同的输出。
#
# 测试之所以要用不带掩码的层，是因为因果掩码本身就是顺序信息的一个来源：第一个位置只能读取它自己，
# 最后一个位置能读取全部位置，所以打乱词元会改变每个词元能看到的内容。

# %% [markdown]
# ## 练习 3：统计解析开销
#
# Vaswani 等人（2017，表 1）给出，循环层的运算量为 $O(n \cdot d^2)$，自注意力为 $O(n^2 \cdot d)$。
# 请精确地统计它们，一次乘加记作 2 FLOPs：
#
# - `recurrent_flops(n, d)`：`n` 步中的每一步，都要用一个 $d \times d$ 矩阵乘以状态，再用另一个乘以输入。
# - `attention_core_flops(n, d)`：先计算 $n \times n$ 的分数 $QK^\top$，再对值加权求和。
#   不计投影和 softmax。
#
# 找出当 `d = 64` 时，使注意力核心的开销不低于循环层的最小 `n`。然后填写顺序步数：每种层处理一个长度为 `n`
# 的已知序列时的步数，以及每种模型生成 `n` 个新词元时的步数。

# %%
WIDTH = 64


def recurrent_flops(n, d):
    """轮到你了：tanh(W h + U x) 运行 n 步所需的 FLOPs。"""
    return None


def attention_core_flops(n, d):
    """轮到你了：对 n 个位置计算 softmax(Q K^T / sqrt(d)) V 所需的 FLOPs，不含投影。"""
    return None


# 轮到你了：顺序步数，写成 n 的函数。
SEQUENTIAL_STEPS = {
    "循环层，已知序列": None,
    "注意力层，已知序列": None,
    "任一模型，生成 n 个词元": None,
}


def compare_costs():
    if recurrent_flops(1, 1) is None or attention_core_flops(1, 1) is None:
        print("TODO：先写好上面的两个 FLOP 计数，再运行本单元。")
        return
    print(f"{'n':>6}{'循环层':>14}{'注意力':>14}")
    for n in (16, 32, 64, 128, 256, 1024):
        print(f"{n:>6}{recurrent_flops(n, WIDTH):>14,}{attention_core_flops(n, WIDTH):>14,}")
    crossing = next(n for n in range(1, 10_000)
                    if attention_core_flops(n, WIDTH) >= recurrent_flops(n, WIDTH))
    print(f"从 n = {crossing} 起，注意力的开销不低于循环层（d = {WIDTH}）")
    if None in SEQUENTIAL_STEPS.values():
        print("TODO：填写 SEQUENTIAL_STEPS。")
        return
    for what, steps in SEQUENTIAL_STEPS.items():
        print(f"{what:>34}：n = 1,000 时需要 {steps(1_000):>5} 个顺序步")


compare_costs()


# %% tags=["solution"]
def recurrent_flops(n, d):
    return n * 2 * (2 * d * d)  # 每一步做两次 d×d 矩阵与向量的乘法


def attention_core_flops(n, d):
    return 2 * (2 * n * n * d)  # Q K^T：n² 个长度为 d 的点积；权重 @ V：同样多


SEQUENTIAL_STEPS = {
    "循环层，已知序列": lambda n: n,  # 由状态构成的链
    "注意力层，已知序列": lambda n: 1,  # 几次矩阵乘法，与 n 无关
    "任一模型，生成 n 个词元": lambda n: n,  # 每个词元都是下一个词元的输入
}

compare_costs()

# %% [markdown] tags=["solution"]
# 循环层的开销为 $4nd^2$ FLOPs，注意力核心为 $4n^2d$。两者在 $n = d$ 时相等：当 `d = 64` 时，即 `n = 64`。
# 在此之下，注意力的算术运算更少；在此之上则更多，而且差距与 `n` 成正比地增长。这正是论文中那句话的意思：
# 序列比表示短时，自注意力更便宜。真实的 Transformer 层还有投影和 MLP，约 $24nd^2$ FLOPs，
# 它们会把注意力在整层中占主导的那个长度推到 `d` 的好几倍。
#
# 顺序步数讲的是另一半。在已知序列上，循环层需要按顺序执行 `n` 步，而注意力无论 FLOPs 多少，只需一轮矩阵乘法：
# 这就是为什么即使算术运算更多，注意力在并行硬件上仍然训练得更快。生成时，两者都需要 `n` 步，每个词元一步。

# %% [markdown]
# ## 练习 4：模型用到位置信息了吗？用的是哪一种？
#
# 这是一道开放题：没有唯一正确的设计。想一想，你会如何通过实验判断一个模型是否用到了词元的位置，
# 以及它用的是绝对位置，还是只用位置之间的距离。然后在三个不带掩码的注意力层上试验你的设计：
# 一个没有位置信息；一个在输入上加了正弦编码（绝对位置）；一个使用旋转位置嵌入（RoPE），
# 它把每个查询和键旋转一个与其位置成正比的角度。
#
# 下面的每个层都以 `layer(x, start)` 的形式调用，其中 `start` 是第一个词元的位置，
# 这样你就能在不改变词元的情况下，把整个序列整体平移。编写 `probe(layer, x)`：它应返回一个字典，
# 记录你的实验发现了什么，例如 `{"order": True, "absolute": False}`。整个序列平移时，
# 一个只使用距离的模型会有什么表现？什么可能骗过你的测试？

# %%
def rotate(v, positions, base=10_000.0):
    """RoPE（Su 等，2021）：把 v (T, D) 每一行的第 i 对分量旋转角度 position * base^(-2i/D)。"""
    theta = base ** (-torch.arange(0, v.shape[1], 2) / v.shape[1])  # (D/2,)
    angle = positions.unsqueeze(1) * theta  # (T, D/2)
    even, odd = v[:, 0::2], v[:, 1::2]
    turned = torch.empty_like(v)
    turned[:, 0::2] = even * torch.cos(angle) - odd * torch.sin(angle)
    turned[:, 1::2] = even * torch.sin(angle) + odd * torch.cos(angle)
    return turned


def rotary_attention(x, start=0):
    """练习 2 中不带掩码的层，其查询和键按位置旋转。(T, D)"""
    positions = torch.arange(start, start + x.shape[0], dtype=x.dtype)
    q, k = rotate(unmasked.q(x), positions), rotate(unmasked.k(x), positions)
    return torch.softmax(q @ k.T / math.sqrt(x.shape[1]), dim=-1) @ unmasked.v(x)


CANDIDATES = {
    "无位置信息": lambda x, start=0: unmasked(x),
    "正弦编码，加到输入上": lambda x, start=0: unmasked(x + sinusoidal_positions(start + len(x), D)[start:]),
    "旋转（RoPE）": rotary_attention,
}


def probe(layer, x):
    """轮到你了：在一个层上运行你的实验，把发现以字典的形式返回。"""
    return None


def run_probes():
    found = {name: probe(layer, x) for name, layer in CANDIDATES.items()}
    if None in found.values():
        print("TODO：先写好上面的 probe，再运行本单元。")
        return
    for name, result in found.items():
        print(f"{name:>18}：{result}")


run_probes()


# %% tags=["solution"]
def probe(layer, x, shift=100):
    """众多设计中的一种：先打乱词元，再把整个序列整体平移。"""
    p = torch.randperm(x.shape[0])
    with torch.no_grad():
        reference = layer(x)
        order = not torch.allclose(layer(x[p]), reference[p])  # 输出的变化不只是跟着被打乱
        absolute = not torch.allclose(layer(x, start=shift), reference)  # 整体平移会改变输出
    return {"用到顺序": order, "用到绝对位置": absolute}


run_probes()

# %% [markdown] tags=["solution"]
# 两种干预分别回答两个问题。打乱词元，问的是顺序究竟重不重要：没有位置信息的层只会让输出随词元一起被打乱。
# 把整个序列平移 100 个位置，每个距离都保持不变，而每个绝对位置都变了：只看距离的层给出相同的输出，
# 读取绝对位置的层则不然。
#
# 正弦编码层既能看出顺序，也能看出绝对位置，因为它的编码是加到词元上的。旋转位置嵌入层能看出顺序，
# 但平移序列（在舍入误差范围内）不会改变任何东西：它的分数只通过 $m - n$ 依赖于位置。
#
# 对于训练好的语言模型，这两个思路同样适用，只是要更加小心。打乱真实文本中的词，测量损失上升了多少；
# 在一段文字前面填充中性的文本，把它整体后移，看预测是否改变。其他设计还有：训练一个线性探针，
# 从隐状态中读出每个词元的位置；或者去掉位置编码，再短暂地微调。可能骗过测试的因素有：
# 因果掩码本身就会透露顺序（第一个词元只看到一个词元，最后一个词元能看到全部）；答案与顺序无关的任务给不出任何信号；
# 填充可能会改变模型所关注的内容，而原因与位置毫无关系。
