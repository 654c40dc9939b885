"""A broken rules file stops with rules.yaml:LINE and what to do, never with a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from gen.picker.rules_file import RULES_PATH, RulesError, load_rules

SOURCE = RULES_PATH.read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of rules.yaml with `old` replaced by `new`, and the line the replacement starts on."""
    assert SOURCE.count(old) == 1, old
    path = tmp_path / "rules.yaml"
    path.write_text(SOURCE.replace(old, new), encoding="utf-8")
    return path, SOURCE[: SOURCE.index(old)].count("\n") + 1


def test_the_shipped_rules_load():
    assert load_rules()["rules"][-1]["key"] == "default"


@pytest.mark.parametrize("old, new, message", [
    ("formula: weights_bytes + kv_cache_bytes,", "formula: weights_bytes + kv_cache_bytez,",
     "derived quantity 'full_memory_b1' reads 'kv_cache_bytez', which is not defined above it."),
    ("formula: 6 * params, unit: flops}", "formula: 6 ** params, unit: flops}",
     "derived quantity 'recurrent_flops': '6 ** params' uses something outside the formula grammar"),
    ("{field: full_decode_ms, op: gt, value: latency_ms}, {field: recall",
     "{field: full_decode_ms, op: greater, value: latency_ms}, {field: recall",
     "operator 'greater' is unknown."),
    ("    family: ssm\n    when: [{field: streaming, op: eq, value: true}]",
     "    family: mamba\n    when: [{field: streaming, op: eq, value: true}]", "family 'mamba' is unknown."),
    ("kind: integer, min: 1, max: 1000000, default: 1,", "kind: integer, min: 1, max: 1000000, default: 0,",
     "the default of 'batch' breaks its own spec"),
    ("  memory_b1: {formula: weights_bytes + state_bytes, unit: bytes}",
     "  memory_b1: {formula: weights_bytes + state_bytes, unit: gigabytes}", "unit 'gigabytes' of 'memory_b1'"),
    ("constraint: \"Streaming: memory must not grow", "constraint: \"Streaming {nonsense}: memory must not grow",
     "'{nonsense}' in the text names no quantity."),
])
def test_a_broken_rule_is_reported_at_its_line(tmp_path, old, new, message):
    path, line = broken(tmp_path, old, new)
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    text = caught.value.line()
    assert text.startswith(f"{path}:")
    reported = int(text.split(":")[1])
    assert line - 3 <= reported <= line, text  # the mapping that holds the mistake (flow mappings span lines)
    assert message in text


def test_a_new_family_without_a_fallback_is_refused(tmp_path):
    path, line = broken(tmp_path, "    flops: recurrent_flops\n    fallback: window\n", "    flops: recurrent_flops\n")
    with pytest.raises(RulesError, match="family 'ssm' is new but names no fallback"):
        load_rules(path)


def test_rules_without_a_default_rule_are_refused(tmp_path):
    path, _ = broken(tmp_path, "    family: transformer\n    when: []",
                     "    family: transformer\n    when: [{field: recall, op: eq, value: true}]")
    with pytest.raises(RulesError, match="the last rule must have no conditions"):
        load_rules(path)


def test_a_rule_may_not_test_what_only_a_family_defines(tmp_path):
    path, _ = broken(tmp_path, "    when: [{field: full_memory_b1, op: gt, value: device_bytes}]\n",
                     "    when: [{field: memory_b1, op: gt, value: device_bytes}]\n")
    with pytest.raises(RulesError, match="condition on 'memory_b1', which is unknown here"):
        load_rules(path)


def test_invalid_yaml_is_reported_at_its_line(tmp_path):
    path, line = broken(tmp_path, "  - key: stream_recall\n", "  - key: [stream_recall\n")
    with pytest.raises(RulesError, match=r"not valid YAML") as caught:
        load_rules(path)
    assert int(caught.value.line().split(":")[1]) >= line
