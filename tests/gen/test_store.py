"""Result files: atomic replacement, nothing written when the payload is not JSON, clear read errors."""

from __future__ import annotations

import json
import os

import pytest

from gen.errors import GenError
from gen.store import read_result, write_json_atomically

GOOD = {"experiment": "x", "profile": "smoke", "provenance": {}, "data": {"n": [1, 2]}}


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_written_json_reads_back_equal(tmp_path):
    path = tmp_path / "deep" / "er" / "result.json"
    write_json_atomically(path, GOOD)
    assert json.loads(path.read_text()) == GOOD


def test_a_rewrite_replaces_the_file_instead_of_overwriting_it_in_place(tmp_path):
    path = tmp_path / "result.json"
    write_json_atomically(path, {"version": 1})
    with path.open() as reader_of_the_old_file:
        write_json_atomically(path, {"version": 2, "padding": "x" * 1000})
        assert json.loads(reader_of_the_old_file.read()) == {"version": 1}
    assert json.loads(path.read_text())["version"] == 2


def test_a_successful_write_leaves_no_temporary_file(tmp_path):
    write_json_atomically(tmp_path / "result.json", GOOD)
    write_json_atomically(tmp_path / "result.json", GOOD)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("unstorable", [float("nan"), float("inf"), {1, 2}, object()])
def test_a_payload_json_cannot_hold_leaves_the_old_file_untouched(tmp_path, unstorable):
    path = tmp_path / "result.json"
    write_json_atomically(path, GOOD)
    before = path.read_bytes()
    with pytest.raises((ValueError, TypeError)):
        write_json_atomically(path, {**GOOD, "data": {"median_s": unstorable}})
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_failed_rename_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "result.json"
    write_json_atomically(path, GOOD)
    before = path.read_bytes()

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_json_atomically(path, {**GOOD, "data": {}})
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_reading_a_missing_result_gives_none(tmp_path):
    assert read_result(tmp_path / "nothing.json") is None


def test_reading_invalid_json_names_the_file_and_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n "experiment": "x",\n "profile": oops\n}\n')
    with pytest.raises(GenError) as raised:
        read_result(path)
    line = raised.value.line()
    assert line.startswith(f"{path}:3: ")
    assert "not valid JSON" in line
    assert "\n" not in line


def test_reading_a_truncated_result_file_is_a_gen_error(tmp_path):
    path = tmp_path / "truncated.json"
    write_json_atomically(path, GOOD)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(GenError, match="not valid JSON"):
        read_result(path)


def test_reading_a_result_without_data_names_the_missing_field(tmp_path):
    path = tmp_path / "partial.json"
    write_json_atomically(path, {k: v for k, v in GOOD.items() if k != "data"})
    with pytest.raises(GenError) as raised:
        read_result(path)
    assert raised.value.line().startswith(f"{path}:1: ")
    assert "'data'" in raised.value.line()


def test_reading_a_result_with_nan_is_a_one_line_error_naming_the_file(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text('{"experiment": "x", "profile": "gpu", "provenance": {}, "data": {"median_s": NaN}}')
    with pytest.raises(GenError, match=r"nan\.json:1: result file is not strict JSON \(NaN is not a number"):
        read_result(path)
