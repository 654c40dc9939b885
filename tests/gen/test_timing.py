"""The shared timing helpers (gen/measuring/timing.py): one thread, interleaved passes, sized blocks."""

from __future__ import annotations

import time

import torch
import torch.utils.benchmark as benchmark

from gen.measuring import timing
from gen.measuring.timing import TIMING_THREADS, Timing, time_call, time_in_sized_blocks, time_interleaved


def test_a_call_is_timed_on_the_timing_threads_and_the_thread_count_is_restored():
    seen = []
    before = torch.get_num_threads()
    time_call(lambda: seen.append(torch.get_num_threads()), 0.001)
    assert set(seen) == {TIMING_THREADS} and torch.get_num_threads() == before


def test_variants_are_timed_in_turn_pass_after_pass():
    order = []
    variants = {name: (lambda name=name: order.append(name)) for name in ("a", "b", "c")}
    time_interleaved(variants, 0.001, passes=2)
    # each time_call runs its variant many times in a row, so compress the runs to see the order
    runs = [name for i, name in enumerate(order) if i == 0 or order[i - 1] != name]
    assert runs == ["a", "b", "c", "a", "b", "c"]


def test_each_variant_keeps_its_fastest_pass_and_every_pass_median(monkeypatch):
    medians = iter([0.004, 0.001, 0.002])  # one pass each, as if a neighbour's load came and went
    monkeypatch.setattr(timing, "time_call", lambda fn, seconds, threads: Timing(next(medians), 0.0, 5))
    kept = time_interleaved({"layer": lambda: None}, 0.01, passes=3)["layer"]
    assert kept.median_s == 0.001 and kept.pass_medians_s == (0.004, 0.001, 0.002)


def test_an_error_becomes_the_marker_and_that_variant_is_not_timed_again():
    calls = {"broken": 0, "fine": 0}

    def broken():
        calls["broken"] += 1
        raise RuntimeError("no kernel for this dtype")

    def fine():
        calls["fine"] += 1

    timed = time_interleaved({"broken": broken, "fine": fine}, 0.001, passes=3,
                             on_error=lambda name, err: "unsupported")
    assert timed["broken"] == "unsupported" and calls["broken"] == 1
    assert len(timed["fine"].pass_medians_s) == 3


def test_sized_blocks_time_a_call_of_known_length():
    timer = benchmark.Timer(stmt="fn()", globals={"fn": lambda: time.sleep(0.002)})
    timing = time_in_sized_blocks(timer, 0.05)
    assert 0.002 <= timing.median_s < 0.02 and timing.runs >= 3
