# ---
# jupyter:
#   translation_of: 5f75131aae01
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
# # 练习：如何选择架构
#
# 本笔记本为[如何选择架构](../../lessons/06-choosing-an-architecture/)一课配了四道练习。每道练习都有一项任务、一个留给你填写的代码单元格，
# 以及一份等你尝试之后再展开的解答。它们只需要 Python 标准库，运行时间远不到一秒。最后一道是开放题：它的解答是一个站得住脚的答案，
# 并附有好的答案应当权衡的内容。
#
# 请先运行下一个单元格：它定义了本课中的两种层的形状，以及练习中用到的字节大小。

# %%
from dataclasses import dataclass

GIB = 2**30


@dataclass(frozen=True)
class Shape:
    params: float
    layers: int
    kv_heads: int
    head_dim: int
    channels: int = 0  # 状态空间层的内部通道数
    ssm_state: int = 0  # 每个通道 N 个数


LLAMA3_8B_LIKE = Shape(params=8e9, layers=32, kv_heads=8, head_dim=128)
MAMBA_2_8B_LIKE = Shape(params=2.8e9, layers=64, kv_heads=0, head_dim=0, channels=5120, ssm_state=16)
BYTES = 2  # float16 或 bfloat16

# %% [markdown]
# ## 练习 1：缓存与权重比大小
#
# 编写 `kv_cache_bytes(shape, tokens)`（每层两个张量：K 和 V）和 `ssm_state_bytes(shape)`。对照本课检查它们：类 Llama-3-8B
# 的形状每个词元 128 KiB，类 Mamba-2.8B 的形状有 10 MiB 的状态。然后找出类 Llama-3-8B 形状的一个序列的缓存与模型权重一样大时的上下文长度。

# %%
def kv_cache_bytes(shape, tokens):
    """轮到你了：一个含 `tokens` 个词元的序列的 KV 缓存字节数。"""
    return None


def ssm_state_bytes(shape):
    """轮到你了：一个序列的状态字节数，与长度无关。"""
    return None


def check_sizes():
    if kv_cache_bytes(LLAMA3_8B_LIKE, 1) is None or ssm_state_bytes(MAMBA_2_8B_LIKE) is None:
        print("TODO：先在上面写好 kv_cache_bytes 和 ssm_state_bytes，再运行这个单元格。")
        return
    assert kv_cache_bytes(LLAMA3_8B_LIKE, 1) == 128 * 1024
    assert ssm_state_bytes(MAMBA_2_8B_LIKE) == 10 * 2**20
    weights = LLAMA3_8B_LIKE.params * BYTES
    tokens = weights / kv_cache_bytes(LLAMA3_8B_LIKE, 1)
    print(f"缓存在 {tokens:,.0f} 个词元时与权重一样大")


check_sizes()


# %% tags=["solution"]
def kv_cache_bytes(shape, tokens):
    return 2 * shape.layers * shape.kv_heads * shape.head_dim * tokens * BYTES


def ssm_state_bytes(shape):
    return shape.layers * shape.channels * shape.ssm_state * BYTES


check_sizes()
# 8e9 x 2 字节 / 每个词元 131,072 字节 = 122,070 个词元：超过约 122K 个词元后，一个序列的缓存就比模型本身还大。
# 状态空间模型的状态则无论多长都不会如此。

# %% [markdown]
# ## 练习 2：全注意力从哪里开始放不下
#
# 一台 80 GiB 的设备用类 Llama-3-8B 的模型同时服务 8 个序列。编写 `fits(tokens)`：权重加上 8 份含 `tokens` 个词元的缓存，
# 能否装进这台设备？然后在整数个词元上用二分查找找出放得下的最长上下文，并与闭式解
# $(\text{device} - \text{weights}) / (8 \times \text{bytes per token})$ 作比较。

# %%
DEVICE = 80 * GIB
BATCH = 8


def fits(tokens):
    """轮到你了：权重加上 BATCH 份含 `tokens` 个词元的缓存能装进 DEVICE 时，返回 True。"""
    return None


def longest_fitting(low=1, high=10**7):
    """轮到你了：用二分查找，返回 [low, high) 中满足 fits(tokens) 的最大 `tokens`。"""
    return None


def check_longest():
    found = longest_fitting()
    if found is None:
        print("TODO：先在上面写好 fits 和 longest_fitting，再运行这个单元格。")
        return
    per_token = 2 * LLAMA3_8B_LIKE.layers * LLAMA3_8B_LIKE.kv_heads * LLAMA3_8B_LIKE.head_dim * BYTES
    closed_form = (DEVICE - LLAMA3_8B_LIKE.params * BYTES) // (BATCH * per_token)
    print(f"二分查找：{found:,} 个词元；闭式解：{closed_form:,.0f} 个词元")
    assert found == closed_form


check_longest()


# %% tags=["solution"]
def fits(tokens):
    return LLAMA3_8B_LIKE.params * BYTES + BATCH * kv_cache_bytes(LLAMA3_8B_LIKE, tokens) <= DEVICE


def longest_fitting(low=1, high=10**7):
    # 不变式：fits(low) 成立，fits(high) 不成立。
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low


check_longest()
# (85.9e9 - 16e9) 字节 / (8 x 131,072 字节) ≈ 66,700 个词元：超过这个长度，选择器的内存规则就会让这个问题放弃全注意力，
# 否则就只能缩小批量。

# %% [markdown]
# ## 练习 3：以数据形式保存的规则
#
# 选择器以数据形式保存它的规则，并用一个小函数对它们求值。来构建一个小型版本：`RULES` 是一个按顺序排列的规则列表，每条规则包含若干条件
# `(field, op, value)` 和一个模型家族；`choose(problem, rules)` 返回第一条所有条件都成立的规则所给出的家族。值可以是一个数、一个布尔值，
# 或者问题中某个字段的名字。在下面的问题上运行它，然后把长度上限从 65,536 提高到 262,144，并打印出哪些答案发生了变化。

# %%
import operator

OPS = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge, "eq": operator.eq}
RULES = [
    {"when": [("streaming", "eq", True)], "family": "状态空间模型"},
    {"when": [("seq_len", "gt", "length_limit"), ("recall", "eq", False)], "family": "滑动窗口 Transformer"},
    {"when": [], "family": "Transformer"},
]
PROBLEMS = {
    "chat": {"seq_len": 8192, "streaming": False, "recall": True},
    "genome": {"seq_len": 200_000, "streaming": False, "recall": False},
    "audio": {"seq_len": 1_000_000, "streaming": True, "recall": False},
    "logs": {"seq_len": 100_000, "streaming": False, "recall": False},
}


def choose(problem, rules):
    """轮到你了：返回第一条所有条件都成立的规则所给出的家族。"""
    return None


def check_choose():
    if choose({**PROBLEMS["chat"], "length_limit": 65536}, RULES) is None:
        print("TODO：先在上面写好 choose，再运行这个单元格。")
        return
    for limit in (65536, 262144):
        answers = {name: choose({**p, "length_limit": limit}, RULES) for name, p in PROBLEMS.items()}
        print(f"length_limit = {limit:,}：{answers}")


check_choose()


# %% tags=["solution"]
def choose(problem, rules):
    for rule in rules:
        if all(OPS[op](problem[field], problem[value] if isinstance(value, str) else value)
               for field, op, value in rule["when"]):
            return rule["family"]
    raise ValueError("没有匹配的规则：规则列表应当以一条没有任何条件的规则结尾")


check_choose()
# 提高上限后，"genome" 和 "logs" 回到了全注意力；流式问题不受影响，因为它的规则排在最前面。改变的是数据而不是代码，答案却随之改变。

# %% [markdown]
# ## 练习 4（开放题）：为一种架构进行论证
#
# 一个约 80 亿参数的代码助手必须读取 200,000 个词元的代码仓库，回答需要精确引用仓库内容的问题，并在一台 80 GiB 的设备上同时服务
# 8 个用户，每个生成词元不超过 50 ms；设备的读取带宽为 3.35 TB/s。下面的 `bill(candidate)` 针对一个备选方案，计算权重与 8 个序列所占的内存，
# 以及一个解码步按“字节数除以带宽”估算的时间。一个备选方案要说明：32 层中有多少层使用注意力，一个缓存的数占多少位，是否用窗口限制缓存，
# 以及它读取的上下文有多长（检索可以缩短上下文）。
#
# 在 `my_candidates` 中加入两三个你自己的备选方案，运行这个单元格，然后决定你会先构建哪一个，以及什么会让你改变主意。没有唯一正确的答案。

# %%
USERS, LIMIT_S, BANDWIDTH = 8, 0.050, 3.35e12
REPOSITORY = 200_000


def bill(candidate):
    """权重与 USERS 个序列的（内存 GiB 数，每个解码步的秒数）。"""
    layers = candidate.get("attention_layers", LLAMA3_8B_LIKE.layers)
    bits = candidate.get("cache_bits", 16)
    if bits < 16:
        bits += 1  # 每 32 个数共用一个 16 位缩放因子和一个 16 位零点
    tokens = min(candidate.get("context", REPOSITORY), candidate.get("window", REPOSITORY))
    cache = 2 * layers * LLAMA3_8B_LIKE.kv_heads * LLAMA3_8B_LIKE.head_dim * tokens * bits / 8
    state = candidate.get("recurrent_layers", 0) * 8192 * 16 * BYTES  # 每层一个类 Mamba 的状态
    weights = LLAMA3_8B_LIKE.params * BYTES
    total = weights + USERS * (cache + state)
    return total / GIB, total / BANDWIDTH  # 一个解码步要把它们全部读一遍


def compare(candidates):
    for name, candidate in candidates.items():
        gib, seconds = bill(candidate)
        verdict = "满足" if gib <= DEVICE / GIB and seconds <= LIMIT_S else "不满足"
        print(f"{name:44} {gib:7.1f} GiB {seconds * 1e3:6.1f} ms  {verdict}")


picker_default = {"全注意力，16 位的缓存": {}}
my_candidates = {}  # 轮到你了：例如 {"长 4,096 个词元的滑动窗口": {"window": 4096}}
compare({**picker_default, **my_candidates})
if not my_candidates:
    print("TODO：在 my_candidates 中加入两三个备选方案，然后再次运行这个单元格。")

# %% tags=["solution"]
compare({
    "全注意力，16 位的缓存": {},
    "全注意力，4 位的缓存": {"cache_bits": 4},
    "长 4,096 个词元的滑动窗口": {"window": 4096},
    "混合 4 层注意力 + 28 层循环": {"attention_layers": 4, "recurrent_layers": 28},
    "检索后放入 32K 的上下文": {"context": 32_768},
})

# %% [markdown] tags=["solution"]
# 使用 16 位缓存的全注意力，为 8 个用户需要约 210 GiB 内存，而把它们全部读一遍，一步约需 67 ms：它在内存和延迟上都不达标，正如选择器的规则所示。
# 滑动窗口轻松放得下，但无法引用已经滑出窗口的文件，而这正是本任务的要求，所以它被淘汰。剩下的三个备选方案各有各的风险：
#
# - **4 位缓存**保持模型训练时的原样，刚好放得下，但几乎没有留给激活值或第九个用户的余地。它的风险恰恰在于这个任务本身：
#   逐字符地引用很久以前的代码，正是量化误差最先伤害的地方。
# - **混合模型**放得下且绰绰有余，并且在它的注意力层中保留了精确查找的能力，但这意味着要训练一个新的、不那么成熟的模型；它需要一个后备方案。
# - **检索后放入 32K 的上下文**放得下，用的是成熟的模型，速度也快，但把风险转移给了检索器：如果检索器没能取回相关代码，关于这段代码的问题就无法回答。
#
# 一个站得住脚的选择是：先做检索（构建和测试的成本最低）；如果检索器漏检太多，下一步换用 4 位缓存；混合模型则作为一项研究性的押注。
# 一个好的答案，无论选了什么，都会把硬性限制与开销区分开，说明每种选择会在哪些问题上失败，指明它的后备方案，并提出能够做出决定的实验：
# 在这里，就是用团队自己的代码仓库出一批需要精确引用的问题，给每个备选方案打分。
