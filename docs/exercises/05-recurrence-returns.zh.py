# ---
# jupyter:
#   translation_of: fb8879d419bd
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
# # 练习：循环的回归
#
# 本笔记本为[循环的回归](../../lessons/05-recurrence-returns/)一课配了五道练习。每道练习都有一项任务、一个留给你填写的代码单元格，
# 以及一份等你尝试之后再展开的解答；第五道练习最后是一个没有唯一答案的开放性问题。每个单元格在 CPU 上都能在一秒之内跑完。
#
# 请先运行下一个单元格：它定义了本课的合并规则、合并结果必须与之吻合的循环，以及一个会统计自身轮数和合并次数的 Hillis–Steele 扫描。

# %%
import math

import torch
import torch.nn.functional as F


def combine(first, second):
    """先做映射 `first`，再做映射 `second`。映射 (a, b) 把 h 变为 a * h + b。"""
    a1, b1 = first
    a2, b2 = second
    return a1 * a2, a2 * b1 + b2


def loop_scan(pairs):
    """循环 h_t = a_t h_(t-1) + b_t，从 h_0 = 0 开始，一次一步。"""
    h, states = 0.0, []
    for a, b in pairs:
        h = a * h + b
        states.append(h)
    return states


def hillis_steele(pairs):
    """返回 (states, rounds, combines)。第 k 轮把每个元素与它前面相隔 2**k 个位置的元素合并。"""
    maps, rounds, combines = list(pairs), 0, 0
    shift = 1
    while shift < len(maps):
        # 新建一个列表：一轮中的每次合并读取的都是上一轮的映射。
        maps = [combine(maps[i - shift], m) if i >= shift else m for i, m in enumerate(maps)]
        combines += len(maps) - shift
        rounds += 1
        shift *= 2
    return [b for _, b in maps], rounds, combines


torch.manual_seed(0)
generator = torch.Generator().manual_seed(0)

# %% [markdown]
# ## 练习 1：工作高效的扫描
#
# 编写 `blelloch(pairs)`，即对映射 `(a, b)` 做 Blelloch 扫描，返回 `(states, rounds, combines)`。
#
# 1. 用恒等映射 `(1.0, 0.0)` 把列表补齐到 2 的幂 `P`。
# 2. **上扫（up-sweep）。** 对 `d = 1, 2, 4, ...`，只要 `d < P`：在每个含 `2 * d` 个元素的块中，把块的最后一个元素替换为
#    `combine(middle, last)`，其中 `middle` 是块中位置 `d - 1` 上的元素。每个 `d` 一轮。
# 3. **下扫（down-sweep）。** 对 `d = P // 4, ..., 2, 1`：在除第一个块以外的每个含 `2 * d` 个元素的块中，把块中位置
#    `d - 1` 上的元素替换为 `combine(x, 该元素)`，其中 `x` 是紧挨在该块之前的那个元素。每个 `d` 一轮。
#
# 完成之后，元素 `t` 保存的是映射 `0` 到 `t` 的合并结果。在 T = 1,000 时把你的扫描与循环对照检查，并把它的轮数和合并次数与
# Hillis–Steele 的作比较。

# %%
T = 1_000
a_values = (0.9 + 0.1 * torch.rand(T, generator=generator, dtype=torch.float64)).tolist()
b_values = torch.randn(T, generator=generator, dtype=torch.float64).tolist()
pairs = list(zip(a_values, b_values, strict=True))


def blelloch(pairs):
    """轮到你了：返回 (states, rounds, combines)。"""
    return None


def check_blelloch():
    result = blelloch(pairs)
    if result is None:
        print("TODO：先在上面写好 blelloch，再运行这个单元格。")
        return
    states, rounds, combines = result
    expected = loop_scan(pairs)
    # 同样的 float64 合并换了一种顺序：结果在舍入误差范围内相等，而不是逐位相同。
    assert all(math.isclose(s, e, rel_tol=1e-9, abs_tol=1e-9) for s, e in zip(states, expected, strict=True))
    _, hs_rounds, hs_combines = hillis_steele(pairs)
    print(f"循环：         {T:6,} 步，{T:6,} 次合并")
    print(f"Hillis–Steele：{hs_rounds:6,} 轮，{hs_combines:6,} 次合并")
    print(f"Blelloch：     {rounds:6,} 轮，{combines:6,} 次合并")


check_blelloch()


# %% tags=["solution"]
def blelloch(pairs):
    P = 1 << (len(pairs) - 1).bit_length()  # 不小于长度的最小的 2 的幂
    x = list(pairs) + [(1.0, 0.0)] * (P - len(pairs))  # 用恒等映射补齐
    rounds = combines = 0
    d = 1
    while d < P:  # 上扫：每个含 2d 个元素的块，最后一个元素是这 2d 个映射的合并结果
        for start in range(0, P, 2 * d):
            x[start + 2 * d - 1] = combine(x[start + d - 1], x[start + 2 * d - 1])
            combines += 1
        rounds += 1
        d *= 2
    d = P // 4
    while d >= 1:  # 下扫：把每个块的前缀交给下一个块的中间位置
        for start in range(2 * d, P, 2 * d):
            x[start + d - 1] = combine(x[start - 1], x[start + d - 1])
            combines += 1
        rounds += 1
        d //= 2
    return [b for _, b in x[:len(pairs)]], rounds, combines


check_blelloch()

# %% [markdown] tags=["solution"]
# T = 1,000 时，扫描补齐到 P = 1,024。上扫需要 log₂ 1,024 = 10 轮、1,023 次合并；下扫需要 9 轮、1,013 次合并。
# 合计 19 轮、2,036 次合并，正是本课表格中的公式 2P − log₂ P − 2：工作量约为循环的两倍，还不到 Hillis–Steele 8,977
# 次合并的四分之一，而后者只需 10 轮。
#
# 同一轮中的每次合并读取的元素，都不会被这一轮中的其他合并写入，所以在并行机器上，每一轮就是一步。这就是本课所说的工作量与深度的权衡：
# Blelloch 以两倍的轮数，换来了很小的总工作量。

# %% [markdown]
# ## 练习 2：闭式解在哪里失效，又该如何修复
#
# 本课的闭式解是 `h = A * cumsum(b / A)`，其中 `A = cumprod(a)`。取常数 `a = 0.95`，使用 float32。
#
# 1. 在运行任何代码之前，先预测：在什么长度 T 上，`A` 会降到 float32 最小的正规数 `torch.finfo(torch.float32).tiny`
#    以下；又在什么长度上，`1 / A` 会超过它的最大数 `torch.finfo(torch.float32).max`。（取对数即可。）
# 2. 编写 `first_broken(h, reference)`：返回闭式解的输出首次不再有限、或误差（相对于该步上最大的 |h|）超过 1e-3 时的长度 T。
# 3. 编写 `chunked(a, b, chunk)`：在每块 `chunk` 步之内使用闭式解，并把每块的最后一个状态传入下一块。检查它在每个长度上都保持准确。

# %%
T2 = 4_096
rows = 8
a2 = torch.full((rows, T2), 0.95)  # (rows, T)：时间位于最后一个、内存连续的轴上
b2 = torch.randn(rows, T2, generator=generator)

# 参考结果：在同样的 float32 输入上，用 float64 运行循环。
reference = torch.empty(rows, T2, dtype=torch.float64)
h = torch.zeros(rows, dtype=torch.float64)
for t in range(T2):
    h = a2[:, t].double() * h + b2[:, t].double()
    reference[:, t] = h


def closed_form(a, b):
    A = torch.cumprod(a, dim=1)
    return A * torch.cumsum(b / A, dim=1)


def relative_error(h, reference):
    """每一步上各行中最大的误差，相对于该步上最大的 |h|。形状为 (T,)"""
    return (h.double() - reference).abs().amax(0) / reference.abs().amax(0)


def first_broken(h, reference):
    """轮到你了：h 首次不再有限、或误差超过 1e-3 时的长度 T（从 1 开始计数）。"""
    return None


def chunked(a, b, chunk=64):
    """轮到你了：在每块 `chunk` 步之内使用闭式解，并在块与块之间传递状态。"""
    return None


def check_closed_forms():
    broken = first_broken(closed_form(a2, b2), reference)
    if broken is None:
        print("TODO：先在上面写好 first_broken，再运行这个单元格。")
        return
    print(f"闭式解在 T = {broken:,} 处首次失效")
    repaired = chunked(a2, b2)
    if repaired is None:
        print("TODO：先在上面写好 chunked，再运行这个单元格。")
        return
    error = relative_error(repaired, reference).max().item()
    assert error < 1e-4, f"分块形式的误差为 {error:.1e}"
    print(f"直到 T = {T2:,}，分块形式与 float64 结果的差距都在 {error:.1e} 以内")


check_closed_forms()


# %% tags=["solution"]
tiny, largest = torch.finfo(torch.float32).tiny, torch.finfo(torch.float32).max
print(f"从 T = {math.log(tiny) / math.log(0.95):,.0f} 起，A_T < tiny")
print(f"从 T = {math.log(1 / largest) / math.log(0.95):,.0f} 起，1 / A_T > max")


def first_broken(h, reference):
    broken = ~torch.isfinite(h).all(0) | ~(relative_error(h, reference) <= 1e-3)  # NaN 的比较结果为 False
    hits = torch.nonzero(broken)
    return int(hits[0, 0]) + 1 if len(hits) else None


def chunked(a, b, chunk=64):
    R, T = a.shape
    h_last = a.new_zeros(R)  # 上一块留下的状态
    pieces = []
    for start in range(0, T, chunk):
        a_c, b_c = a[:, start:start + chunk], b[:, start:start + chunk]  # (R, chunk)
        A = torch.cumprod(a_c, dim=1)  # 至少为 0.95**64，约 0.04：离下溢还很远
        h_c = A * (h_last[:, None] + torch.cumsum(b_c / A, dim=1))  # (R, chunk)
        pieces.append(h_c)
        h_last = h_c[:, -1]
    return torch.cat(pieces, dim=1)


check_closed_forms()

# %% [markdown] tags=["solution"]
# ln(1.18e-38) / ln(0.95) ≈ 1,703：从这里开始，`A` 是一个次正规数，有效位越来越少；而 `1 / A` 大约在 1,730 处上溢为无穷大。
# 测得的失效点接近这些预测，这里还略早一些：`b / A` 的累积和比 `1 / A` 本身增长得更大，因此更早达到 float32 的最大数。
# 无论哪种情况，误差都会在几步之内从约 1e-7 跳到无穷大。
#
# 在一个 64 步的块内，乘积永远不会低于 0.95⁶⁴ ≈ 0.04，所以 `b / A` 保持在适中的范围内，分块形式与循环一样准确。它的串行部分是每块一步，
# 共 T / 64 步；在各块的映射上再做一次短扫描，还能进一步缩短它。如果 `a` 接近 0，乘积会缩小得快得多，块就必须更短。正因如此，
# Mamba-2 这样的分块算法使用的是短跨度内乘积的比值，而从不使用整个序列的累积乘积。

# %% [markdown]
# ## 练习 3：线性注意力的两种算法
#
# 下面的单元格以并行形式计算因果线性注意力：一个由相似度 φ(q_t) · φ(k_s) 构成、按 s ≤ t 加掩码的 T × T 矩阵，其中
# φ(x) = elu(x) + 1。编写 `linear_attention_recurrent(q, k, v)`，像本课那样，由状态 `S`（d × d）和 `z`（d）逐个位置地算出同样的输出。
# 检查两者一致，然后把循环形式保存的数的个数，与 T 个词元之后 KV 缓存所保存的作比较。

# %%
T3, d = 256, 16
q, k, v = (torch.randn(T3, d, generator=generator, dtype=torch.float64) for _ in range(3))  # 形状均为 (T, d)


def phi(x):
    return F.elu(x) + 1  # 取值为正，所以归一化项永远不会为零


def linear_attention_parallel(q, k, v):
    scores = (phi(q) @ phi(k).T).tril()  # (T, T)：位置 t 看得到 s <= t
    return scores @ v / scores.sum(dim=1, keepdim=True)  # (T, d)


def linear_attention_recurrent(q, k, v):
    """轮到你了：同样的输出 (T, d)，由在每个位置更新的状态 S（d x d）和 z（d）得到。"""
    return None


def check_linear_attention():
    recurrent = linear_attention_recurrent(q, k, v)
    if recurrent is None:
        print("TODO：先在上面写好 linear_attention_recurrent，再运行这个单元格。")
        return
    assert torch.allclose(recurrent, linear_attention_parallel(q, k, v), rtol=1e-10, atol=1e-12)
    print("循环形式与并行形式的结果一致")
    print(f"循环状态：{d * d + d:,} 个数，与长度无关")
    print(f"{T3} 个词元之后的 KV 缓存：{2 * T3 * d:,} 个数，每个词元增加 {2 * d} 个")


check_linear_attention()


# %% tags=["solution"]
def linear_attention_recurrent(q, k, v):
    S = q.new_zeros(d, d)  # phi(k_s) v_s^T 的累加和
    z = q.new_zeros(d)  # phi(k_s) 的累加和
    outputs = []
    for t in range(len(q)):
        S = S + torch.outer(phi(k[t]), v[t])
        z = z + phi(k[t])
        outputs.append(phi(q[t]) @ S / (phi(q[t]) @ z))
    return torch.stack(outputs)  # (T, d)


check_linear_attention()

# %% [markdown] tags=["solution"]
# 两种形式在舍入误差范围内一致。循环形式保存 d² + d = 272 个数；KV 缓存在 256 个词元之后保存 2·T·d = 8,192 个数，而且只需
# 9 个词元就会超过状态的大小（2·9·16 = 288）。训练用的是并行形式：它的 T × T 矩阵用几次大型矩阵乘积就能算出。生成用的则是循环形式。
# 同一个层可以用任一种方式运行，这正是论文标题 “Transformers are RNNs” 的意思。

# %% [markdown]
# ## 练习 4：一个固定的状态能放下多少个键值对？
#
# 随机抽取 `n` 个单位键和 `n` 个单位值，维度 d = 32。把它们全部写进同一个 d × d 的状态 `S = sum of k_i v_iᵀ`
# （即 k_i v_iᵀ 之和），这就是去掉特征映射的线性注意力的状态。用 `S.T @ k_i` 读回值 `i`；如果读出的结果（按点积衡量）与 `v_i`
# 的距离比与其他任何存储的值都近，就算作成功回忆。
#
# 编写 `state_recall(keys, values)`，返回成功回忆的比例。让 n 从 8 取到 512 运行它。回忆从哪里开始出错？这与 d 相比如何？
# 这个单元格还会在同样的键值对上测量注意力的回忆，注意力保存了全部 n 个键和值。

# %%
d4 = 32
sizes = (8, 16, 32, 64, 128, 256, 512)


def random_units(n):
    return F.normalize(torch.randn(n, d4, generator=generator, dtype=torch.float64), dim=1)  # (n, d)


def attention_recall(keys, values, sharpness=20.0):
    """在全部 n 个存储的键值对上做 softmax 注意力，用每个键去查询：返回成功回忆的比例。"""
    weights = torch.softmax(sharpness * keys @ keys.T, dim=1)  # (n, n)
    read = weights @ values  # (n, d)
    return ((read @ values.T).argmax(dim=1) == torch.arange(len(keys))).double().mean().item()


def state_recall(keys, values):
    """轮到你了：把每个键值对写进同一个 d x d 状态，再读回每个值，返回成功回忆的比例。"""
    return None


def compare_recall():
    print("    n     固定状态      注意力")
    for n in sizes:
        keys, values = random_units(n), random_units(n)
        fixed = state_recall(keys, values)
        if fixed is None:
            print("TODO：先在上面写好 state_recall，再运行这个单元格。")
            return
        print(f"{n:5}   {fixed:10.0%}   {attention_recall(keys, values):9.0%}")


compare_recall()


# %% tags=["solution"]
def state_recall(keys, values):
    S = keys.T @ values  # (d, d)：k_i v_i^T 之和，无论 n 是多少
    read = keys @ S  # (n, d)：第 i 行是 S^T k_i
    return ((read @ values.T).argmax(dim=1) == torch.arange(len(keys))).double().mean().item()


compare_recall()

# %% [markdown] tags=["solution"]
# 只要 n 不超过大约 d，从固定状态中回忆就是完美的；超过之后，回忆率迅速下降：d = 32 时，n = 64 就已经不再完美，到 128 时则相去甚远。
# 读取键 i 得到的是 v_i，再加上其他每个值的一小部分，权重取决于其他键与 k_i 的重叠程度。d 维空间中的随机单位键彼此之间的重叠约为
# 1/√d，所以 n − 1 个键造成的串扰按 √(n/d) 增长，最终淹没正确的值。注意力保留了每一个键值对，所以它的回忆始终是完美的：
# 代价是随 n 增长的内存。
#
# 学习得到的模型可以比随机键做得更好，但超越不了本课的计数论证：一个精度固定的 d × d 状态只能容纳有限的比特数。这正是 Zoology
# 研究在大规模上测量到的效应，也是混合模型要保留几个注意力层的原因。

# %% [markdown]
# ## 练习 5：一个能追踪奇偶性的转移，以及一个开放的设计问题
#
# 先从最小的状态追踪任务开始。下面的单元格借助第一个单元格中的 Hillis–Steele 扫描，在一个比特串上运行单通道循环
# `h_t = a(x_t) * h_(t-1)`（从 `h_0 = 1` 开始），并检查 `h_t` 的符号是否在每一步都表明到目前为止 1 的个数是否为奇数。
# 编写 `transition(bit)`，即一个比特所对应的 `a`。然后试一个介于 0 与 1 之间的转移（本课表格中的每个门都是如此），看看什么会失败。
#
# 这个开放性问题就是本课的练习 5：为一个模型设计序列混合层，它既要在长程序中追踪变量，又要精确回忆定义，而每个序列的内存是固定的。
# 在阅读解答下方的说明之前，先把你的答案写下来。

# %%
import random


def parity_through_scan(bits, transition):
    """h_t = a(x_t) h_(t-1)（h_0 = 1）的状态 h_1..h_T，由扫描算出。"""
    pairs = [(transition(bit), 0.0) for bit in bits]
    a_first, _ = pairs[0]
    pairs[0] = (a_first, a_first)  # 扫描从 h_0 = 0 开始，所以第一步写入 a(x_1) * 1
    states, _, _ = hillis_steele(pairs)
    return states


def tracks_parity(transition, strings=200, length=64, seed=5):
    """在随机比特串上，sign(h_t) < 0 恰好出现在前缀中 1 的个数为奇数的位置时，返回 True。"""
    rng = random.Random(seed)
    for _ in range(strings):
        bits = [rng.randint(0, 1) for _ in range(length)]
        states = parity_through_scan(bits, transition)
        odd = [sum(bits[: t + 1]) % 2 == 1 for t in range(length)]
        if [h < 0 for h in states] != odd:
            return False
    return True


def transition(bit):
    """轮到你了：一个比特所对应的转移 a，使 h 的符号在每个 1 处翻转。"""
    return None


if transition(1) is None:
    print("TODO：先在上面写好 transition，再运行这个单元格。")
else:
    print("能否追踪奇偶性：", tracks_parity(transition))


# %% tags=["solution"]
def transition(bit):
    return -1.0 if bit else 1.0  # 遇到 1 时是一次反射，遇到 0 时是恒等映射


def halving(bit):
    return 0.5 if bit else 1.0  # 位于 [0, 1] 内，与本课表格中的每个门一样


print("a(1) = -1 能否追踪奇偶性：", tracks_parity(transition))
print("a(1) = 1/2 能否追踪奇偶性：", tracks_parity(halving))
print("1011 这个例子：", parity_through_scan([1, 0, 1, 1], transition))

# %% [markdown] tags=["solution"]
# 取 `a(1) = -1` 时，符号在每个 1 处翻转，检查在每个长度上都能通过，而且是由对数深度的扫描算出的；对于 1011，状态依次为
# -1、-1、1、-1，与本课的表格一致。取 `a(1) = 1/2` 时，符号从不改变，所以检查在第一个 1 处就失败了。`2**-n` 这个值确实记录了
# 1 的个数，但 float64 在大约一千个 1 之后就会超出范围，而且对 h 取阈值的读出方式根本无法从中恢复奇偶性。Grazzi 等人证明了，
# 转移只有正特征值的有限精度线性循环无法解决奇偶性问题。
#
# 这个开放性问题没有唯一的答案；下面是一个好的答案会权衡的内容。
#
# - **内存，用算术来算。** 无论长度多少，状态都是 `L * H * d_k * d_v * b` 字节；KV 缓存则每个词元增长固定的量（第 4 课）。
#   在一百万个词元时，即使只有几个注意力层，也会占去预算的大头，所以要算一算预算允许有几个注意力层，或者它们能否使用滑动窗口。
# - **追踪。** 转移必须能够翻转或置换状态：负特征值（让 beta 最大取到 2 的 delta 规则，或取值在 [-1, 1] 内的衰减）、RWKV-7
#   那样的非对角转移，或者 sLSTM 那样的非线性层，代价是只能逐步训练它。
# - **回忆。** 要精确查找很久以前的某个定义，要么需要一个足以容纳所有定义的大状态，要么需要几个注意力层；Zoology 的结果倾向于后者。
# - **训练。** 每一层是否仍然可以分块训练？块的大小又要付出什么代价？
# - **证据。** 说明哪些论断依赖于证明（奇偶性，以及基于一个猜想的 TC⁰ 结论），哪些依赖于已报告的结果，哪些依赖于你自己的测量；
#   并说明哪些测试会改变这个设计：在超出训练长度的序列上做奇偶性和置换复合测试，以及让存储的键值对数量逐级变化的回忆测试。
