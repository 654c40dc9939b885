"""Can a tiny LSTM, GRU or Transformer learn to recall a token seen L steps earlier, and how long does it take?

Two synthetic tasks, answered at the last position of a sequence of length L. First token: the
sequence opens with one of a few answer symbols, then L - 1 filler tokens; the model must output the
opening symbol. Associative recall: a few key-value pairs open the sequence, filler follows, and the
last token is one of the keys; the model must output its value. Each model is trained with Adam for
a fixed budget of steps and stops early once a fixed validation batch is 99% right; we record how
many steps that took, or that it did not happen within the budget.

    python -m gen measure --only long_range_task --profile cpu
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Config:
    first_token_lengths: tuple[int, ...]  # L, the sequence length: the answer is L - 1 steps before the end
    recall_lengths: tuple[int, ...]  # associative recall is harder to learn, so it gets shorter lengths
    first_token_steps: int  # the training budget per run, in Adam updates: "not solved" means within it
    recall_steps: int
    seeds: tuple[int, ...]  # one initialisation and one stream of training batches per seed
    models: tuple[str, ...] = ("lstm", "gru", "transformer")
    width: int = 64  # every model's width: at 32 the recurrent nets needed twice the steps for recall
    layers: int = 2  # transformer layers: recall needs two (find the key, then read the token after it)
    heads: int = 4
    answers: int = 4  # symbols that can be the answer: chance accuracy is 1 / answers
    keys: int = 4  # key symbols of associative recall (keys within one sequence are distinct)
    fillers: int = 8  # filler symbols, drawn at random, so that the gap carries noise, not silence
    pairs: int = 2  # key-value pairs per associative-recall sequence
    batch: int = 64
    recurrent_learning_rate: float = 2e-2  # Adam; each rate is the best of {3e-3, 1e-2, 2e-2} (recurrent)
    transformer_learning_rate: float = 3e-3  # or {3e-3, 1e-2} (transformer: it diverged at 1e-2) on recall, L = 8
    validation_size: int = 256  # a fixed batch: 99% of 256 is at most 2 mistakes
    solved_at: float = 0.99  # validation accuracy that counts as solved

    def lengths(self, task: str) -> tuple[int, ...]:
        return {"first_token": self.first_token_lengths, "associative_recall": self.recall_lengths}[task]

    def budget(self, task: str) -> int:
        return {"first_token": self.first_token_steps, "associative_recall": self.recall_steps}[task]


TASKS = ("first_token", "associative_recall")

PRESETS = {
    # A few seconds: the shortest length only, one seed; every run must solve it.
    "smoke": Config(first_token_lengths=(8,), recall_lengths=(8,), first_token_steps=200, recall_steps=300,
                    seeds=(0,)),
    # About 50 s on 2 cores, the hardest budget of the site. A step costs time in proportion to L
    # (recurrent nets) or more (attention), and a run that fails spends its whole budget. Recall's
    # 300 steps are 1.3x its slowest solve at L = 8 over the models and seeds we tried; the first
    # token is learned within 30 steps at L = 8, and 200 steps are still 7x that. Longer lengths
    # (128 and up) cost more than the minute allows and are left to the GPU.
    "cpu": Config(first_token_lengths=(8, 32, 64), recall_lengths=(8, 16), first_token_steps=200,
                  recall_steps=300, seeds=(0, 1)),
    # One H100/H200. The lengths stop where the CPU runs (and the models' gradients, lesson 3) say the
    # recurrent nets no longer solve within the budget: a run that fails spends all of it, and at
    # L = 4,096 that was about half of this experiment's time for no new point. A larger batch makes
    # each step more informative at almost no extra time.
    "gpu": Config(first_token_lengths=(8, 64, 512), recall_lengths=(8, 32, 128), first_token_steps=300,
                  recall_steps=300, seeds=(0, 1), batch=128, validation_size=512),
}

# The gpu preset's code (its batch and validation size) at the shortest lengths: a CPU dry run.
PRESETS["dry"] = replace(PRESETS["gpu"], first_token_lengths=(8,), recall_lengths=(8,), first_token_steps=200,
                         seeds=(0,))

# One H100/H200, estimated: 3 models x 6 lengths x 2 seeds = 36 runs of at most 300 steps, a few
# milliseconds a step (more for the recurrent nets at L = 512, which spend the whole budget).
# The config fields that are sequence lengths fed to cuDNN's LSTM/GRU (linted in gen/gpu/plan.py).
RNN_LENGTH_FIELDS = ("first_token_lengths", "recall_lengths")
GPU_SECONDS = 50
