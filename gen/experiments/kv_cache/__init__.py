"""How does the memory a model keeps while decoding grow with context: a KV cache against a recurrent state?

A toy decoder-only Transformer decodes token by token with an explicit cache of keys and values per
layer; an LSTM, a linear-attention layer and a diagonal state-space model (SSM) decode the same tokens
carrying a fixed-size state. We count the bytes each keeps at every position, time one decode step at
positions far apart, and compute the cache of real model shapes at 4K, 128K and 1M tokens.

    python -m gen measure --only kv_cache --profile cpu --device cpu
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RealModel:
    """The attention shape of a published model: all the KV cache depends on."""

    key: str  # names its values: {{ value:kv_cache.<key>_gib_at_128k }}
    name: str
    layers: int
    kv_heads: int
    head_dim: int
    bytes_per_element: int = 2  # fp16 / bf16, how these models are served


# Shapes from the models' published configs; named "-like" because only these numbers are used.
REAL_MODELS = (
    RealModel("llama2_7b_like", "Llama-2-7B-like (MHA)", layers=32, kv_heads=32, head_dim=128),
    RealModel("llama3_8b_like", "Llama-3-8B-like (GQA)", layers=32, kv_heads=8, head_dim=128),
    RealModel("llama2_70b_like", "Llama-2-70B-like (GQA)", layers=80, kv_heads=8, head_dim=128),
)
# The recurrent counterpart at a similar size: 64 layers, 5,120 inner channels, 16 states each
# (like Mamba-2.8B); only the SSM state h is counted, not its small convolution buffer.
MAMBA_LIKE = {"key": "mamba_2_8b_like", "name": "Mamba-2.8B-like (SSM)", "layers": 64, "channels": 5120, "state": 16,
              "bytes_per_element": 2}
REAL_CONTEXTS = (4096, 131072, 1048576)  # 4K, a long-context model's 128K, and source D's 1M


@dataclass(frozen=True)
class Config:
    decode_tokens: int  # token-by-token decode from an empty cache: cache bytes counted at every position
    timed_positions: tuple[int, ...]  # cache lengths at which one decode step is timed (cache prefilled)
    layers: int = 4  # a few layers: enough to show the per-layer factor in the formula
    heads: int = 8  # query heads
    gqa_kv_heads: int = 2  # the grouped-query variant: 4 query heads share each key/value head
    head_dim: int = 32
    ssm_state: int = 16  # N states per channel in the diagonal SSM, Mamba's default
    vocab: int = 256
    dtype: str = "float32"  # element type of the toy models; bytes are counted in it
    min_run_time: float = 0.05  # seconds of timed runs per point and pass
    rounds: int = 3  # passes over the timed models at each position, in turn; each keeps its fastest pass
    seed: int = 0


PRESETS = {
    # Seconds: 64 decoded tokens check the formula at every position; four timed positions give a slope.
    "smoke": Config(decode_tokens=64, timed_positions=(64, 512, 2048, 8192), min_run_time=0.02),
    # Within 20 s on 2 cores: a 16K-token cache of the toy MHA model is 128 MiB, read once a step.
    "cpu": Config(decode_tokens=256, timed_positions=(64, 256, 1024, 4096, 16384)),
    # On an H100 kernel launches hide short caches: go to source D's 1M tokens (a 4 GiB toy MHA cache),
    # in bf16 as models are served.
    # Two passes, not three: a GPU machine is not shared, so the extra pass buys nothing.
    "gpu": Config(decode_tokens=1024, timed_positions=(64, 256, 1024, 4096, 16384, 65536, 262144, 1048576),
                  dtype="bfloat16", rounds=2),
}

# The gpu preset's code (bf16) at toy positions: a CPU dry run.
PRESETS["dry"] = replace(PRESETS["gpu"], decode_tokens=16, timed_positions=(16, 64, 256), min_run_time=0.002,
                         rounds=1)

# One H100/H200, estimated: 1,024 decode steps of 4 toy models for the byte counts (a few seconds),
# then 3 models x 8 positions x 2 passes of 0.05 s; the 1M-token cache (4 GiB) is filled once.
GPU_SECONDS = 20
