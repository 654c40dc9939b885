"""The picker's engine on rules.yaml: which rule decides, what an answer must say, and how it writes numbers."""

from __future__ import annotations

import json
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gen.paths import REPO_ROOT
from gen.picker.engine import ProblemError, load_rules, pick
from gen.picker.examples import load_examples
from gen.picker.formula import FormulaError, fixed, parse, sci, write

PICKER_JS = REPO_ROOT / "site_src" / "assets" / "picker.js"

RULES = load_rules()
EXAMPLES = load_examples()

# Which rule should decide each worked example, and so which family; the lesson explains each.
EXPECTED = {
    "chat_assistant": ("default", "transformer"),
    "long_document_qa": ("default", "transformer"),
    "small_gpu_long_context": ("memory", "window"),
    "fast_batch_summaries": ("latency", "window"),
    "genome_classifier": ("long_local", "window"),
    "streaming_transcription": ("stream", "ssm"),
    "streaming_meeting_assistant": ("stream_recall", "hybrid"),
    "keyword_spotting": ("small_stream", "rnn"),
    "large_sensor_rnn": ("small_stream", "rnn"),
}


def caveat_keys(answer) -> list[str]:
    return [c.key for c in answer.caveats]


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_each_worked_example_is_decided_by_the_expected_rule(example):
    answer = pick(EXAMPLES[example]["problem"])
    assert (answer.rule, answer.family) == EXPECTED[example]


def test_every_rule_decides_at_least_one_worked_example_or_is_shadowed_on_purpose():
    deciding = {rule for rule, _ in EXPECTED.values()}
    untested = [r["key"] for r in RULES["rules"] if r["key"] not in deciding]
    # Lookup variants of the memory and latency rules, checked directly below.
    assert untested == ["memory_recall", "latency_recall"]


@pytest.mark.parametrize("example, rule", [("small_gpu_long_context", "memory_recall"),
                                           ("fast_batch_summaries", "latency_recall")])
def test_a_task_that_needs_lookup_gets_a_hybrid_where_a_local_one_gets_a_window(example, rule):
    answer = pick({**EXAMPLES[example]["problem"], "recall": True})
    assert (answer.rule, answer.family) == (rule, "hybrid")


def test_the_deciding_constraint_quotes_the_numbers_that_decided():
    answer = pick(EXAMPLES["small_gpu_long_context"]["problem"])
    # weights 7e9 x 2 B = 13.0 GiB; cache 2 x 32 x 8 x 128 x 32,768 x 2 B = 4.00 GiB; device 16 GiB
    assert "17.0 GiB" in answer.constraint and "16.0 GiB" in answer.constraint
    assert "32,768" in answer.constraint


def test_a_stream_is_decided_before_memory_even_when_full_attention_would_not_fit():
    answer = pick({"seq_len": 10**9, "streaming": True, "params": 8e9, "device_memory_gib": 1})
    assert answer.rule == "stream"
    assert answer.quantities["full_memory_b1"] > answer.quantities["device_bytes"]


# ---- the three rules that an answer must state ------------------------------------------------------

def test_a_pure_rnn_above_1b_training_tokens_states_its_gradient_and_parallelism_penalty():
    answer = pick(EXAMPLES["large_sensor_rnn"]["problem"])
    assert answer.family == "rnn"
    (caveat,) = answer.caveats
    assert caveat.key == "rnn_over_1b_tokens"
    assert "gradient flow" in caveat.text and "Parallelism" in caveat.text
    assert "1,000,000 dependent steps" in caveat.text


def test_a_pure_rnn_at_exactly_1b_training_tokens_needs_no_caveat():
    answer = pick({**EXAMPLES["large_sensor_rnn"]["problem"], "training_tokens": 1e9})
    assert answer.family == "rnn" and answer.caveats == []


def test_full_attention_beyond_64k_states_the_quadratic_cost_and_the_fused_kernel_caveat():
    answer = pick(EXAMPLES["long_document_qa"]["problem"])
    assert answer.family == "transformer"
    (caveat,) = answer.caveats
    assert "O(T^2)" in caveat.text and "fused kernel" in caveat.text and "FlashAttention" in caveat.text
    assert "68.2%" in caveat.text  # 6·32·131,072·4,096 / (6·8e9 + that) = 1.03e11 / 1.51e11


def test_full_attention_at_exactly_64k_needs_no_caveat():
    answer = pick({**EXAMPLES["long_document_qa"]["problem"], "seq_len": 65536})
    assert answer.family == "transformer" and answer.caveats == []


@pytest.mark.parametrize("example, fallback", [("streaming_transcription", "window"),
                                               ("streaming_meeting_assistant", "window")])
def test_a_new_architecture_in_production_names_an_established_fallback(example, fallback):
    answer = pick(EXAMPLES[example]["problem"])
    assert answer.fallback == fallback
    assert RULES["families"][fallback]["maturity"] == "established"
    (caveat,) = answer.caveats
    assert caveat.key == "new_in_production" and "named fallback is a Transformer" in caveat.text


def test_the_same_new_architecture_outside_production_names_no_fallback():
    answer = pick({**EXAMPLES["streaming_transcription"]["problem"], "production": False})
    assert answer.family == "ssm" and answer.fallback is None and answer.caveats == []


problems = st.fixed_dictionaries({
    "seq_len": st.sampled_from([512, 8192, 65536, 65537, 131072, 10**6]),
    "batch": st.sampled_from([1, 8, 64]),
    "streaming": st.booleans(),
    "recall": st.booleans(),
    "params": st.sampled_from([2e5, 5e7, 1e8, 1e9, 8e9, 7e10]),
    "training_tokens": st.sampled_from([1e8, 1e9, 1.1e9, 1e12]),
    "latency_ms": st.sampled_from([1, 20, 100]),
    "device_memory_gib": st.sampled_from([1, 16, 80]),
    "production": st.booleans(),
})


@settings(max_examples=300, deadline=None)
@given(problems)
def test_no_answer_ever_skips_one_of_the_three_statements(problem):
    answer = pick(problem)
    keys = caveat_keys(answer)
    if answer.family == "rnn" and problem["training_tokens"] > 1e9:
        assert "rnn_over_1b_tokens" in keys
    full_attention = answer.family == "transformer" or (answer.family == "hybrid" and not problem["streaming"])
    if full_attention and problem["seq_len"] > 65536:
        assert "full_attention_over_64k" in keys
    if problem["production"] and RULES["families"][answer.family]["maturity"] == "new":
        assert answer.fallback and "new_in_production" in keys


# ---- the problem's input checks ------------------------------------------------------------------------

@pytest.mark.parametrize("problem, message", [
    ({"seq_len": 0}, "--seq-len: must be at least 1 (got 0)"),
    ({"seq_len": 1.5}, "--seq-len: must be a whole number"),
    ({"params": "big"}, "--params: must be a number"),
    ({"streaming": 1}, "--streaming: must be true or false"),
    ({"context": 5}, "unknown input 'context'"),
])
def test_a_bad_problem_is_refused_with_the_flag_that_is_wrong(problem, message):
    with pytest.raises(ProblemError, match=message.replace("(", r"\(").replace(")", r"\)")):
        pick(problem)


# ---- formulas and how numbers are written ------------------------------------------------------------

@pytest.mark.parametrize("text", ["2 ** 3", "__import__('os')", "a if b else c", "x[0]", "min()", "ceil(1, 2)",
                                  "f(x)", "x.y", "'text'", "True"])
def test_a_formula_outside_the_grammar_is_refused(text):
    with pytest.raises(FormulaError):
        parse(text)


FIXED_CASES = [(0.125, 2, "0.13"), (2.5, 0, "3"), (1234567.891, 1, "1,234,567.9"), (0.0, 2, "0.00")]


@pytest.mark.parametrize("x, digits, text", FIXED_CASES)
def test_fixed_rounds_ties_up(x, digits, text):
    assert fixed(x, digits) == text


def picker_js(function: str, calls: list[list]) -> list:
    """function(*args) for each args in calls, evaluated by site_src/assets/picker.js itself in Node."""
    script = (
        "const vm = require('vm'); const fs = require('fs');"
        "const ctx = {document$: {subscribe() {}}}; vm.createContext(ctx);"
        f"vm.runInContext(fs.readFileSync({json.dumps(str(PICKER_JS))}, 'utf8'), ctx);"
        f"const calls = {json.dumps(calls)};"
        f"console.log(JSON.stringify(calls.map((args) => ctx.{function}(...args))));"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_fixed_rounds_ties_up_in_picker_js_exactly_as_in_python():
    assert picker_js("pickerFixed", [[x, digits] for x, digits, _ in FIXED_CASES]) == [t for *_, t in FIXED_CASES]


SCI_CASES = [(0, "0"), (5, "5"), (0.5, "0.50"), (1000, "1.00 × 10³"), (9.996e20, "1.00 × 10²¹"),
             (1.23456e-6, "1.23 × 10⁻⁶")]


@pytest.mark.parametrize("x, text", SCI_CASES)
def test_sci_writes_three_significant_digits_without_platform_formatting(x, text):
    assert sci(x) == text


def test_sci_writes_the_same_text_in_picker_js():
    assert picker_js("pickerSci", [[x] for x, _ in SCI_CASES]) == [text for _, text in SCI_CASES]


WRITE_CASES = [(1023, "bytes", "1,023 B"), (1024, "bytes", "1.00 KiB"), (16 * 2**30, "bytes", "16.0 GiB"),
               (0.682, "percent", "68.2%"), (3.35e12, "bandwidth", "3,350 GB/s"), (0.004, "ms", "4.00 µs"),
               (6674.2, "ms", "6.67 s"), (999.4, "ms", "999 ms"), (0.3, "factor", "0.30×")]


@pytest.mark.parametrize("x, unit, text", WRITE_CASES)
def test_write_formats_each_unit(x, unit, text):
    assert write(x, unit) == text


def test_write_formats_each_unit_in_picker_js_as_in_python():
    assert picker_js("pickerWrite", [[x, unit] for x, unit, _ in WRITE_CASES]) == [text for *_, text in WRITE_CASES]


def test_recall_over_an_unbounded_stream_states_the_window_as_the_limit_and_offers_retrieval():
    answer = pick(EXAMPLES["streaming_meeting_assistant"]["problem"])
    window = f"{int(RULES['constants']['window']['value']):,}"
    assert answer.rule == "stream_recall"
    assert "no model whose memory stays bounded can quote arbitrary old tokens" in answer.constraint
    assert f"within their last {window} tokens" in answer.constraint and "retrieval" in answer.constraint
    assert any("limit of what the model can quote exactly" in line for line in answer.strategy)


@given(problems)
def test_a_fallback_is_never_the_full_attention_design_that_the_deciding_rule_excluded(problem):
    answer = pick({**problem, "production": True})
    if answer.family == "hybrid":
        assert answer.fallback == "window"


@pytest.mark.parametrize(("problem", "family"), [
    ({"seq_len": 131072, "recall": True, "params": 8.0e9}, "transformer"),
    ({"seq_len": 200000, "params": 1.25e8}, "window"),
    ({"seq_len": 1000000, "streaming": True, "params": 1.0e9}, "ssm"),
])
def test_prefill_grows_with_the_square_of_the_prompt_only_under_full_attention(problem, family):
    """Twice the prompt: a recurrence reads it in twice the FLOPs, a window in twice as well (its
    window is fixed), full attention in more than twice (the T² term), and the answer says so."""
    short = pick(problem)
    longer = pick({**problem, "seq_len": 2 * problem["seq_len"]})
    assert short.family == longer.family == family
    growth = longer.quantities["prefill_flops"] / short.quantities["prefill_flops"]
    if family == "transformer":
        assert growth > 3  # 68% of it in attention at 128K: 2 x 0.32 + 4 x 0.68 = 3.4
    else:
        assert growth == pytest.approx(2.0)
    assert short.quantities["prefill_ms"] == pytest.approx(
        1000 * short.quantities["prefill_flops"] / (short.quantities["device_tflops"] * 1e12))
    assert write(short.quantities["prefill_ms"], "ms") in short.prefill


def test_the_memory_sentence_speaks_of_a_batch_only_when_there_is_one():
    """It used to say 'batch 1 needs X ... and a batch of 1 needs X'."""
    single = pick({"seq_len": 8192, "params": 8.0e9})
    several = pick({"seq_len": 8192, "params": 8.0e9, "batch": 16})
    assert "a batch of" not in single.memory
    assert single.memory.count(write(single.quantities["memory_b1"], "bytes")) == 1
    assert "a batch of 16 needs" in several.memory
