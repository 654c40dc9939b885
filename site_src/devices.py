"""The Reproduce page's table of readers' devices: one row per result stored under results/devices/.

Every text in those files was written by a stranger's browser, or by the stranger, so every one is
escaped, and the characters our own hooks read as syntax are escaped too: the table goes into the page's
Markdown before `{{ value:… }}` references are filled in, and a label must never become one.
"""

from __future__ import annotations

from html import escape

from gen.devices import browser_name

COLUMNS = ("panel", "adapter", "browser", "date", "slopes", "crossover T", "verdict")
# characters that mean something to site_src/references.py ({{ }}) or to math ($, \), written as entities
_HOOK_SYNTAX = str.maketrans({"{": "&#123;", "}": "&#125;", "$": "&#36;", "\\": "&#92;", "`": "&#96;"})
NONE_STORED = (
    "<p><em>No reader's device is stored yet.</em> To add yours, run a “Measure it on your device” panel on "
    "lesson 2, 3 or 4, press <em>Download my results</em>, then run <code>python -m gen import-device FILE</code> "
    "in the repository and commit <code>results/devices/</code>.</p>"
)


def devices_table_html(devices: list[dict]) -> str:
    """An HTML table of the given results (already checked by gen.devices), or how to add one when there are none."""
    if not devices:
        return NONE_STORED
    head = "".join(f'<th scope="col">{name}</th>' for name in COLUMNS)
    rows = "\n".join(_row(device) for device in devices)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _row(document: dict) -> str:
    cells = (panel_text(document), adapter_text(document["device"]), browser_name(document["device"]["user_agent"]),
             document["measured_at"][:10], slopes_text(document), crossover_text(document.get("crossover")),
             verdict_text(document["verdict"]))
    return "<tr>" + "".join(f"<td>{text(cell)}</td>" for cell in cells) + "</tr>"


def text(value: str) -> str:
    """A stranger's text as text: no tag, no entity, no reference or formula of ours can come out of it."""
    return escape(value, quote=True).translate(_HOOK_SYNTAX)


def panel_text(document: dict) -> str:
    reduced = " (reduced sweep)" if document["sweep"] == "reduced" else ""
    return f"{document['panel']}{reduced}"


def adapter_text(device: dict) -> str:
    """vendor / architecture / description, leaving out what the browser kept to itself."""
    if not device["webgpu"]:
        return "no WebGPU (CPU only)"
    adapter = device["adapter"]
    if adapter is None:
        return "WebGPU (adapter not reported)"
    parts = [adapter[key] for key in ("vendor", "architecture", "description") if adapter[key]]
    fallback = " (software fallback)" if adapter["is_fallback"] else ""
    return (" / ".join(parts) or "unnamed adapter") + fallback


def slopes_text(document: dict) -> str:
    """name = slope for each series that has one, in the file's order of series."""
    slopes = document["slopes"]
    names = [s["name"] for s in document["series"] if s["name"] in slopes]
    return "; ".join(f"{name} = {_number(slopes[name])}" for name in names) or "—"


def crossover_text(crossover: float | None) -> str:
    if crossover is None:
        return "—"
    return f"{crossover:,.0f}" if crossover >= 10 else f"{crossover:.2f}"


def verdict_text(verdict: dict) -> str:
    judged = {True: "holds", False: "does not hold", None: "not judged"}[verdict["holds"]]
    return f"{judged}: {verdict['text']}" if verdict["text"] else judged


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
