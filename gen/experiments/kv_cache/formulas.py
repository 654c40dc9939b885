"""The exact byte counts of a KV cache and of the recurrent states: plain arithmetic, no torch.

Measuring code (it is hashed with measure.py) that readings.py may import as well: the checks hold the
counted bytes against these formulas, and the picker's rules are tested against them
(tests/gen/picker/test_formulas_match_kv_cache.py).
"""

from __future__ import annotations

from gen.experiments.kv_cache import Config


def cache_formula(layers: int, kv_heads: int, head_dim: int, tokens: int, bytes_per_element: int) -> int:
    """Bytes of a KV cache holding `tokens` positions of one sequence: K and V for every layer."""
    return 2 * layers * kv_heads * head_dim * tokens * bytes_per_element


def state_formulas(config: Config, bytes_per_element: int) -> dict[str, int]:
    """Bytes of each recurrent decoder's state for one sequence; no term depends on the position."""
    L, width, D = config.layers, config.heads * config.head_dim, config.head_dim
    return {
        "lstm": 2 * L * width * bytes_per_element,  # h and c
        "linear_attention": L * config.heads * (D * D + D) * bytes_per_element,  # S (d_k x d_v) and z (d_k)
        "ssm": L * width * config.ssm_state * bytes_per_element,  # N states per channel
    }
