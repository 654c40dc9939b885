"""Train tiny LSTMs, GRUs and Transformers on two recall tasks; record steps to solve and final accuracy.

Token ids: 0..answers-1 are the answer symbols (and the output classes), then the fillers, then the
keys. Both tasks share this vocabulary, so each model is the same network on both.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gen.experiments.long_range_task import TASKS, Config
from gen.measuring.seeding import deterministic, generator

VALIDATION_SEED = 1_000_003  # far from the training seeds: validation never shares their stream
PRECHECK = 0.9  # validate only once the (unseen) training batch is this accurate: see train()


# Tasks: each returns tokens (batch, length) and answers (batch,) ------------------------------------


def first_token(config: Config, batch: int, length: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """[answer, filler x (L - 1)]: the answer is L - 1 steps before the end."""
    answers = torch.randint(0, config.answers, (batch,), generator=g)
    tokens = _fillers(config, batch, length, g)
    tokens[:, 0] = answers
    return tokens, answers


def associative_recall(config: Config, batch: int, length: int,
                       g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """[k1 v1 k2 v2 ... filler ... k_i]: the value paired with the key asked at the end."""
    pairs = config.pairs
    first_key = config.answers + config.fillers
    keys = torch.rand(batch, config.keys, generator=g).argsort(dim=1)[:, :pairs] + first_key  # (B, P), distinct
    values = torch.randint(0, config.answers, (batch, pairs), generator=g)  # (B, P)
    tokens = _fillers(config, batch, length, g)
    tokens[:, 0:2 * pairs:2] = keys
    tokens[:, 1:2 * pairs:2] = values
    asked = torch.randint(0, pairs, (batch, 1), generator=g)  # (B, 1): which pair the question is about
    tokens[:, -1] = keys.gather(1, asked)[:, 0]
    return tokens, values.gather(1, asked)[:, 0]


MAKERS = {"first_token": first_token, "associative_recall": associative_recall}


def _fillers(config: Config, batch: int, length: int, g: torch.Generator) -> torch.Tensor:
    return torch.randint(config.answers, config.answers + config.fillers, (batch, length), generator=g)


def vocabulary(config: Config) -> int:
    return config.answers + config.fillers + config.keys


# Models: tokens (B, L) -> logits over the answers (B, answers), read at the last position ----------


class Recurrent(nn.Module):
    def __init__(self, cell: type[nn.Module], config: Config):
        super().__init__()
        self.embed = nn.Embedding(vocabulary(config), config.width)
        self.rnn = cell(config.width, config.width, batch_first=True)
        self.head = nn.Linear(config.width, config.answers)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        outputs, _ = self.rnn(self.embed(tokens))  # (B, L, width)
        return self.head(outputs[:, -1])


class Block(nn.Module):
    """Pre-norm self-attention and MLP. With last_only, only the last position is computed: it is the
    only one read, and it still attends to every position, so the output is unchanged."""

    def __init__(self, config: Config, last_only: bool):
        super().__init__()
        self.heads, self.last_only = config.heads, last_only
        self.norm1, self.norm2 = nn.LayerNorm(config.width), nn.LayerNorm(config.width)
        self.qkv = nn.Linear(config.width, 3 * config.width)
        self.out = nn.Linear(config.width, config.width)
        self.mlp = nn.Sequential(nn.Linear(config.width, 4 * config.width), nn.GELU(),
                                 nn.Linear(4 * config.width, config.width))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q, k, v = self.qkv(self.norm1(x)).chunk(3, dim=-1)  # (B, L, width) each
        if self.last_only:
            q, x = q[:, -1:], x[:, -1:]  # (B, 1, width)
        q, k, v = (self._split(t) for t in (q, k, v))  # (B, heads, L or 1, width / heads)
        attended = F.scaled_dot_product_attention(q, k, v)  # (B, heads, L or 1, width / heads)
        x = x + self.out(attended.transpose(1, 2).flatten(2))  # (B, L or 1, width)
        return x + self.mlp(self.norm2(x))

    def _split(self, t: torch.Tensor) -> torch.Tensor:
        return t.unflatten(-1, (self.heads, -1)).transpose(1, 2)  # (B, L, width) -> (B, heads, L, width / heads)


class Transformer(nn.Module):
    """Token plus learned position embeddings, then blocks; no causal mask, as only the end is read."""

    def __init__(self, config: Config, length: int):
        super().__init__()
        self.embed = nn.Embedding(vocabulary(config), config.width)
        self.position = nn.Embedding(length, config.width)
        self.blocks = nn.Sequential(*(Block(config, last_only=i == config.layers - 1) for i in range(config.layers)))
        self.norm = nn.LayerNorm(config.width)
        self.head = nn.Linear(config.width, config.answers)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.embed(tokens) + self.position.weight[: tokens.shape[1]]  # (B, L, width)
        return self.head(self.norm(self.blocks(x)[:, -1]))


def build(name: str, config: Config, length: int) -> nn.Module:
    if name == "transformer":
        return Transformer(config, length)
    return Recurrent({"lstm": nn.LSTM, "gru": nn.GRU}[name], config)


# Training -------------------------------------------------------------------------------------------


def accuracy(model: nn.Module, tokens: torch.Tensor, answers: torch.Tensor) -> float:
    with torch.no_grad():
        return float((model(tokens).argmax(-1) == answers).float().mean())


def train(task: str, name: str, length: int, seed: int, config: Config, device: str) -> dict[str, Any]:
    """One run: Adam until the validation batch is solved or the budget is spent.

    steps is the number of updates made before the model solved the task (or the whole budget). The
    validation batch is checked only when the next training batch, not yet trained on and so a fair
    sample, is already PRECHECK right: checking every step would cost more than the training itself.
    """
    make = MAKERS[task]
    validation = [t.to(device) for t in make(config, config.validation_size, length,
                                             generator(VALIDATION_SEED + length))]
    batches = generator(seed)  # the same training stream for every model of this seed
    with deterministic(device, seed):
        model = build(name, config, length).to(device)
        rate = config.transformer_learning_rate if name == "transformer" else config.recurrent_learning_rate
        optimiser = torch.optim.Adam(model.parameters(), lr=rate)
        start = time.perf_counter()
        steps, solved, final = 0, False, None
        while True:
            tokens, answers = (t.to(device) for t in make(config, config.batch, length, batches))
            logits = model(tokens)
            if float((logits.argmax(-1) == answers).float().mean()) >= PRECHECK:
                final = accuracy(model, *validation)
                solved = final >= config.solved_at
            if solved or steps == config.budget(task):
                break
            optimiser.zero_grad(set_to_none=True)
            F.cross_entropy(logits, answers).backward()
            optimiser.step()
            steps += 1
        if not solved:
            final = accuracy(model, *validation)
        if device == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
    return {"status": "solved" if solved else "unsolved", "steps": steps, "accuracy": final,
            "timing": {"seconds": seconds, "ms_per_step": 1e3 * seconds / max(steps, 1)}}


def measure(config: Config, device: str, advance: Callable[[int], object]) -> dict[str, Any]:
    runs = []
    for task in TASKS:
        for length in config.lengths(task):
            for name in config.models:
                for seed in config.seeds:
                    try:
                        outcome = train(task, name, length, seed, config, device)
                    except torch.OutOfMemoryError:  # only CUDA raises it: a point of data, not a crash
                        torch.cuda.empty_cache()
                        outcome = {"status": "oom", "steps": None, "accuracy": None, "timing": None}
                    runs.append({"task": task, "length": length, "model": name, "seed": seed, **outcome})
                    advance(1)
    return {
        "tasks": list(TASKS),
        "models": list(config.models),
        "lengths": {task: list(config.lengths(task)) for task in TASKS},
        "seeds": list(config.seeds),
        "budget": {task: config.budget(task) for task in TASKS},
        "solved_at": config.solved_at,
        "width": config.width,
        "chance": 1 / config.answers,
        "majority_baseline": _majority_baselines(config),
        "runs": runs,
    }


def _majority_baselines(config: Config) -> dict[str, dict[str, float]]:
    """Accuracy of always giving the commonest answer of each validation batch: chance, as measured."""
    result: dict[str, dict[str, float]] = {}
    for task in TASKS:
        result[task] = {}
        for length in config.lengths(task):
            _, answers = MAKERS[task](config, config.validation_size, length, generator(VALIDATION_SEED + length))
            result[task][str(length)] = float(np.bincount(answers.numpy()).max() / len(answers))
    return result
