"""Where a YAML error is and what it is, in one line, for every kind of error PyYAML raises."""

from __future__ import annotations

import yaml


def located(err: yaml.YAMLError, text: str) -> tuple[int, str]:
    """(1-based line within text, one-line description) of a YAML error met while reading text."""
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        return (mark.line + 1 if mark else 1), _one_line(err.problem or err.context or "unreadable")
    if isinstance(err, yaml.reader.ReaderError):  # a character YAML does not allow, e.g. a control character
        line = text.count("\n", 0, err.position) + 1
        code = f"U+{err.character:04X}" if isinstance(err.character, int) else repr(err.character)
        return line, f"the character {code} is not allowed in YAML ({err.reason}); delete it"
    return 1, _one_line(str(err))


def _one_line(text: str) -> str:
    return " ".join(text.split())
