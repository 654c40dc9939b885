"""Reading and writing result files. Writes are atomic: a reader sees the old file or the new one."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from gen.errors import GenError
from gen.paths import shown


def write_json_atomically(path: Path, payload: Any) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over the target.

    rename() within one filesystem is atomic, so an interrupted run leaves either the previous good
    file or the complete new one, never a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(payload, indent=1, sort_keys=True, allow_nan=False) + "\n"
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def read_result(path: Path) -> dict[str, Any] | None:
    """The result stored at path, None when there is none, a GenError when it is unreadable."""
    if not path.exists():
        return None
    return parse_result(path.read_text(encoding="utf-8"), shown(path))


def parse_result(text: str, where: str) -> dict[str, Any]:
    """A result file's text as strict JSON (no NaN or Infinity) with every field a result has."""
    try:
        result = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        raise GenError(
            f"{where}:{err.lineno}",
            f"result file is not valid JSON ({err.msg}).",
            "Delete it and run `make gen` to measure again.",
        ) from None
    except ValueError as err:
        raise GenError(f"{where}:1", f"result file is not strict JSON ({err}).",
                       "Results hold no NaN or Infinity: measure it again.") from None
    for key in ("experiment", "profile", "provenance", "data"):
        if not isinstance(result, dict) or key not in result:
            raise GenError(
                f"{where}:1",
                f"result file has no '{key}' field.",
                "Delete it and run `make gen` to measure again.",
            )
    return result


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON can hold")
