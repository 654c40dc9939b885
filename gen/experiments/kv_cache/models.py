"""Four toy decoders, each with an explicit decode step: step(tokens, memory) -> (logits, memory).

The Transformer's memory is a KV cache, one (K, V) pair of buffers per layer, that holds one more
position per decoded token. The buffers are preallocated and written in place, as a serving engine
does; the positions in use are what counts as its memory. The LSTM, the linear-attention layer and
the diagonal SSM keep a state whose shape never changes. Every step leaves the memory it was given
valid (a cache's positions are never overwritten, only appended after), so the same step can be
timed repeatedly at a fixed position.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class KVCache:
    """Per layer a (K, V) pair of buffers, each (B, kv_heads, capacity, head_dim), of which the first
    `length` positions hold keys and values.

    A decode step writes its new position after `length` and returns the same buffers with a longer
    length: nothing is copied, as in a serving engine. (Concatenating instead copies the whole cache
    every step, which times memory traffic no server pays.) When the buffers are full they double,
    copying once: amortised over the steps that follow, like a growing array.
    """

    buffers: list[tuple[torch.Tensor, torch.Tensor]]
    length: int

    def in_use(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """Per layer the K and V positions that hold data: views, no copy."""
        return [(k[:, :, : self.length], v[:, :, : self.length]) for k, v in self.buffers]


def memory_bytes(memory) -> int:
    """Bytes of memory a decoder keeps: the cache's positions in use, or every tensor of a state."""
    if isinstance(memory, KVCache):
        return memory_bytes(memory.in_use())
    if isinstance(memory, torch.Tensor):
        return memory.nbytes
    return sum(memory_bytes(part) for part in memory)


def appended(buffer: torch.Tensor, length: int, new: torch.Tensor) -> torch.Tensor:
    """`buffer` with `new` (B, H, T, D) written at positions length..length+T, doubled first if full."""
    needed = length + new.shape[2]
    if needed > buffer.shape[2]:
        grown = buffer.new_empty(*buffer.shape[:2], max(needed, 2 * buffer.shape[2]), buffer.shape[3])
        grown[:, :, :length] = buffer[:, :, :length]
        buffer = grown
    buffer[:, :, length:needed] = new
    return buffer


# Transformer ---------------------------------------------------------------------------------------


class CachedAttention(nn.Module):
    """Causal self-attention with grouped queries: `heads` query heads share `kv_heads` key/value heads."""

    def __init__(self, heads: int, kv_heads: int, head_dim: int):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, head_dim
        self.qkv = nn.Linear(heads * head_dim, (heads + 2 * kv_heads) * head_dim, bias=False)
        self.out = nn.Linear(heads * head_dim, heads * head_dim, bias=False)

    def forward(self, x: torch.Tensor, k_buffer: torch.Tensor, v_buffer: torch.Tensor, past: int):
        """x (B, T, width) at positions past..past+T; returns the output and the (K, V) buffers."""
        B, T, _ = x.shape
        H, Hkv, D = self.heads, self.kv_heads, self.head_dim
        G = H // Hkv  # query heads per key/value head
        q, k_new, v_new = self.qkv(x).split([H * D, Hkv * D, Hkv * D], dim=-1)
        k_buffer = appended(k_buffer, past, k_new.view(B, T, Hkv, D).transpose(1, 2))
        v_buffer = appended(v_buffer, past, v_new.view(B, T, Hkv, D).transpose(1, 2))
        k, v = k_buffer[:, :, : past + T], v_buffer[:, :, : past + T]  # (B, Hkv, S, D), S = past + T
        # Query head h reads key/value head h // G. Folding the G heads into the rows of one matmul reads
        # each cached K and V once; a broadcast matmul would copy the cache G times.
        q = q.view(B, T, Hkv, G, D).permute(0, 2, 3, 1, 4).reshape(B, Hkv, G * T, D)  # (B, Hkv, G*T, D)
        scores = q @ k.transpose(-1, -2) / math.sqrt(D)  # (B, Hkv, G*T, S)
        if T > 1:  # prefill from an empty cache: query t sees keys 0..t
            assert past == 0, "prefill starts from an empty cache; decode one token at a time"
            future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
            scores = scores.view(B, Hkv, G, T, T).masked_fill(future, float("-inf")).view(B, Hkv, G * T, T)
        y = F.softmax(scores.float(), dim=-1).to(v.dtype) @ v  # (B, Hkv, G*T, D)
        y = y.view(B, Hkv, G, T, D).permute(0, 3, 1, 2, 4).reshape(B, T, H * D)  # (B, T, H*D)
        return self.out(y), k_buffer, v_buffer


class Block(nn.Module):
    def __init__(self, heads: int, kv_heads: int, head_dim: int):
        super().__init__()
        width = heads * head_dim
        self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attention = CachedAttention(heads, kv_heads, head_dim)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, k_buffer, v_buffer, past: int):
        attended, k_buffer, v_buffer = self.attention(self.norm1(x), k_buffer, v_buffer, past)
        x = x + attended
        return x + self.mlp(self.norm2(x)), k_buffer, v_buffer


class ToyDecoder(nn.Module):
    """A pre-norm decoder-only Transformer that reads and extends an explicit KV cache."""

    def __init__(self, layers: int, heads: int, kv_heads: int, head_dim: int, vocab: int):
        super().__init__()
        self.kv_heads, self.head_dim = kv_heads, head_dim
        self.embed = nn.Embedding(vocab, heads * head_dim)
        self.blocks = nn.ModuleList(Block(heads, kv_heads, head_dim) for _ in range(layers))
        self.norm = nn.LayerNorm(heads * head_dim)
        self.head = nn.Linear(heads * head_dim, vocab, bias=False)

    def empty_memory(self, batch: int, capacity: int = 16) -> KVCache:
        return self.filled_cache(batch, 0, capacity)

    def filled_cache(self, batch: int, length: int, capacity: int | None = None) -> KVCache:
        """A cache already holding `length` positions of random keys and values, with room for one more
        by default: what a decode step costs depends on the cache's shape, not on its contents."""
        shape = (batch, self.kv_heads, capacity or length + 1, self.head_dim)
        like = {"device": self.embed.weight.device, "dtype": self.embed.weight.dtype}
        return KVCache([(torch.randn(shape, **like), torch.randn(shape, **like)) for _ in self.blocks], length)

    def step(self, tokens: torch.Tensor, cache: KVCache):
        """tokens (B, T): T new tokens (T > 1 only from an empty cache). Returns logits and the longer cache."""
        x = self.embed(tokens)  # (B, T, width)
        buffers = []
        for block, (k_buffer, v_buffer) in zip(self.blocks, cache.buffers, strict=True):
            x, k_buffer, v_buffer = block(x, k_buffer, v_buffer, cache.length)
            buffers.append((k_buffer, v_buffer))
        return self.head(self.norm(x)), KVCache(buffers, cache.length + tokens.shape[1])


# Recurrent decoders: a fixed-size state per layer ------------------------------------------------------


class ToyLSTM(nn.Module):
    """Stacked LSTM cells; the state is (h, c) per layer, each (B, width)."""

    def __init__(self, layers: int, width: int, vocab: int):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.cells = nn.ModuleList(nn.LSTMCell(width, width) for _ in range(layers))
        self.head = nn.Linear(width, vocab, bias=False)

    def empty_memory(self, batch: int):
        p = self.embed.weight
        return [(p.new_zeros(batch, p.shape[1]), p.new_zeros(batch, p.shape[1])) for _ in self.cells]

    def step(self, tokens: torch.Tensor, state):
        x = self.embed(tokens[:, -1])  # (B, width): one token per step
        new_state = []
        for cell, (h, c) in zip(self.cells, state, strict=True):
            h, c = cell(x, (h, c))
            new_state.append((h, c))
            x = h
        return self.head(x), new_state


class ToyLinearAttention(nn.Module):
    """Causal linear attention (feature map elu + 1): per layer and head a d_k x d_v sum of k v^T and a
    d_k normaliser; attention over the whole past in a state that does not grow."""

    def __init__(self, layers: int, heads: int, head_dim: int, vocab: int):
        super().__init__()
        self.heads, self.head_dim = heads, head_dim
        width = heads * head_dim
        self.embed = nn.Embedding(vocab, width)
        self.qkv = nn.ModuleList(nn.Linear(width, 3 * width, bias=False) for _ in range(layers))
        self.head = nn.Linear(width, vocab, bias=False)

    def empty_memory(self, batch: int):
        p, H, D = self.embed.weight, self.heads, self.head_dim
        return [(p.new_zeros(batch, H, D, D), p.new_zeros(batch, H, D)) for _ in self.qkv]  # S, z

    def step(self, tokens: torch.Tensor, state):
        x = self.embed(tokens[:, -1])  # (B, width)
        B, H, D = x.shape[0], self.heads, self.head_dim
        new_state = []
        for qkv, (S, z) in zip(self.qkv, state, strict=True):
            q, k, v = (F.elu(t.view(B, H, D)) + 1 if i < 2 else t.view(B, H, D)
                       for i, t in enumerate(qkv(x).chunk(3, dim=-1)))  # each (B, H, D)
            S = S + k.unsqueeze(-1) * v.unsqueeze(-2)  # (B, H, D, D): add this token's k v^T
            z = z + k  # (B, H, D)
            y = (q.unsqueeze(-2) @ S).squeeze(-2) / (q * z).sum(-1, keepdim=True)  # (B, H, D)
            new_state.append((S, z))
            x = x + y.reshape(B, H * D)
        return self.head(x), new_state


class ToyDiagonalSSM(nn.Module):
    """Linear time-invariant diagonal SSM per layer: h = exp(dt*A) * h + dt*B*x, y = sum(C*h); N states
    per channel, the state is (B, width, N) per layer."""

    def __init__(self, layers: int, width: int, state: int, vocab: int):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.log_decay = nn.Parameter(torch.log(torch.arange(1, state + 1).float()).repeat(layers, width, 1))
        self.B = nn.Parameter(torch.randn(layers, width, state) / state)
        self.C = nn.Parameter(torch.randn(layers, width, state) / state)
        self.dt = 0.01  # step size of the discretisation
        self.head = nn.Linear(width, vocab, bias=False)

    def empty_memory(self, batch: int):
        p = self.embed.weight
        return [p.new_zeros(batch, *self.B.shape[1:]) for _ in range(self.B.shape[0])]  # (B, width, N)

    def step(self, tokens: torch.Tensor, state):
        x = self.embed(tokens[:, -1])  # (B, width)
        new_state = []
        for layer, h in enumerate(state):
            decay = torch.exp(-self.dt * torch.exp(self.log_decay[layer]))  # (width, N), in (0, 1)
            h = decay * h + self.dt * self.B[layer] * x.unsqueeze(-1)  # (B, width, N)
            new_state.append(h)
            x = x + (h * self.C[layer]).sum(-1)  # (B, width)
        return self.head(x), new_state
