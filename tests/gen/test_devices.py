"""`python -m gen import-device FILE`: a reader's panel result is stored once, and a bad one is refused whole.

The files come from strangers' browsers, so each kind of bad file is run through the real command line:
it must exit non-zero, print one line per problem naming the file and the JSON path, and write nothing.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gen.devices import browser_name, canonical_json, import_device, problems, stored_devices
from tests.conftest import isolated_env, run
from tests.gen.device_documents import SAFARI, valid_document, write


def import_device_cli(file: Path, tmp_path: Path):
    return run([sys.executable, "-m", "gen", "import-device", str(file)], isolated_env(tmp_path))


def expected_name(document: dict) -> str:
    digest = hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()[:10]
    return f"{document['measured_at'][:10]}-{document['panel']}-{digest}.json"


# ---- a good file ------------------------------------------------------------------------------------------


def test_a_valid_document_has_no_problems():
    assert problems(valid_document()) == []


def test_a_valid_file_is_stored_once_under_its_date_panel_and_content_hash(tmp_path):
    document = valid_document()
    done = import_device_cli(write(tmp_path / "downloads", document), tmp_path)
    assert done.returncode == 0, done.stderr
    stored = sorted((tmp_path / "results" / "devices").iterdir())
    assert [p.name for p in stored] == [expected_name(document)]
    assert stored[0].name.startswith("2025-06-01-serial_depth-")
    assert json.loads(stored[0].read_text()) == document
    assert done.stdout.splitlines() == [
        f"stored {stored[0]} (serial_depth, Apple M2, Safari 26)"]


def test_importing_the_same_result_twice_stores_one_file_and_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RVA_RESULTS", str(tmp_path / "results"))
    document = valid_document()
    first = import_device(write(tmp_path / "a", document))
    inode = first.stat().st_ino
    respaced = write(tmp_path / "b", json.dumps(dict(reversed(document.items())), indent=4))  # same content
    second = import_device(respaced)
    assert second == first and first.stat().st_ino == inode  # not even rewritten
    assert list((tmp_path / "results" / "devices").iterdir()) == [first]
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"already stored {first} (")


def test_an_adapter_description_with_markup_is_accepted_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv("RVA_RESULTS", str(tmp_path / "results"))
    document = valid_document()
    document["device"]["adapter"]["description"] = "<script>alert(1)</script>"
    import_device(write(tmp_path, document))
    assert [d["device"]["adapter"]["description"] for d in stored_devices()] == ["<script>alert(1)</script>"]


# ---- bad files: refused whole, one line per problem, nothing written ----------------------------------


def _set(path: tuple, value):
    def change(document: dict) -> None:
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


def _delete_claim(document: dict) -> None:
    del document["claim"]


def _cpu_only_browser(document: dict) -> None:
    document["device"].update(webgpu=False, adapter=None)


def _in_three_days(document: dict) -> None:
    document["measured_at"] = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _nothing_verified(document: dict) -> None:
    for series in document["series"]:
        for point in series["points"]:
            point["verified"] = False


BAD_DOCUMENTS = {
    "missing field": (_delete_claim, ["claim: is missing (every result file has it)"]),
    "wrong type": (_set(("device", "webgpu"), "yes"), ["device.webgpu: 'yes' is not of type 'boolean'"]),
    "unknown field": (_set(("device", "gpu_name"), "x"), [
        "device.gpu_name: is not a field of this format (known here: webgpu, adapter, user_agent, "
        "timer_resolution_ms, cross_origin_isolated)"]),
    "absurd ms": (_set(("series", 0, "points", 3, "ms"), 1e9),
                  ["series[0].points[3].ms: 1000000000.0 is greater than the maximum of 600000"]),
    "zero x": (_set(("series", 1, "points", 0, "x"), 0),
               ["series[1].points[0].x: 0 is less than the minimum of 1"]),
    "absurd slope": (_set(("slopes", "gpu_chain"), 50), ["slopes.gpu_chain: 50 is greater than the maximum of 4"]),
    "x not increasing": (_set(("series", 0, "points", 2, "x"), 4096), [
        "series[0].points[2].x: 4096 is not greater than the previous point's x (4096); "
        "x must increase strictly along a series"]),
    "gpu series without webgpu": (_cpu_only_browser, [
        "series[0].unit: is 'gpu', but device.webgpu is false: no GPU series without WebGPU"]),
    "control character in a label": (_set(("series", 1, "label"), "Java\x07Script"),
                                     ["series[1].label: contains a control character (U+0007 at position 4)"]),
    "future date": (_in_three_days, None),  # the date in the message is today's: checked by its start below
    "date before the panels": (_set(("measured_at",), "2023-12-31T23:59:59Z"), [
        "measured_at: '2023-12-31T23:59:59Z' is before 2024-01-01, when no panel existed yet"]),
    "nothing verified": (_nothing_verified, [
        "series: no point is verified, so no timing in the file computed the right answer"]),
    "slope of no series": (_set(("slopes", "gpu_scan"), 0.2), [
        "slopes.gpu_scan: names no series of this file (its series: gpu_chain, js_loop)"]),
}


@pytest.mark.parametrize("kind", BAD_DOCUMENTS)
def test_a_bad_file_is_refused_with_one_line_per_problem_naming_its_path(kind, tmp_path):
    change, expected = BAD_DOCUMENTS[kind]
    document = valid_document()
    change(document)
    file = write(tmp_path / "downloads", document)
    done = import_device_cli(file, tmp_path)
    assert done.returncode != 0
    lines = done.stderr.splitlines()
    if expected is None:  # future date
        assert len(lines) == 1 and lines[0].startswith(f"{file}: measured_at: '")
        assert lines[0].endswith("is in the future (more than a day ahead of this machine's clock)")
    else:
        assert lines == [f"{file}: {line}" for line in expected]
    assert done.stdout == ""
    assert not (tmp_path / "results").exists()


def test_every_problem_of_a_file_is_reported_at_once_in_path_order():
    document = valid_document()
    points = document["series"][0]["points"]
    points += [{"x": 100000 + i, "ms": 1.0, "batches": 1, "verified": True} for i in range(8)]
    points[10]["batches"] = 0  # written first: points[10] must still come after points[2], not before it
    points[2]["batches"] = 0
    points[0]["ms"] = -1
    document["series"][1]["label"] = "tab\there"  # a plausibility problem, after the schema's
    lines = problems(document)
    assert [line.split(":")[0] for line in lines] == [
        "series[0].points[0].ms", "series[0].points[2].batches", "series[0].points[10].batches", "series[1].label"]


def test_a_file_that_is_not_json_is_one_line_with_its_line_and_column(tmp_path):
    file = write(tmp_path / "downloads", '{"schema": "rva-device-result/1",\n  oops}')
    done = import_device_cli(file, tmp_path)
    assert done.returncode != 0
    assert done.stderr.splitlines() == [
        f"{file}: not valid JSON (line 2, column 3: Expecting property name enclosed in double quotes)"]
    assert not (tmp_path / "results").exists()


def test_nan_is_not_json_even_though_python_reads_it(tmp_path):
    file = write(tmp_path / "downloads", json.dumps(valid_document()).replace('"crossover": null',
                                                                              '"crossover": NaN'))
    done = import_device_cli(file, tmp_path)
    assert done.returncode != 0
    assert done.stderr.splitlines() == [f"{file}: not valid JSON (NaN is not a number JSON can hold)"]


def test_a_missing_file_is_one_line(tmp_path):
    file = tmp_path / "downloads" / "nowhere.json"
    done = import_device_cli(file, tmp_path)
    assert done.returncode != 0
    assert done.stderr.splitlines() == [f"{file}: no such file"]
    assert not (tmp_path / "results").exists()


def test_import_device_without_a_file_says_how_to_call_it(tmp_path):
    done = run([sys.executable, "-m", "gen", "import-device"], isolated_env(tmp_path))
    assert done.returncode != 0
    assert done.stderr.splitlines()[0].startswith("import-device: needs the result file to import.")


# ---- reading stored results back --------------------------------------------------------------------------


def test_a_stored_file_that_no_longer_passes_is_skipped_with_a_warning(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RVA_RESULTS", str(tmp_path / "results"))
    older, newer = valid_document(), valid_document()
    older["measured_at"] = "2025-01-01T00:00:00Z"
    import_device(write(tmp_path / "a", newer))
    import_device(write(tmp_path / "b", older))
    broken = valid_document()
    broken["slopes"]["js_loop"] = 9
    write(tmp_path / "results" / "devices", broken, "2025-03-01-serial_depth-0123456789.json")
    capsys.readouterr()
    assert [d["measured_at"] for d in stored_devices()] == ["2025-01-01T00:00:00Z", "2025-06-01T12:00:00Z"]
    (warning,) = capsys.readouterr().err.splitlines()
    assert warning.endswith("2025-03-01-serial_depth-0123456789.json: not shown: "
                            "slopes.js_loop: 9 is greater than the maximum of 4")


def test_no_stored_folder_means_no_devices(tmp_path, monkeypatch):
    monkeypatch.setenv("RVA_RESULTS", str(tmp_path / "results"))
    assert stored_devices() == []


@pytest.mark.parametrize(("user_agent", "short"), [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36", "Chrome 131"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:141.0) Gecko/20100101 Firefox/141.0", "Firefox 141"),
    (SAFARI, "Safari 26"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36 Edg/131.0.2903.86", "Edge 131"),
    ("SomeBrowser built from source, no version in the usual place", "SomeBrowser built from source, no versio"),
])
def test_the_browser_is_named_short_from_its_user_agent(user_agent, short):
    assert browser_name(user_agent) == short
