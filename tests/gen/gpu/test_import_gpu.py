"""`python -m gen import-gpu ARCHIVE`: every file checked first; on any problem one line each, nothing written."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from gen.gpu.archive import import_gpu
from gen.runner import measure_one


@pytest.fixture
def fixtures_known(monkeypatch, steady):
    monkeypatch.setenv("RVA_EXPERIMENTS", "fixture_steady")
    return steady


def gpu_result(steady, results_dir) -> dict:
    """A fixture result of the gpu profile, as run-gpu would have written it (measured on the CPU here)."""
    measure_one(steady, "gpu", "cpu")
    path = results_dir / "gpu" / "fixture_steady.json"
    result = json.loads(path.read_text())
    path.unlink()
    return result


def archive(tmp_path, members: dict[str, bytes]):
    path = tmp_path / "gpu-results.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def as_bytes(result: dict) -> bytes:
    return json.dumps(result).encode()


def test_a_good_archive_is_imported_into_results_gpu(tmp_path, fixtures_known, results_dir, capsys):
    result = gpu_result(fixtures_known, results_dir)
    path = archive(tmp_path, {"results/gpu/fixture_steady.json": as_bytes(result), "summary.json": b"{}",
                              "logs/fixture_steady.log": b"ok"})
    assert import_gpu(path) == 0
    assert json.loads((results_dir / "gpu" / "fixture_steady.json").read_text()) == result
    assert "imported 1 result(s)" in capsys.readouterr().out


def doctor(result: dict, how: str) -> dict[str, bytes]:
    name = "results/gpu/fixture_steady.json"
    if how == "stale":
        result["provenance"]["hash_parts"]["config"] = "0" * 16
    elif how == "wrong_profile":
        result["profile"] = "cpu"
    elif how == "unknown_experiment":
        return {"results/gpu/no_such_experiment.json": as_bytes(result)}
    elif how == "invalid_json":
        return {name: b'{"experiment": '}
    elif how == "nan":
        return {name: as_bytes(result).replace(b'"value": 1.0', b'"value": NaN')}
    elif how == "no_data":
        del result["data"]
    elif how == "path_outside":
        return {name: as_bytes(result), "../../etc/evil.json": b"{}"}
    elif how == "empty":
        return {"summary.json": b"{}"}
    return {name: as_bytes(result)}


@pytest.mark.parametrize("how, message", [
    ("stale", "measured by other code than this tree's (the config of this profile changed since it was measured)"),
    ("wrong_profile", "holds experiment 'fixture_steady', profile 'cpu'; expected 'fixture_steady', 'gpu'."),
    ("unknown_experiment", "no experiment is named 'no_such_experiment' in this tree."),
    ("invalid_json", "result file is not valid JSON"),
    ("nan", "result file is not strict JSON (NaN is not a number JSON can hold)"),
    ("no_data", "result file has no 'data' field."),
    ("path_outside", "unexpected member '../../etc/evil.json'"),
    ("empty", "holds no results/gpu/<experiment>.json"),
])
def test_a_bad_archive_gets_one_line_per_problem_and_nothing_is_written(
        tmp_path, fixtures_known, results_dir, capsys, how, message):
    path = archive(tmp_path, doctor(gpu_result(fixtures_known, results_dir), how))
    assert import_gpu(path) == 1
    problem, closing = capsys.readouterr().err.strip().splitlines()
    assert message in problem and str(path) in problem
    assert closing == f"{path}: nothing imported (1 problem(s) above)."
    assert not (results_dir / "gpu").exists() or not any((results_dir / "gpu").iterdir())


def test_one_bad_file_keeps_the_good_ones_out_too(tmp_path, fixtures_known, results_dir):
    good = gpu_result(fixtures_known, results_dir)
    path = archive(tmp_path, {"results/gpu/fixture_steady.json": as_bytes(good),
                              "results/gpu/no_such_experiment.json": as_bytes(good)})
    assert import_gpu(path) == 1
    assert not (results_dir / "gpu" / "fixture_steady.json").exists()


def test_a_file_that_is_not_an_archive_is_a_gen_error(tmp_path, fixtures_known):
    from gen.errors import GenError

    path = tmp_path / "gpu-results.tar.gz"
    path.write_text("not an archive")
    with pytest.raises(GenError, match="is not a readable .tar.gz archive"):
        import_gpu(path)
