"""Readers' measurements from the "Measure it on your device" panels: checked, then stored under results/devices/.

    python -m gen import-device ~/Downloads/rva-serial_depth-2026-05-01.json

A file comes from a stranger's browser, so it is checked twice over: against the format's JSON Schema
(site_src/assets/panels/device-result.schema.json), and for what a schema cannot say (x values that
increase, a date that has happened, a GPU series from a browser without WebGPU). A file with any
problem is refused whole, with one line per problem, and nothing is written.

A stored file is named <date>-<panel>-<hash>.json, the hash taken over the canonical JSON of its
content (`canonical_json`), so the same result imported twice is stored once, however the file was
spaced. The hash is of that canonical text, not of the stored bytes, which gen.store writes in the
layout every result file has.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from hashlib import sha256
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from gen.errors import GenError
from gen.paths import REPO_ROOT, results_root, shown
from gen.store import write_json_atomically

SCHEMA_FILE = REPO_ROOT / "site_src" / "assets" / "panels" / "device-result.schema.json"
MAX_FILE_BYTES = 1 << 20  # the schema's limits allow a few tens of kB; far more is no panel's file
EARLIEST = datetime(2024, 1, 1, tzinfo=UTC)  # before the panels existed
CLOCK_SKEW = timedelta(days=1)  # a reader's clock may run ahead of ours
_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LONG_VALUE = 60  # characters of a quoted value kept in a message; a 500-character string helps nobody


class DeviceFileProblems(GenError):
    """Every problem of one file, one line each: the command line prints them all and exits non-zero."""

    def __init__(self, where: str, found: list[str]) -> None:
        self.found = found
        super().__init__(where, "\n".join(found))

    def line(self) -> str:
        return "\n".join(f"{self.where}: {problem}" for problem in self.found)


# ---- checking -------------------------------------------------------------------------------------------


@cache
def load_schema() -> dict[str, Any]:
    """The format's JSON Schema, itself checked, so that a broken edit to it fails here and not silently."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def problems(document: Any) -> list[str]:
    """Every problem of a parsed result file, as 'path: what is wrong' lines; empty when it may be stored."""
    return schema_problems(document) + plausibility_problems(document)


def schema_problems(document: Any) -> list[str]:
    validator = Draft202012Validator(load_schema())
    found: set[tuple[tuple, str]] = set()  # one 'required' error per missing field, but each names them all
    for error in validator.iter_errors(document):
        found.update(_explain(error))
    ordered = sorted(found, key=lambda item: (_sort_key(item[0]), item[1]))
    return [f"{json_path(path)}: {text}" for path, text in ordered]


def plausibility_problems(document: Any) -> list[str]:
    """What the schema cannot express. Written to cope with a document that also fails the schema, so a
    contributor sees every problem at once rather than one round at a time."""
    if not isinstance(document, dict):
        return []
    series = [s for s in _list(document.get("series")) if isinstance(s, dict)]
    return [
        *_control_character_problems(document, ()),
        *_date_problems(document.get("measured_at")),
        *_duplicate_name_problems(series),
        *_increasing_x_problems(series),
        *_verified_problems(series),
        *_gpu_without_webgpu_problems(document, series),
        *_slope_name_problems(document.get("slopes"), series),
    ]


def _explain(error: ValidationError) -> Iterator[tuple[tuple, str]]:
    """(path, message) for one schema error, naming the field itself when one is missing or unknown."""
    path = tuple(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        for name in error.validator_value:
            if name not in error.instance:
                yield (*path, name), "is missing (every result file has it)"
    elif error.validator == "additionalProperties" and error.validator_value is False:
        known = error.schema.get("properties", {})
        for name in error.instance:
            if name not in known:
                yield (*path, name), f"is not a field of this format (known here: {', '.join(known)})"
    else:
        yield path, _shorten_instance(error)


def _shorten_instance(error: ValidationError) -> str:
    """jsonschema's message, with a long quoted value at its start cut short."""
    quoted = repr(error.instance)
    if error.message.startswith(quoted) and len(quoted) > _LONG_VALUE:
        return quoted[:_LONG_VALUE] + "…" + error.message[len(quoted):]
    return error.message


def _control_character_problems(value: Any, path: tuple) -> Iterator[str]:
    """Every string, keys included, free of control characters: they would garble a terminal or a page."""
    if isinstance(value, str):
        bad = _first_control_character(value)
        if bad is not None:
            yield f"{json_path(path)}: contains a control character (U+{ord(value[bad]):04X} at position {bad})"
    elif isinstance(value, dict):
        for key, item in value.items():
            if _first_control_character(key) is not None:
                yield f"{json_path(path)}: a key contains a control character ({key!r})"
            else:
                yield from _control_character_problems(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _control_character_problems(item, (*path, index))


def _first_control_character(text: str) -> int | None:
    # category Cc: U+0000-001F, U+007F, and the C1 controls U+0080-009F, which some terminals obey too
    return next((i for i, char in enumerate(text) if unicodedata.category(char) == "Cc"), None)


def _date_problems(measured_at: Any) -> list[str]:
    if not isinstance(measured_at, str) or not _TIMESTAMP.match(measured_at):
        return []  # the schema has said what is wrong with it
    when = parse_timestamp(measured_at)
    if when is None:
        return [f"measured_at: {measured_at!r} is not a real date and time"]
    if when < EARLIEST:
        return [f"measured_at: {measured_at!r} is before {EARLIEST:%Y-%m-%d}, when no panel existed yet"]
    if when > datetime.now(UTC) + CLOCK_SKEW:
        return [f"measured_at: {measured_at!r} is in the future (more than a day ahead of this machine's clock)"]
    return []


def _duplicate_name_problems(series: list[dict]) -> list[str]:
    # slopes name series: two series of one name would make a slope ambiguous
    seen: set[str] = set()
    found = []
    for index, item in enumerate(series):
        name = item.get("name")
        if isinstance(name, str) and name in seen:
            found.append(f"series[{index}].name: {name!r} names an earlier series too; each name is used once")
        seen.add(name)
    return found


def _increasing_x_problems(series: list[dict]) -> list[str]:
    found = []
    for index, item in enumerate(series):
        previous = None
        for point_index, point in enumerate(_list(item.get("points"))):
            x = point.get("x") if isinstance(point, dict) else None
            if not _is_number(x):
                continue
            if previous is not None and x <= previous:
                found.append(f"series[{index}].points[{point_index}].x: {x!r} is not greater than the previous "
                             f"point's x ({previous!r}); x must increase strictly along a series")
            previous = x
    return found


def _verified_problems(series: list[dict]) -> list[str]:
    points = [p for s in series for p in _list(s.get("points")) if isinstance(p, dict)]
    if points and not any(p.get("verified") is True for p in points):
        return ["series: no point is verified, so no timing in the file computed the right answer"]
    return []


def _gpu_without_webgpu_problems(document: dict, series: list[dict]) -> list[str]:
    device = document.get("device")
    if not isinstance(device, dict) or device.get("webgpu") is not False:
        return []
    return [f"series[{index}].unit: is 'gpu', but device.webgpu is false: no GPU series without WebGPU"
            for index, item in enumerate(series) if item.get("unit") == "gpu"]


def _slope_name_problems(slopes: Any, series: list[dict]) -> list[str]:
    if not isinstance(slopes, dict):
        return []
    names = [s["name"] for s in series if isinstance(s.get("name"), str)]
    return [f"{json_path(('slopes', key))}: names no series of this file (its series: {', '.join(names) or 'none'})"
            for key in slopes if key not in names]


# ---- importing and reading back ---------------------------------------------------------------------------


def import_device(path: Path) -> Path:
    """Check one downloaded result and store it under results/devices/; on any problem write nothing."""
    document, read_problem = read_document(path)
    found = [read_problem] if read_problem else problems(document)
    if found:
        raise DeviceFileProblems(str(path), found)
    target = devices_root() / stored_name(document)
    if target.exists():  # the name holds the content's hash: this very result is stored already
        print(f"already stored {shown(target)} ({summary(document)}); nothing written")
        return target
    write_json_atomically(target, document)
    print(f"stored {shown(target)} ({summary(document)})")
    return target


def stored_devices() -> list[dict]:
    """Every stored result that passes today's checks, oldest first; one that fails is skipped, with a warning."""
    documents = []
    for path in sorted(devices_root().glob("*.json")):
        document, read_problem = read_document(path)
        found = [read_problem] if read_problem else problems(document)
        if found:
            print(f"{shown(path)}: not shown: {found[0]}" + (f" (and {len(found) - 1} more)" if found[1:] else ""),
                  file=sys.stderr)
            continue
        documents.append(document)
    return sorted(documents, key=lambda d: parse_timestamp(d["measured_at"]))


def read_document(path: Path) -> tuple[Any, str | None]:
    """The file parsed as strict JSON, or the one problem that stopped it being read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, "no such file"
    except OSError as err:
        return None, f"cannot be read ({err.strerror or err})"
    if len(data) > MAX_FILE_BYTES:
        return None, f"is {len(data):,} bytes; a panel's result file is far smaller (at most {MAX_FILE_BYTES:,})"
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_refuse_constant), None
    except UnicodeDecodeError as err:
        return None, f"not valid JSON (byte {err.start} is not UTF-8)"
    except json.JSONDecodeError as err:
        return None, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
    except ValueError as err:  # NaN or Infinity, which Python reads but JSON does not have
        return None, f"not valid JSON ({err})"


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON can hold")


# ---- names ----------------------------------------------------------------------------------------------


def devices_root() -> Path:
    return results_root() / "devices"


def canonical_json(document: Any) -> str:
    """One text per content, whatever the key order or spacing of the file it came from."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def stored_name(document: dict) -> str:
    digest = sha256(canonical_json(document).encode("utf-8")).hexdigest()[:10]
    return f"{document['measured_at'][:10]}-{document['panel']}-{digest}.json"


def summary(document: dict) -> str:
    """'panel, adapter, browser', as the import command reports what it stored."""
    device = document["device"]
    return f"{document['panel']}, {adapter_name(device)}, {browser_name(device['user_agent'])}"


def adapter_name(device: dict) -> str:
    """The adapter's own description when the browser gave one, else the most it did say."""
    adapter = device["adapter"]
    if not device["webgpu"]:
        return "no WebGPU"
    if adapter is None:
        return "WebGPU, adapter not reported"
    return adapter["description"] or adapter["vendor"] or adapter["architecture"] or "unnamed adapter"


# Most specific first: Edge, Opera and Samsung Internet also say "Chrome", and Chrome says "Safari".
_BROWSERS = (
    ("Edge", re.compile(r"\bEdgA?/(\d+)")),
    ("Opera", re.compile(r"\bOPR/(\d+)")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"\b(?:Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"\bVersion/(\d+)(?:\.\d+)*(?: Mobile/\w+)? Safari/")),
)


def browser_name(user_agent: str) -> str:
    """A short name and major version from a user agent ('Chrome 131'), else its first 40 characters."""
    for name, pattern in _BROWSERS:
        match = pattern.search(user_agent)
        if match:
            return f"{name} {match.group(1)}"
    return user_agent[:40] or "unknown browser"


def parse_timestamp(text: str) -> datetime | None:
    """A measured_at as a UTC datetime (fractions of a second dropped), None when it names no real moment."""
    match = _TIMESTAMP.match(text)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def json_path(path: tuple) -> str:
    """('series', 0, 'points', 3, 'ms') -> 'series[0].points[3].ms'; a key that is no plain name is quoted."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text or "(the whole file)"


def _sort_key(path: tuple) -> tuple:
    # ints and strings cannot be compared, so each step is tagged; series[2] then sorts before series[10]
    return tuple((isinstance(part, str), part) for part in path)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
