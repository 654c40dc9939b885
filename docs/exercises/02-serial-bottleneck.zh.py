# ---
# jupyter:
#   translation_of: 2467f23f45a4
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
# # 练习：串行瓶颈
#
# 本笔记本为[串行瓶颈](../../lessons/02-serial-bottleneck/)一课提供五道练习。每道练习都有一项任务、
# 一个供你填写的代码单元，以及一份参考解答，请先自己尝试，再展开查看。每个单元在 CPU 上最多运行几秒。
# 你测得的时间取决于你的机器，重要的是它们相互之间的比较。练习 4 导入了本站自己的测量代码，
# 所以要在本仓库的一份检出中运行（先执行 `make setup`，再在它的 `.venv` 中运行本笔记本）；
# 如果有 GPU，它就会使用 GPU。最后一道练习没有唯一正确的答案。
#
# 请先运行下一个单元：它定义了课程中的循环，以及一个小小的计时辅助函数。

# %%
import math
import random
import statistics
import timeit

import torch


def rnn_style(xs, decay=0.9):
    """课程中的循环，状态只有一个数。"""
    h = 0.0
    for x in xs:
        h = decay * h + x  # 每一步都需要上一步的 h
    return h


def seconds_per_call(fn, number=1, repeat=5):
    """fn() 每次调用所需的秒数：取 `repeat` 次运行的中位数。

    每次运行调用 `number` 次：如果一次调用短到读一次时钟的开销
    就与调用本身相当，就多调用几次。取中位数，是因为繁忙的机器
    会拖慢其中几次运行。
    """
    runs = timeit.repeat(fn, number=number, repeat=repeat)
    return statistics.median(runs) / number


rng = random.Random(0)

# %% [markdown]
# ## 练习 1：更宽的状态
#
# `rnn_style` 的状态只有一个数；循环网络的状态则是一个向量。编写 `rnn_style_vector(xs, decay)`，
# 让它的状态 `h` 是一个包含 64 个数的列表。每个输入 `xs[t]` 也是一个包含 64 个数的列表，
# 每一步依次更新每个元素：`h[i] = decay * h[i] + x[i]`。
#
# 运行之前，先预测每一步的时间与标量版本相比会如何变化。然后测量它。增长的是工作量，还是串行深度？

# %%
WIDTH = 64
STEPS = 2_000
xs_scalar = [rng.uniform(-1.0, 1.0) for _ in range(STEPS)]
xs_vector = [  # STEPS 个列表，每个包含 WIDTH 个数
    [rng.uniform(-1.0, 1.0) for _ in range(WIDTH)] for _ in range(STEPS)
]


def rnn_style_vector(xs, decay=0.9):
    """轮到你了：h 是一个包含 len(xs[0]) 个数的列表，逐个元素更新。"""
    return None


def compare_widths():
    if rnn_style_vector(xs_vector) is None:
        print("TODO：先写好上面的 rnn_style_vector，再运行本单元。")
        return
    # 状态的每个元素都各自是一个标量循环：元素 0 必须与
    # rnn_style 在每个输入的元素 0 上运行的结果一致。
    first = rnn_style([x[0] for x in xs_vector])
    assert math.isclose(rnn_style_vector(xs_vector)[0], first, rel_tol=1e-9)
    scalar = seconds_per_call(lambda: rnn_style(xs_scalar), 20) / STEPS
    vector = seconds_per_call(lambda: rnn_style_vector(xs_vector)) / STEPS
    print(f"状态为 1 个数：  每步 {scalar * 1e9:6.0f} ns")
    print(f"状态为 {WIDTH} 个数： 每步 {vector * 1e9:6.0f} ns，"
          f"是前者的 {vector / scalar:.0f} 倍")


compare_widths()


# %% tags=["solution"]
def rnn_style_vector(xs, decay=0.9):
    h = [0.0] * len(xs[0])
    for x in xs:  # 各步：每一步都需要上一步留下的状态
        for i in range(len(h)):  # 各元素：彼此独立
            h[i] = decay * h[i] + x[i]
    return h


compare_widths()

# %% [markdown] tags=["solution"]
# 每一步的时间大约增长为原来的宽度倍，即 64 倍，而且通常还不止。这是**工作量**：现在每一步要做 64 次乘加，
# 而不是一次，而 Python 是一次接一次地做的。而且其中每一次让解释器付出的代价都比标量版本的一步更多，
# 因为它要索引两个列表，再写入其中一个：这就是课程中讲的解释器开销，如今每一步要付 64 次。
#
# **串行深度**没有变。第 `t` 步的元素 `i` 只需要第 `t - 1` 步的元素 `i`，所以一步之内的 64 次更新完全可以同时进行，
# 而相互依赖的步骤所组成的链仍然是 `STEPS` 那么长。向量化的库或者 GPU 可以把多出来的工作量分摊到多个并行单元上，
# 但再多的单元对这条链也无济于事。这就是为什么在 GPU 上把 RNN 做宽很便宜，让它的序列变长却不便宜。
# （对于像这样的线性循环，换一种算法就能缩短这条链：这就是下一道练习的内容。）

# %% [markdown]
# ## 练习 2：对数深度的前缀和
#
# `xs` 的累加和（又称前缀和）是这样一个列表：它的第 `i` 个元素为 `xs[0] + xs[1] + ... + xs[i]`。
# 如果从左到右计算，每个和都要等前一个和算完：对于 1,024 个数，这是一条由 1,023 次相互依赖的加法组成的链。
#
# Hillis–Steele 扫描分若干轮计算同一个列表。在第 `k` 轮（从 0 开始计数），每个元素都加上位于它前面 `2**k`
# 处的那个元素在上一轮结束时的值；前面没有那么远的元素则保持不变。一轮中的加法只读取上一轮的值，
# 所以一台有足够多加法器的机器可以在一步之内完成一整轮。
#
# 编写 `hillis_steele(xs)`，让它返回前缀和、轮数和加法次数。用 1,024 个数的顺序累加和来检验它。
# 它需要多少轮？它比顺序求和多做了多少工作量？

# %%
N = 1_024
# 使用整数，使按不同顺序求出的和仍然完全一致。
numbers = [rng.randint(-100, 100) for _ in range(N)]


def running_sum(xs):
    """从左到右求前缀和。返回 (sums, additions)。"""
    sums = [xs[0]]
    for x in xs[1:]:
        sums.append(sums[-1] + x)
    return sums, len(xs) - 1


def hillis_steele(xs):
    """轮到你了：返回 (前缀和, 轮数, 加法次数)。"""
    return None


def check_scan():
    result = hillis_steele(numbers)
    if result is None:
        print("TODO：先写好上面的 hillis_steele，再运行本单元。")
        return
    sums, rounds, additions = result
    expected, sequential_additions = running_sum(numbers)
    assert sums == expected, "扫描求出的和与顺序累加和不一致"
    print(f"顺序求和：     {sequential_additions:5,} 次加法，逐次进行")
    print(f"Hillis–Steele：{additions:5,} 次加法，分 {rounds} 轮完成，"
          f"工作量是前者的 {additions / sequential_additions:.1f} 倍")


check_scan()


# %% tags=["solution"]
def hillis_steele(xs):
    sums, rounds, additions = list(xs), 0, 0
    shift = 1  # 第 k 轮为 2**k
    while shift < len(sums):
        # 新建一个列表，使每次加法读取的都是上一轮的值：
        # 同一轮中的加法彼此互不依赖。
        sums = [s + sums[i - shift] if i >= shift else s
                for i, s in enumerate(sums)]
        additions += len(sums) - shift
        rounds += 1
        shift *= 2
    return sums, rounds, additions


check_scan()

# %% [markdown] tags=["solution"]
# 扫描需要 log₂ 1,024 = 10 轮，而顺序求和是一条由 1,023 次加法组成的链。代价是工作量：第 `k` 轮做
# 1,024 − 2**k 次加法，共 9,217 次，约为顺序求和那 1,023 次的九倍。一般而言，扫描约做 n·log₂ n 次加法，
# 顺序求和则是 n − 1 次。有 1,024 个加法器时，这是一笔划算的交易；而在单个核心上，就像这里，它只是九倍的工作量。
# 工作高效（work-efficient）的扫描，例如 Blelloch 扫描，能在保持对数深度的同时只做约 2n 次加法。
#
# 如果用浮点数，两种结果会在最后几位上有所不同，因为扫描以不同的顺序把同样的数加起来。这就是本练习使用整数的原因。

# %% [markdown]
# ## 练习 3：沿两个轴做同样的扫描
#
# 构造一个形状为 (T, 256) 的张量 `x`，其中 T = 100,000：可以把它看作 256 个长度为 T 的序列，每行存放一个时间步。
# 分别对沿 dim 0（沿每一列向下，即沿时间方向）和沿 dim 1（沿每一行）的 `torch.cumsum` 计时。
# 两者都要计算 2,560 万个累加和，加法次数也相同。
#
# 请根据 `x` 在内存中的布局，解释两个时间之间的差异。`x.stride()` 给出沿每个轴相邻的两个元素在存储中相隔多少个元素。

# %%
T = 100_000
torch.manual_seed(0)
x = torch.randn(T, 256)  # (T, 256)：每行一个时间步
# 现在先写一遍，使下面的计时都不必为首次访问这块内存付出代价。
out = torch.zeros_like(x)
print("x.stride() =", x.stride())


def time_cumsum(dim):
    """轮到你了：返回执行一次 torch.cumsum(x, dim=dim, out=out)
    所需的秒数。第一个单元中的 seconds_per_call 可以用来计时。"""
    return None


def compare_axes():
    seconds = {dim: time_cumsum(dim) for dim in (0, 1)}
    if None in seconds.values():
        print("TODO：先写好上面的 time_cumsum，再运行本单元。")
        return
    for dim, s in seconds.items():
        print(f"沿 dim {dim} 做 cumsum：{s * 1e3:7.1f} ms")
    print(f"沿 dim 0 所用的时间是沿 dim 1 的 {seconds[0] / seconds[1]:.1f} 倍")


compare_axes()


# %% tags=["solution"]
def time_cumsum(dim):
    # 对这么长的调用，运行三次就够了，也能让这个单元很快跑完。
    return seconds_per_call(lambda: torch.cumsum(x, dim=dim, out=out),
                            repeat=3)


compare_axes()

# %% [markdown] tags=["solution"]
# `x` 按行存储：`x.stride()` 为 (256, 1)。同一行中的相邻元素在内存中紧挨着；同一列中的相邻元素则相隔 256 个浮点数，
# 即 1 KiB。
#
# 沿 dim 1 时，`cumsum` 按顺序读写内存。它载入的每个 64 字节的缓存行，装的恰好是它接下来需要的 16 个数，
# 处理器的预取器也能识别出这种模式，提前把数据取来。
#
# 沿 dim 0 时，它一次沿一列向下走，每一步都跳过 1 KiB。每次跳跃都要载入一整个缓存行，却只用到其 64 个字节中的 4 个；
# 而等扫描回来处理下一列时，这个缓存行早已被逐出：这个张量比任何一级缓存都大得多。算术运算是一样的，
# 但在内存与处理器之间搬运的数据最多可达 16 倍，而 PyTorch 在 CPU 上的 `cumsum` 会把这表现为巨大的时间差距。
# （如果你测得的两个时间很接近，说明你的 PyTorch 会同时扫描好几列，一整行一整行地相加，这样读取内存就又是按顺序的了。）
#
# 解决办法在于布局，而不在于算法：像课程中的测量那样，把时间作为最后一个、连续存储的轴，即形状 (256, T)；
# 或者在多次扫描之前，先为 `x.T.contiguous()` 付出一次代价。

# %% [markdown]
# ## 练习 4：循环对比注意力，从 64 到 65,536 个位置
#
# 课程中的测量是在 CPU 上进行的。本练习在你手头的任何设备上重复这一比较，覆盖来源课程所要求的范围：
# 一步一步运行的循环，对比一次性作用于整个序列的注意力，长度从 64 到 65,536。
#
# 下一个单元负责计时并打印一张表。它复用本站自己的代码，而不是一份副本：`torch_loop` 就是课程中 PyTorch
# 那张图所计时的逐步循环（每步一次张量运算，保存每一个状态）；`time_call` 是本站的计时辅助函数
# （基于 `torch.utils.benchmark`，在 CPU 上使用单线程；在 GPU 上则在每个被计时的代码块前后做同步，
# 使它统计的是内核执行完毕，而不是启动调用返回）。注意力使用 PyTorch 的 `scaled_dot_product_attention`，
# 作用于一个宽度相同的序列，并以这个序列自身作为查询、键和值。在 GPU 上，测量的长度按 4 倍递增，直到 65,536；
# 在 CPU 上则止于 4,096，使这个单元只需运行几秒。
#
# 你的任务是解读这张表。编写 `loglog_slope(lengths, seconds)`，即在测量范围的上半段，对数时间关于对数长度的最小二乘斜率；
# 再编写 `crossover(lengths, recurrence, attention)`，即从哪个长度起注意力一直比循环慢，
# 在它两侧相邻的两个测量长度之间按双对数坐标插值得出（如果在测量范围内注意力始终没有变得比循环慢，就返回 `None`）。
# 没有交点时，就用两条拟合出的幂律外推出一个。然后解释每条曲线的形状：为什么一条从一开始就是直线，
# 另一条却先平后升？

# %%
import torch.nn.functional as F

from gen.experiments.serial_depth.measure import torch_loop  # 课程中计时的那个循环
from gen.measuring.timing import time_call  # 本站的计时辅助函数（见上文）

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
SWEEP_WIDTH = 64  # 状态的宽度，也是每个位置的查询、键和值的宽度
# GPU 跑完来源课程的整个范围；CPU 止于 4,096，这时循环需要几十毫秒，注意力也差不多
# （长度每翻一倍，注意力的时间变为四倍，循环的只翻一倍）。
SWEEP_LENGTHS = [64 * 4**i for i in range(6)] if DEVICE == "cuda" else [64 * 2**i for i in range(7)]
SWEEP_MIN_RUN_TIME = 0.2 if DEVICE == "cuda" else 0.03  # 每个点用于计时调用的秒数


def recurrence_call(n):
    """h_t = 0.9 h_(t-1) + x_t，共 n 步，每步一次张量运算。"""
    x = torch.randn(n, SWEEP_WIDTH, device=DEVICE)  # (T, d)：第 t 步读取第 t 行
    states = torch.empty_like(x)  # 只分配一次，使被计时的调用都不必为新分配的内存付出代价
    return lambda: torch_loop(x, 0.9, states)


def attention_call(n):
    """n 个位置对全部 n 个位置的 softmax 注意力，一次调用完成。"""
    x = torch.randn(1, 1, n, SWEEP_WIDTH, device=DEVICE)  # (B, heads, T, d)
    return lambda: F.scaled_dot_product_attention(x, x, x)


def seconds_or_oom(call):
    """call() 的中位时间；设备内存耗尽时返回 None（这是一个结果，而不是崩溃）。"""
    try:
        return time_call(call, SWEEP_MIN_RUN_TIME).median_s
    except torch.OutOfMemoryError:
        torch.cuda.empty_cache()
        return None


sweep = {"length": [], "recurrence": [], "attention": []}  # 每次调用的秒数，每个长度一项
for n in SWEEP_LENGTHS:
    sweep["length"].append(n)
    sweep["recurrence"].append(seconds_or_oom(recurrence_call(n)))
    sweep["attention"].append(seconds_or_oom(attention_call(n)))

device_name = torch.cuda.get_device_name() if DEVICE == "cuda" else "CPU（单线程）"
print(f"设备：{device_name}，宽度 {SWEEP_WIDTH}")
print(f"{'T':>7}  {'循环':>12}  {'注意力':>12}  {'注意力 / 循环':>22}")
for n, r, a in zip(*sweep.values()):
    ratio = f"{a / r:22.2f}" if r and a else f"{'':22}"
    r_text, a_text = (f"{t * 1e3:9.3f} ms" if t else "         OOM" for t in (r, a))
    print(f"{n:7,}  {r_text}  {a_text}  {ratio}")


# %%
def loglog_slope(lengths, seconds):
    """轮到你了：在测量范围的上半段，log(seconds) 关于 log(length) 的最小二乘斜率。"""
    return None


def crossover(lengths, recurrence, attention):
    """轮到你了：从哪个长度起注意力一直更慢，按双对数坐标插值得出；或者返回 None。"""
    return None


def read_sweep():
    # 略去任一方内存耗尽的长度。
    kept = [(n, r, a) for n, r, a in zip(*sweep.values()) if r and a]
    lengths, rec, att = (list(column) for column in zip(*kept))
    slopes = {name: loglog_slope(lengths, times) for name, times in (("recurrence", rec), ("attention", att))}
    if None in slopes.values():
        print("TODO：先写好上面的 loglog_slope 和 crossover，再运行本单元。")
        return
    for name, slope in slopes.items():
        print(f"{name}：在测量范围的上半段，双对数斜率为 {slope:.2f}")
    found = crossover(lengths, rec, att)
    if found is not None:
        print(f"从约 T = {found:,.0f} 起，注意力比循环慢")
        return
    # 测量范围内没有交点：对两者的上半段各拟合 t = c * T**s，再解 c_r T**s_r = c_a T**s_a。
    upper = len(lengths) // 2
    log_t = [math.log(n) for n in lengths[upper:]]
    mean_log_t = sum(log_t) / len(log_t)
    intercepts = {name: sum(math.log(t) for t in times[upper:]) / len(log_t) - slopes[name] * mean_log_t
                  for name, times in (("recurrence", rec), ("attention", att))}
    if slopes["attention"] <= slopes["recurrence"]:
        print("测量范围内没有交点，而注意力拟合出的斜率也不比循环的陡：无从外推")
        return
    log_cross = (intercepts["recurrence"] - intercepts["attention"]) / (slopes["attention"] - slopes["recurrence"])
    print(f"测量范围内没有交点；拟合出的两条幂律在 T = {math.exp(log_cross):,.0f} 附近相交")


read_sweep()


# %% tags=["solution"]
def loglog_slope(lengths, seconds):
    upper = len(lengths) // 2  # 长度较大的一端，固定开销在这里已不再掩盖增长
    x = [math.log(n) for n in lengths[upper:]]
    y = [math.log(t) for t in seconds[upper:]]
    mean_x, mean_y = sum(x) / len(x), sum(y) / len(y)
    return (sum((a - mean_x) * (b - mean_y) for a, b in zip(x, y))
            / sum((a - mean_x) ** 2 for a in x))


def crossover(lengths, recurrence, attention):
    slower = [a > r for r, a in zip(recurrence, attention)]  # 在每个长度上注意力是否更慢？
    if not slower[-1]:
        return None
    # 注意力仍然更快的最后一个长度：前面某个带噪声的点可能越过去又退回来，
    # 而问题是从哪里起注意力一直更慢。
    last_faster = max((i for i, s in enumerate(slower) if not s), default=None)
    if last_faster is None:
        return lengths[0]  # 在最短的长度上就已经更慢
    i = last_faster
    # log(attention / recurrence) 在长度 i 与 i + 1 之间变号：用直线求出它的零点。
    gap_i = math.log(attention[i] / recurrence[i])
    gap_j = math.log(attention[i + 1] / recurrence[i + 1])
    fraction = gap_i / (gap_i - gap_j)
    return math.exp(math.log(lengths[i]) + fraction * (math.log(lengths[i + 1]) - math.log(lengths[i])))


read_sweep()

# %% [markdown] tags=["solution"]
# **循环**从最短的长度起就是一条斜率接近 1 的直线。每一步是一次张量运算，而每次运算都有一笔固定开销
# （在 CPU 上是从 Python 分派它，在 GPU 上是一次内核启动），远远超过它所做的 64 次乘加。T 步就要付 T 笔这样的开销，
# 而循环中没有任何东西能让两步重叠：这就是串行深度，在这里清晰可见。
#
# **注意力**在每个长度上都只是一次调用。长度较短时，这次调用所做的算术运算太少，它自身的固定开销占了大部分时间，
# 曲线几乎是平的；随着 T 增大，它的 4·T²·d FLOPs 开始占主导，斜率向 2 上升。在单线程的 CPU 上，这发生得很早，
# 因为一个核心只有很少的算术单元需要填满。GPU 的算术单元多得多，对几千个位置做注意力时，大部分单元仍然闲着，
# 所以它的曲线平得更久，拐弯也更晚。要在曲线呈直线的那一段上拟合斜率，否则拟合会把两种情形混在一起，
# 得出介于两者之间的结果。
#
# **交点**是注意力的平方级算术运算终于比循环那一串固定开销更贵的地方。在 CPU 上，它通常落在测量范围之内，
# 在一千左右这个量级的长度上。在 GPU 上，循环的每一步仍要付出一次完整的内核启动，而注意力的算术运算是并行执行的，
# 所以交点会移到远得多的地方，也许超过 65,536；这正是外推的用途。你应当说明外推超出数据多远，
# 因为只用两三个点拟合出的幂律只是一个粗略的参考。有两件事会使交点移动：融合的循环内核（或 CUDA Graph）
# 能去掉大部分逐步开销，却不会缩短这条链；而半精度，即 GPU 注意力内核专为之设计的数值格式，会使注意力的曲线下移。
#
# 这一比较是有意做得很粗糙的：循环没有权重矩阵，所以每一步都比 LSTM 便宜得多；注意力则只有一个头，也没有投影。
# 它测量的是两种开销的形状，即由 T 个小步骤组成的链对比一步 T² 的工作量，而不是两个真实的层；第 3 课会为真实的层计时。

# %% [markdown]
# ## 练习 5：在你使用的模型中，链在哪里？（开放题）
#
# 对于预先已知的序列，注意力消除了沿序列的那条链。但模型所做的很多事情并非如此：生成文本的 Transformer
# 要先得到词元 t，才能经过它的每一层计算词元 t + 1。选一个你了解的模型（生成回答的语言模型、流式输出结果的语音识别器、
# 束搜索、扩散采样器），找出其中由相互依赖的步骤组成的最长的链。然后说明什么能缩短这条链，以及每种补救办法的代价。
#
# 这道题没有唯一正确的答案。好的答案会权衡三件事：哪些步骤真正相互依赖，哪些只是碰巧按顺序执行；
# 一种补救办法是缩短了链，还是只让每一环更便宜（即课程中深度与分派的区别）；以及它在额外的工作量、
# 内存或质量上付出什么代价，硬件又是否有闲置的单元来消化这些额外的工作量。课程中的界 max(W/P, D)
# 可以为最后一点给出具体的数字：下面的单元针对几种机器规模把它打印出来。

# %%
def time_bound(work, depth, units):
    """课程中运行时间的下界，单位与 work 和 depth 相同。"""
    return max(work / units, depth)


# 轮到你了：你分析的每种计算各占一项，名称 -> (工作量, 串行深度)，两者用同一单位计数
# （运算次数、内核数、层的作用次数……）。
chains = {}


def show_chains(units=(1e2, 1e4, 1e6)):
    if not chains:
        print("TODO：先填写上面的 chains，再运行本单元。")
        return
    print(f"{'':44}" + "".join(f"{f'P = {p:,.0f}':>14}" for p in units) + f"{'深度主导的起点 P =':>24}")
    for name, (work, depth) in chains.items():
        bounds = "".join(f"{time_bound(work, depth, p):14,.0f}" for p in units)
        print(f"{name:44}{bounds}{work / depth:24,.0f}")


show_chains()

# %% tags=["solution"]
# 一种可能的答案：一个 32 层的仅解码器语言模型，读入 2,000 个词元的提示词，写出 1,000 个词元。
# 单位是“层步”，即一个层对一个词元的一次作用；这些数字是基于上述假设的算术，而不是测量结果。
LAYERS, PROMPT, ANSWER = 32, 2_000, 1_000
DRAFTED, ACCEPTED = 4, 3  # 推测解码：小模型每次起草的词元数，以及其中被接受的个数
passes = ANSWER / (ACCEPTED + 1)  # 大模型每检查一次，保留被接受的草稿词元，外加一个词元
chains = {
    "预填充：全部词元一次处理": (PROMPT * LAYERS, LAYERS),
    "写回答：逐个词元依次生成": (ANSWER * LAYERS, ANSWER * LAYERS),
    # 大模型在一次并行的计算中检查全部草稿词元，外加一个位置；小模型自身的链
    # （每次 DRAFTED 步，每步经过它为数不多的几层）既短又便宜，这里略去不计。
    "写回答：草稿词元并行检查": (passes * (DRAFTED + 1) * LAYERS, passes * LAYERS),
}
show_chains()

# %% [markdown] tags=["solution"]
# 读入提示词时，链只有 32 个层步：提示词的每个词元都是已知的，所以每一层可以一次处理全部词元，正如注意力所承诺的那样。
# 写出回答则是另一回事：每个词元都要经过全部 32 层，下一个词元才能开始，这是一条 32,000 个层步的链。
# 以层步计，它的工作量等于它的深度：第二个单元将无事可做，更大的机器只能让每个层步更快。
# 同时为许多用户服务，可以用其他人的词元填满闲置的单元，这提高了吞吐量，但每个回答的链仍和原来一样长。
#
# 让每一环更便宜的补救办法有：融合内核、CUDA Graph、更小的数值格式、把权重放在更快的内存中。
# 它们不会缩短任何一条链。能缩短链的补救办法有：用一个小模型起草几个词元，再让大模型在一次并行计算中检查它们
# （见上面：如果四个草稿词元中有三个被接受，链就从 32,000 个层步降到 8,000 个，工作量多出四分之一，
# 而一台能让一层同时作用于五个词元的机器可以消化这些额外的工作量）；用更少但更宽的层（每个词元的链更短，
# 但这已是另一个模型）；或者使用在固定轮数内同时细化回答中所有位置的解码器，通常要在质量上付出一些代价。
# 好的答案会说明模型的任务允许其中哪些办法：例如，流式语音识别器就无法对尚未听到的音频提前起草。
