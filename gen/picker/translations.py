"""The picker's texts in other languages: rules.yaml's `translations` section and examples.yaml's `zh`.

rules.yaml carries every text the picker shows in English where it is used, and, at its end, the same
texts in each other language, by path:

    translations:
      zh:
        inputs.seq_len.label: 最大序列长度
        families.transformer.strategy.0.text: "注意力：对全部 {seq_len} 个词元做因果注意力……"

A path names a text by its keys; a list item by its key, id or name where that is a unique identifier
(inputs.seq_len, rules.small_stream), otherwise by its position (shapes.0, caveats.3). A translation
must name an existing text and hold the same {placeholders}: the numbers it shows are the English
text's, computed by the same formulas. A text with no translation is shown in English.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from gen.errors import GenError

# The fields whose strings a reader sees (a flag or a formula is not translated; a cite is, for "et al.")
TEXT_FIELDS = {"label", "help", "legend", "if_true", "if_false", "name", "memory_kind", "text", "constraint", "cite"}
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


def texts(rules: dict[str, Any]) -> dict[str, str]:
    """Every translatable text of the rules, by path."""
    return dict(_walk(rules, ""))


def missing(rules: dict[str, Any], language: str) -> list[str]:
    """Paths of the texts that have no translation into `language`."""
    given = rules.get("translations", {}).get(language, {})
    return [path for path in texts(rules) if path not in given]


def localized(rules: dict[str, Any], language: str, where: str) -> dict[str, Any]:
    """A copy of the rules with the texts of `language` in place (English where none is given), and
    without the translations section, which no engine reads."""
    out = {key: value for key, value in rules.items() if key != "translations"}
    given = rules.get("translations", {}).get(language, {})
    if not given:
        return out
    out = copy.deepcopy(out)
    english = texts(out)
    for path, text in given.items():
        if path not in english:
            raise GenError(where, f"translations.{language}: '{path}' names no text of the rules.",
                           "Use the path of an existing text (python -m gen.picker.translations lists them).")
        if set(_PLACEHOLDER.findall(str(text))) != set(_PLACEHOLDER.findall(english[path])):
            raise GenError(where, f"translations.{language}: '{path}' must hold the same {{placeholders}} as "
                                  f"the English: {sorted(set(_PLACEHOLDER.findall(english[path])))}.")
        _set(out, path, str(text))
    return out


def localized_examples(examples: dict[str, dict[str, Any]], language: str) -> dict[str, dict[str, Any]]:
    """The worked examples with their title and story in `language` where the example gives them."""
    out = {}
    for key, example in examples.items():
        shown = {k: v for k, v in example.items() if k not in _LANGUAGE_KEYS}
        shown.update(example.get(language, {}))
        out[key] = shown
    return out


_LANGUAGE_KEYS = {"zh"}


def _walk(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "translations":
                continue
            here = f"{path}{key}"
            if key == "name" and isinstance(value, str) and _IDENTIFIER.fullmatch(value):
                continue  # an input's name is its id, not a text
            if isinstance(value, str) and (key in TEXT_FIELDS or path in ("report.", "words.")):
                yield here, value
            elif isinstance(value, (dict, list)):
                yield from _walk(value, here + ".")
    elif isinstance(node, list):
        for position, item in enumerate(node):
            here = f"{path}{_item_id(node, position)}"
            if isinstance(item, str) and path.startswith("report."):
                yield here, item
            elif isinstance(item, (dict, list)):
                yield from _walk(item, here + ".")


def _item_id(items: list, position: int) -> str:
    item = items[position]
    if isinstance(item, dict):
        for field in ("key", "id", "name"):
            value = item.get(field)
            same = [other for other in items if isinstance(other, dict) and other.get(field) == value]
            if isinstance(value, str) and _IDENTIFIER.fullmatch(value) and len(same) == 1:
                return value
    return str(position)


def _set(rules: dict[str, Any], path: str, text: str) -> None:
    *parents, last = path.split(".")
    node: Any = rules
    for part in parents:
        node = _child(node, part)
    if isinstance(node, list):
        node[_position(node, last)] = text
    else:
        node[last] = text


def _child(node: Any, part: str) -> Any:
    return node[_position(node, part)] if isinstance(node, list) else node[part]


def _position(items: list, part: str) -> int:
    return next(i for i in range(len(items)) if _item_id(items, i) == part)


if __name__ == "__main__":  # list every text's path, to write a translation
    from gen.picker.rules_file import load_rules
    for text_path, english_text in texts(load_rules()).items():
        print(f"{text_path}: {english_text}")
