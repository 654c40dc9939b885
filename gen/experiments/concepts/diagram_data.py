"""The numbers behind the five mechanism diagrams, computed by the experiments' own code (torch).

- lstm_cell, gru_cell: one step of torch.nn.LSTMCell and torch.nn.GRUCell on seeded weights, and the
  same step written out gate by gate as the diagrams draw it; the two must agree.
- transformer_layer: the shapes inside one pre-norm layer of kv_cache's toy decoder (its Block).
- kv_cache_growth: a named model's cache after each decode step, by kv_cache's cache_formula, against
  the recurrent state of kv_cache's real-shape table.
- chunked_scan: h_t = a_t h_{t-1} + b_t scanned in chunks with parallel_scan's combine and schedules,
  against parallel_scan's sequential loop.
"""

from __future__ import annotations

from typing import Any

import torch

from gen.experiments.concepts import Config
from gen.experiments.kv_cache import PRESETS as KV_PRESETS
from gen.experiments.kv_cache import REAL_MODELS
from gen.experiments.kv_cache.formulas import cache_formula
from gen.experiments.kv_cache.measure import real_model_table
from gen.experiments.kv_cache.models import Block
from gen.experiments.parallel_scan.formulas import expected_counts, hillis_steele_schedule
from gen.experiments.parallel_scan.scans import combine, hillis_steele, sequential


@torch.no_grad()
def lstm_step(config: Config) -> dict[str, Any]:
    """PyTorch's LSTM cell (gate blocks in the order i, f, g, o) against the diagram's equations."""
    generator = torch.Generator().manual_seed(config.seed)
    d = config.cell_width
    cell = torch.nn.LSTMCell(d, d, dtype=torch.float64)
    _reseed(cell, generator)
    x, h, c = (torch.randn(1, d, generator=generator, dtype=torch.float64) for _ in range(3))
    h_torch, c_torch = cell(x, (h, c))
    pre = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh  # (1, 4d)
    i, f, g, o = pre.chunk(4, dim=-1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c_new = f * c + i * g  # the cell path: a sum, no matrix and no squashing on c_{t-1}
    h_new = o * torch.tanh(c_new)
    off = max(float((c_new - c_torch).abs().max()), float((h_new - h_torch).abs().max()))
    return {"width": d, "gates": {k: v[0].tolist() for k, v in {"i": i, "f": f, "g": g, "o": o}.items()},
            "c_prev": c[0].tolist(), "c": c_new[0].tolist(), "h": h_new[0].tolist(), "torch_difference": off}


@torch.no_grad()
def gru_step(config: Config) -> dict[str, Any]:
    """PyTorch's GRU cell (blocks r, z, n) against the diagram's equations: h_t = z h_{t-1} + (1 - z) n,
    with r applied to W_hn h_{t-1} + b_hn, after the product, as PyTorch does."""
    generator = torch.Generator().manual_seed(config.seed + 1)
    d = config.cell_width
    cell = torch.nn.GRUCell(d, d, dtype=torch.float64)
    _reseed(cell, generator)
    x, h = (torch.randn(1, d, generator=generator, dtype=torch.float64) for _ in range(2))
    h_torch = cell(x, h)
    gi = x @ cell.weight_ih.T + cell.bias_ih  # (1, 3d)
    gh = h @ cell.weight_hh.T + cell.bias_hh  # (1, 3d)
    (ir, iz, in_), (hr, hz, hn) = gi.chunk(3, dim=-1), gh.chunk(3, dim=-1)
    r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
    n = torch.tanh(in_ + r * hn)
    h_new = z * h + (1 - z) * n  # the state path: z keeps the old state, 1 - z lets the candidate in
    return {"width": d, "gates": {"r": r[0].tolist(), "z": z[0].tolist(), "n": n[0].tolist()},
            "h_prev": h[0].tolist(), "h": h_new[0].tolist(), "torch_difference": float((h_new - h_torch).abs().max())}


def layer_shapes(config: Config) -> dict[str, Any]:
    """Run one pre-norm layer of kv_cache's toy decoder on T tokens and record the shapes it makes."""
    toy = KV_PRESETS["cpu"]  # the decoder the kv_cache experiment measures
    heads, head_dim, T = toy.heads, toy.head_dim, config.layer_tokens
    torch.manual_seed(config.seed)
    block = Block(heads, heads, head_dim).double().eval()
    seen: dict[str, list[int]] = {}

    def record(name: str):
        def hook(_module, _inputs, output):
            seen[name] = list((output[0] if isinstance(output, tuple) else output).shape[1:])
        return hook

    block.norm1.register_forward_hook(record("normed"))
    block.attention.register_forward_hook(record("attended"))
    block.mlp[0].register_forward_hook(record("mlp_hidden"))
    x = torch.randn(1, T, heads * head_dim, dtype=torch.float64)  # (B, T, d)
    empty = torch.zeros(1, heads, T, head_dim, dtype=torch.float64)  # (B, h, T, d_k): room for T keys
    with torch.no_grad():
        y, keys, values = block(x, empty.clone(), empty.clone(), 0)
    return {"tokens": T, "width": heads * head_dim, "heads": heads, "head_dim": head_dim,
            "input": list(x.shape[1:]), **seen, "keys": list(keys.shape[1:]), "values": list(values.shape[1:]),
            "output": list(y.shape[1:])}


def kv_growth(config: Config) -> dict[str, Any]:
    """A named model's KV cache after each of the first decode steps, and the recurrent state it is
    compared with in the kv_cache experiment, which the same steps overwrite."""
    m = next(m for m in REAL_MODELS if m.key == config.kv_model)
    state = real_model_table()["recurrent_state"]
    per_token = cache_formula(m.layers, m.kv_heads, m.head_dim, 1, m.bytes_per_element)
    steps = [{"tokens": t, "cache_bytes": cache_formula(m.layers, m.kv_heads, m.head_dim, t, m.bytes_per_element)}
             for t in range(1, config.decode_steps + 1)]
    crossover = state["bytes"] // per_token + 1  # the first token count whose cache outweighs the state
    return {"model": {"key": m.key, "name": m.name, "layers": m.layers, "kv_heads": m.kv_heads,
                      "head_dim": m.head_dim, "bytes_per_element": m.bytes_per_element},
            "bytes_per_token": per_token, "bytes_per_row_per_layer": per_token // (2 * m.layers),
            "steps": steps, "state": state, "crossover_tokens": crossover,
            "cache_at_crossover": cache_formula(m.layers, m.kv_heads, m.head_dim, crossover, m.bytes_per_element),
            "cache_before_crossover": cache_formula(m.layers, m.kv_heads, m.head_dim, crossover - 1,
                                                    m.bytes_per_element)}


def chunked_scan(config: Config) -> dict[str, Any]:
    """h_t = a_t h_{t-1} + b_t (h_{-1} = 0) in chunks of C, in three steps.

    1. Every chunk scans its own C maps at once (Hillis-Steele's schedule on C elements, all chunks side
       by side): element j of chunk k then holds (A, B), the chunk's maps up to j, so h = A h_in + B.
    2. The chunk-final maps carry the state across chunks, one chunk after another (a loop of T/C).
    3. Every other element applies its (A, B) to the state that entered its chunk: one round.
    """
    generator = torch.Generator().manual_seed(config.seed)
    T, C = config.scan_length, config.scan_chunk
    K = T // C
    a = 0.5 + 0.5 * torch.rand(T, generator=generator, dtype=torch.float64)  # decays in (0.5, 1)
    b = torch.randn(T, generator=generator, dtype=torch.float64)
    A, B = a.view(K, C).clone(), b.view(K, C).clone()  # (chunks, C): one row per chunk
    schedule = hillis_steele_schedule(C)
    for combines in schedule:  # step 1: every chunk at once; each round reads the previous round
        before = (A.clone(), B.clone())
        for source, target in combines:
            A[:, target], B[:, target] = combine((before[0][:, source], before[1][:, source]),
                                                 (before[0][:, target], before[1][:, target]))
    step1 = (len(schedule), sum(map(len, schedule)))  # per chunk
    local = B.clone()
    library_local, _ = hillis_steele(a.view(K, C), b.view(K, C))  # the experiment's own scan of each chunk
    entering, ends, h = [], [], torch.zeros((), dtype=torch.float64)
    for k in range(K):  # step 2: one chunk after another; a state is the constant map (0, h)
        entering.append(h)
        h = combine((torch.zeros_like(h), h), (A[k, -1], B[k, -1]))[1]
        ends.append(h)
    step2 = (K, K)
    H = torch.stack(entering).unsqueeze(1)  # (chunks, 1): the state entering each chunk
    final = A * H + B  # step 3, one round: combine((0, H), (A, B)); chunk 0 and the chunk ends are done
    final[:, -1] = torch.stack(ends)
    step3 = (1, (K - 1) * (C - 1))
    reference, _ = sequential(a.view(1, T), b.view(1, T), torch.empty(1, T, dtype=torch.float64))
    return {
        "T": T, "chunk": C, "a": a.tolist(), "b": b.tolist(), "local": local.flatten().tolist(),
        "library_local": library_local.flatten().tolist(), "chunk_ends": [float(e) for e in ends],
        "chunked": final.flatten().tolist(), "sequential": reference[0].tolist(),
        "local_schedule": [[list(pair) for pair in one] for one in schedule],
        "counts": {"local": list(step1), "carry": list(step2), "correct": list(step3)},
        "expected": {"local": list(expected_counts("hillis_steele", C)), "carry": list(expected_counts("loop", K)),
                     "loop": list(expected_counts("loop", T)), "blelloch": list(expected_counts("blelloch", T))},
    }


def _reseed(module: torch.nn.Module, generator: torch.Generator) -> None:
    """Weights from our own generator, so the example does not depend on the global seed."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=generator, dtype=p.dtype) * 0.5)
