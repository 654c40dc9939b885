"""`python -m gen` as a contributor runs it, against the tiny experiments in tests/fixtures/experiments."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.gen.running import FIXTURE_EXPERIMENTS, SMOKE_ON_CPU, gen, gen_env

FRAGILE_MEASURE = FIXTURE_EXPERIMENTS / "fixture_fragile" / "measure.py"


def crash_line_number() -> int:
    lines = FRAGILE_MEASURE.read_text().splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.endswith("# the fixture crash"))


def test_help_exits_zero_and_names_the_commands(tmp_path):
    done = gen("--help", env=gen_env(tmp_path))
    assert done.returncode == 0, done.stderr
    for word in ("measure", "render", "status", "import-gpu", "import-device", "--only", "--force", "--profile"):
        assert word in done.stdout


def test_list_names_each_experiment_with_its_question(tmp_path):
    done = gen("--list", env=gen_env(tmp_path, "fixture_steady,fixture_fragile"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["fixture_steady", "fixture_fragile"]
    assert lines[0].endswith("Does a fixture experiment go through measuring, storing and rendering like a real one?")


def test_list_without_the_test_seam_names_the_sites_experiments(tmp_path):
    env = gen_env(tmp_path)
    del env["RVA_EXPERIMENTS"]
    done = gen("--list", env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "serial_depth" in [line.split()[0] for line in lines]
    used_by = lines[[line.split()[0] for line in lines].index("serial_depth") + 1]
    assert used_by.split()[:2] == ["used", "by"] and "docs/lessons/02-serial-bottleneck.md" in used_by


def test_an_unknown_experiment_is_a_one_line_error(tmp_path):
    done = gen("measure", "--only", "unknown", *SMOKE_ON_CPU, env=gen_env(tmp_path))
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "--only: no experiment named 'unknown'. "
        "Known experiments: fixture_steady (see `python -m gen --list`)."
    ]
    assert not (tmp_path / "results").exists()


# A crash in one experiment ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crash(tmp_path_factory):
    """fragile measured well once, then crashing in a run that also measures steady."""
    tmp = tmp_path_factory.mktemp("crash")
    env = gen_env(tmp, "fixture_fragile,fixture_steady")
    good = gen("measure", "--only", "fixture_fragile", *SMOKE_ON_CPU, env=env)
    assert good.returncode == 0, good.stderr
    fragile_result = tmp / "results" / "smoke" / "fixture_fragile.json"
    before = fragile_result.read_bytes()
    crashed = gen("measure", "--force", *SMOKE_ON_CPU, env={**env, "RVA_FIXTURE_CRASH": "1"})
    return crashed, before, fragile_result, tmp / "results" / "smoke" / "fixture_steady.json"


def test_a_crashing_experiment_makes_the_run_fail(crash):
    crashed, *_ = crash
    assert crashed.returncode != 0


def test_a_crash_is_reported_in_one_line_naming_the_file_line_and_experiment(crash):
    crashed, *_ = crash
    (line,) = crashed.stderr.strip().splitlines()
    where = f"tests/fixtures/experiments/fixture_fragile/measure.py:{crash_line_number()}"
    crashed_with = "experiment 'fixture_fragile' crashed: RuntimeError: the fixture was told to crash."
    assert line.startswith(f"{where}: {crashed_with}")
    assert "--only fixture_fragile" in line and "previous result kept in" in line


def test_a_crash_prints_no_traceback(crash):
    crashed, *_ = crash
    assert "Traceback" not in crashed.stdout + crashed.stderr


def test_a_crash_leaves_the_previous_result_byte_identical(crash):
    _, before, fragile_result, _ = crash
    assert fragile_result.read_bytes() == before
    assert [p.name for p in fragile_result.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_after_a_crash_the_next_experiment_is_still_measured(crash):
    crashed, _, _, steady_result = crash
    assert "fixture_steady [smoke]: 1/1 self-checks passed" in crashed.stdout
    assert json.loads(steady_result.read_text())["experiment"] == "fixture_steady"


def test_a_crash_without_a_previous_result_writes_none(tmp_path):
    env = {**gen_env(tmp_path, "fixture_fragile"), "RVA_FIXTURE_CRASH": "1"}
    crashed = gen("measure", *SMOKE_ON_CPU, env=env)
    assert crashed.returncode != 0
    assert "no result written" in crashed.stderr
    assert not (tmp_path / "results" / "smoke" / "fixture_fragile.json").exists()


def test_the_traceback_flag_adds_the_full_traceback_of_a_crash(tmp_path):
    env = {**gen_env(tmp_path, "fixture_fragile"), "RVA_FIXTURE_CRASH": "1"}
    crashed = gen("measure", "--traceback", *SMOKE_ON_CPU, env=env)
    assert crashed.returncode != 0
    assert "Traceback" in crashed.stderr and "# the fixture crash" in crashed.stderr


# Reusing current results -----------------------------------------------------------------------------


def test_a_second_run_reuses_the_current_result_and_measures_nothing(tmp_path):
    env = gen_env(tmp_path)
    first = gen("measure", *SMOKE_ON_CPU, env=env)
    assert "fixture_steady [smoke]: measuring on cpu" in first.stdout
    result = tmp_path / "results" / "smoke" / "fixture_steady.json"
    before = result.stat().st_ino, result.read_bytes()
    second = gen("measure", *SMOKE_ON_CPU, env=env)
    assert second.returncode == 0, second.stderr
    assert "fixture_steady [smoke]: current, reused" in second.stdout
    assert "measuring" not in second.stdout
    assert (result.stat().st_ino, result.read_bytes()) == before


def test_force_measures_a_current_result_again(tmp_path):
    env = gen_env(tmp_path)
    gen("measure", *SMOKE_ON_CPU, env=env)
    result = tmp_path / "results" / "smoke" / "fixture_steady.json"
    inode = result.stat().st_ino
    forced = gen("measure", "--force", *SMOKE_ON_CPU, env=env)
    assert forced.returncode == 0, forced.stderr
    assert "fixture_steady [smoke]: measuring on cpu (forced)" in forced.stdout
    assert result.stat().st_ino != inode


def test_the_default_command_measures_then_renders_the_manifest(tmp_path):
    done = gen(*SMOKE_ON_CPU, env=gen_env(tmp_path))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "rendered" / "manifest.json").read_text())
    entry = manifest["experiments"]["fixture_steady"]
    assert entry["shown"] == "smoke"
    assert entry["profiles"]["smoke"]["values"]["largest_n"]["value"] == 3


# status ----------------------------------------------------------------------------------------------


def test_status_says_current_stale_or_missing_for_each_profile(tmp_path):
    packages = tmp_path / "packages"
    shutil.copytree(FIXTURE_EXPERIMENTS / "fixture_steady", packages / "fixture_status",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = gen_env(tmp_path, "fixture_status", python_path=(packages,))
    for profile in ("smoke", "cpu"):
        assert gen("measure", "--profile", profile, "--device", "cpu", env=env).returncode == 0
    init = packages / "fixture_status" / "__init__.py"
    init.write_text(init.read_text().replace("lengths=(1, 2, 3, 4)", "lengths=(1, 2, 3, 4, 6)"))

    done = gen("status", env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("fixture_status: ")
    assert lines[1].startswith("  smoke  current; ") and lines[1].endswith("checks 1/1  <- shown on the site")
    assert lines[2].startswith("  cpu    STALE: the config of this profile changed since it was measured; ")
    assert lines[3] == "  gpu    missing"
    assert lines[4].startswith("  note: ") and "cpu/fixture_status.json is stale" in lines[4]


def test_status_with_an_unreadable_result_is_a_one_line_error(tmp_path):
    env = gen_env(tmp_path)
    broken = tmp_path / "results" / "cpu" / "fixture_steady.json"
    broken.parent.mkdir(parents=True)
    broken.write_text("{\n")
    done = gen("status", env=env)
    assert done.returncode != 0
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"{broken}:2: result file is not valid JSON")
