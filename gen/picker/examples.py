"""The worked examples (examples.yaml): problems that lesson 6 shows and the tests run on both sides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gen.errors import GenError
from gen.paths import shown

EXAMPLES_PATH = Path(__file__).with_name("examples.yaml")


def load_examples(path: Path = EXAMPLES_PATH) -> dict[str, dict[str, Any]]:
    """Examples by id: {"title", "story", "problem"}, and "zh": {"title", "story"} for the Chinese pages
    (gen/picker/translations.py); GenError names the file on a malformed entry."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(entries or []):
        if not isinstance(entry, dict) or not {"id", "title", "story", "problem"} <= set(entry):
            raise GenError(shown(path), f"example {index + 1} needs id, title, story and problem.")
        translated = entry.get("zh", {"title": "", "story": ""})
        if not isinstance(translated, dict) or set(translated) != {"title", "story"}:
            raise GenError(shown(path), f"example '{entry['id']}': zh must give title and story, and nothing else.")
        if entry["id"] in examples:
            raise GenError(shown(path), f"example id '{entry['id']}' is used twice.")
        examples[entry["id"]] = entry
    return examples
