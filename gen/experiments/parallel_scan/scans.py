"""Five ways to compute h_t = a_t h_{t-1} + b_t (h_{-1} = 0) for every t, over rows of independent
recurrences: a and b are (R, T), time on the last, contiguous axis.

Each element t is the affine map h -> a_t h + b_t; applying map 1 then map 2 is again an affine map,
combine((a1, b1), (a2, b2)) = (a1 a2, a2 b1 + b2), and this combine is associative, so prefixes can
be grouped in any order. The hand-written scans count what they do: rounds (steps that must follow
one another) and combines per row (work); formulas.py says what those counts must be.
"""

from __future__ import annotations

import torch

from gen.experiments.parallel_scan.formulas import Counts

try:  # a private module: older and newer torch versions may lack it, which is a result, not a crash
    from torch._higher_order_ops.associative_scan import associative_scan
except ImportError:
    associative_scan = None


def sequential(a: torch.Tensor, b: torch.Tensor, out: torch.Tensor) -> tuple[torch.Tensor, Counts]:
    """The loop an RNN runs: T steps, each waiting for the one before. Writes into `out` (R, T)."""
    h = torch.zeros_like(b[:, 0])  # (R,)
    for t in range(a.shape[1]):
        h = torch.addcmul(b[:, t], a[:, t], h, out=out[:, t])  # h = a_t h + b_t
    return out, (a.shape[1], a.shape[1])


def hillis_steele(a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, Counts]:
    """Round k: every element i >= 2^k takes in element i - 2^k. ceil(log2 T) rounds, ~T log2 T combines."""
    a, b = a.clone(), b.clone()
    T = a.shape[1]
    rounds = combines = 0
    d = 1
    while d < T:
        # combine((a, b)[i - d], (a, b)[i]); both right-hand sides are computed before either write
        new_b = torch.addcmul(b[:, d:], a[:, d:], b[:, :-d])  # (R, T - d)
        a[:, d:] = a[:, d:] * a[:, :-d]
        b[:, d:] = new_b
        rounds, combines, d = rounds + 1, combines + (T - d), 2 * d
    return b, (rounds, combines)


def blelloch(a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, Counts]:
    """Work-efficient scan (up-sweep, then down-sweep; inclusive, as Brent and Kung arrange it).

    T is padded to P = 2^ceil(log2 T) with the identity map (a = 1, b = 0). The up-sweep leaves each
    block of 2d elements' total at its last element (P - 1 combines in log2 P rounds); the down-sweep
    hands each block's prefix to the middle of the next block (P - log2 P - 1 combines in log2 P - 1
    rounds). For T >= 2: 2 log2 P - 1 rounds, 2P - log2 P - 2 combines.
    """
    R, T = a.shape
    P = 1 << (T - 1).bit_length()
    a_pad, b_pad = a.new_ones(R, P), b.new_zeros(R, P)
    a_pad[:, :T], b_pad[:, :T] = a, b
    rounds = combines = 0
    d = 1
    while d < P:  # up-sweep: in each block of 2d, the last element takes in the first half's total
        av, bv = a_pad.view(R, P // (2 * d), 2 * d), b_pad.view(R, P // (2 * d), 2 * d)  # (R, blocks, 2d)
        bv[:, :, 2 * d - 1] = torch.addcmul(bv[:, :, 2 * d - 1], av[:, :, 2 * d - 1], bv[:, :, d - 1])
        av[:, :, 2 * d - 1] *= av[:, :, d - 1]
        rounds, combines, d = rounds + 1, combines + P // (2 * d), 2 * d
    d = P // 4
    while d >= 1:  # down-sweep: the middle of block k takes in the prefix that ends block k - 1
        av, bv = a_pad.view(R, P // (2 * d), 2 * d), b_pad.view(R, P // (2 * d), 2 * d)  # (R, blocks, 2d)
        bv[:, 1:, d - 1] = torch.addcmul(bv[:, 1:, d - 1], av[:, 1:, d - 1], bv[:, :-1, 2 * d - 1])
        av[:, 1:, d - 1] *= av[:, :-1, 2 * d - 1]
        rounds, combines, d = rounds + 1, combines + P // (2 * d) - 1, d // 2
    return b_pad[:, :T], (rounds, combines)


def combine(first: tuple[torch.Tensor, torch.Tensor], second: tuple[torch.Tensor, torch.Tensor]):
    """Map `first`, then map `second`: the scan's associative operator."""
    (a1, b1), (a2, b2) = first, second
    return a1 * a2, a2 * b1 + b2


def builtin(a: torch.Tensor, b: torch.Tensor, mode: str) -> torch.Tensor:
    """torch's associative_scan. "pointwise" runs a fused scan kernel (CUDA only, through torch.compile);
    "generic" works anywhere, as an odd/even recursion of ordinary tensor ops."""
    if associative_scan is None:
        raise NotImplementedError(f"torch {torch.__version__} has no torch._higher_order_ops.associative_scan")
    return associative_scan(combine, (a, b), dim=1, combine_mode=mode)[1]


def builtin_pointwise(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The fused-kernel mode as a plain function of (a, b), for torch.compile to trace."""
    return builtin(a, b, "pointwise")


def log_space(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The closed form h_t = A_t sum_{s<=t} b_s / A_s with A_t = a_0 ... a_t: two library scans, and
    unsafe. A_t shrinks geometrically, so it underflows, 1 / A_t overflows, and h_t becomes 0 x inf."""
    A = torch.cumprod(a, dim=1)  # (R, T)
    return A * torch.cumsum(b / A, dim=1)
