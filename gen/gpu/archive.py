"""The one file a GPU run brings back, and importing it into results/gpu/ after checking every file.

    python -m gen import-gpu /path/to/gpu-results.tar.gz
"""

from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path
from typing import Any

from gen.errors import GenError
from gen.experiment import Experiment, all_experiments
from gen.paths import result_path, shown
from gen.selection import stale_reasons
from gen.store import parse_result, write_json_atomically

ARCHIVE_NAME = "gpu-results.tar.gz"
_RESULT = re.compile(r"^results/gpu/([a-z0-9_]+)\.json$")
_ALSO_PACKED = re.compile(r"^(summary\.json|logs/[a-z0-9_]+\.log)$")  # brought back, never imported


def pack(out: Path, profile: str) -> Path:
    """DIR/gpu-results.tar.gz: the results, summary.json and the logs, in a fixed order and with no
    owner or date in it, so the same run packs to the same bytes."""
    members = sorted((out / "results" / profile).glob("*.json")) + [out / "summary.json"] + sorted(
        (out / "logs").glob("*.log"))
    target = out / ARCHIVE_NAME
    with tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for path in members:
            if path.exists():
                info = tar.gettarinfo(str(path), arcname=path.relative_to(out).as_posix())
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mtime = 0
                with open(path, "rb") as handle:
                    tar.addfile(info, handle)
    return target


def import_gpu(archive: Path) -> int:
    """Check every file of the archive, then write the results; on any problem write nothing."""
    members, problems = _read_members(archive)
    known = {e.name: e for e in all_experiments()}
    checked: dict[str, dict[str, Any]] = {}
    for name, data in members.items():
        match = _RESULT.match(name)
        if match is None:
            continue
        problem, result = _check_result(archive, name, data, known.get(match.group(1)), match.group(1))
        if problem:
            problems.append(problem)
        else:
            checked[match.group(1)] = result
    if not problems and not checked:
        problems.append(f"{archive}: holds no results/gpu/<experiment>.json; is it the archive `make gpu` wrote?")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{archive}: nothing imported ({len(problems)} problem(s) above).", file=sys.stderr)
        return 1
    for experiment, result in sorted(checked.items()):
        write_json_atomically(result_path("gpu", experiment), result)
    print(f"imported {len(checked)} result(s) into {shown(result_path('gpu', 'x').parent)}: "
          f"{', '.join(sorted(checked))}. `python -m gen status` judges them; commit results/gpu/.")
    return 0


def _read_members(archive: Path) -> tuple[dict[str, bytes], list[str]]:
    """Every regular file of the archive by name, and one line per member that has no place in it."""
    try:
        tar = tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as err:
        raise GenError(str(archive), f"is not a readable .tar.gz archive ({err}).",
                       "Copy gpu-results.tar.gz from the GPU run's --out folder again.") from None
    members, problems = {}, []
    with tar:
        for info in tar.getmembers():
            if info.isdir():
                continue
            if not info.isfile() or not (_RESULT.match(info.name) or _ALSO_PACKED.match(info.name)):
                problems.append(f"{archive}: unexpected member '{info.name}' (only results/gpu/<experiment>.json, "
                                "summary.json and logs/ belong in it).")
                continue
            members[info.name] = tar.extractfile(info).read()
    return members, problems


def _check_result(archive: Path, name: str, data: bytes, experiment: Experiment | None,
                  experiment_name: str) -> tuple[str | None, dict[str, Any] | None]:
    where = f"{archive}:{name}"
    if experiment is None:
        return f"{where}: no experiment is named '{experiment_name}' in this tree.", None
    try:
        result = parse_result(data.decode("utf-8"), where)
    except UnicodeDecodeError:
        return f"{where}: is not UTF-8 text.", None
    except GenError as err:
        return err.line(), None
    if result["experiment"] != experiment_name or result["profile"] != "gpu":
        return (f"{where}: holds experiment '{result['experiment']}', profile '{result['profile']}'; "
                f"expected '{experiment_name}', 'gpu'."), None
    reasons = stale_reasons(experiment, "gpu", result)
    if reasons:
        return (f"{where}: measured by other code than this tree's ({'; '.join(reasons)}). Check out the "
                f"commit it names ({result['provenance'].get('git_commit')}) or run `make gpu` again."), None
    return None, result
