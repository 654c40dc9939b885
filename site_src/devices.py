"""The Reproduce page's table of readers' devices: one row per result stored under results/devices/.

Every text in those files was written by a stranger's browser, or by the stranger, so every one is
escaped, and the characters our own hooks read as syntax are escaped too: the table goes into the page's
Markdown before `{{ value:… }}` references are filled in, and a label must never become one.
"""

from __future__ import annotations

from html import escape

from gen.devices import browser_name
from site_src.language import DEFAULT, message

# characters that mean something to site_src/references.py ({{ }}) or to math ($, \), written as entities
_HOOK_SYNTAX = str.maketrans({"{": "&#123;", "}": "&#125;", "$": "&#36;", "\\": "&#92;", "`": "&#96;"})


def devices_table_html(devices: list[dict], language: str = DEFAULT) -> str:
    """An HTML table of the given results (already checked by gen.devices), or how to add one when there
    are none, with our own words in `language` (site_src/messages.yml); the readers' texts stay as written."""
    if not devices:
        return message("devices_none_stored", language)
    head = "".join(f'<th scope="col">{name}</th>' for name in message("devices_columns", language).split("|"))
    rows = "\n".join(_row(device, language) for device in devices)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _row(document: dict, language: str) -> str:
    cells = (panel_text(document, language), adapter_text(document["device"], language),
             browser_name(document["device"]["user_agent"]), document["measured_at"][:10], slopes_text(document),
             crossover_text(document.get("crossover")), verdict_text(document["verdict"], language))
    return "<tr>" + "".join(f"<td>{text(cell)}</td>" for cell in cells) + "</tr>"


def text(value: str) -> str:
    """A stranger's text as text: no tag, no entity, no reference or formula of ours can come out of it."""
    return escape(value, quote=True).translate(_HOOK_SYNTAX)


def panel_text(document: dict, language: str = DEFAULT) -> str:
    reduced = message("devices_reduced_sweep", language) if document["sweep"] == "reduced" else ""
    return f"{document['panel']}{reduced}"


def adapter_text(device: dict, language: str = DEFAULT) -> str:
    """vendor / architecture / description, leaving out what the browser kept to itself."""
    if not device["webgpu"]:
        return message("devices_no_webgpu", language)
    adapter = device["adapter"]
    if adapter is None:
        return message("devices_adapter_not_reported", language)
    parts = [adapter[key] for key in ("vendor", "architecture", "description") if adapter[key]]
    fallback = message("devices_software_fallback", language) if adapter["is_fallback"] else ""
    return (" / ".join(parts) or message("devices_unnamed_adapter", language)) + fallback


def slopes_text(document: dict) -> str:
    """name = slope for each series that has one, in the file's order of series."""
    slopes = document["slopes"]
    names = [s["name"] for s in document["series"] if s["name"] in slopes]
    return "; ".join(f"{name} = {_number(slopes[name])}" for name in names) or "—"


def crossover_text(crossover: float | None) -> str:
    if crossover is None:
        return "—"
    return f"{crossover:,.0f}" if crossover >= 10 else f"{crossover:.2f}"


def verdict_text(verdict: dict, language: str = DEFAULT) -> str:
    key = {True: "devices_holds", False: "devices_does_not_hold", None: "devices_not_judged"}[verdict["holds"]]
    judged = message(key, language)
    if not verdict["text"]:
        return judged
    return message("term_and_definition", language, term=judged, definition=verdict["text"])


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
