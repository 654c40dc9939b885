"""'Measure it on your device' panels: the HTML a `<!-- measure-panel: ID -->` line in a lesson becomes.

The panel is a form with a Start button and nothing else running: the harness
(site_src/assets/panels/panel.js), the panel's own module and its WGSL kernels are fetched from the
site itself only when the reader presses Start, by the few lines of inline script below, so a page
with a panel weighs what it did without one until then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

MARKER = re.compile(r"^<!--\s*measure-panel:\s*(?P<id>[a-z_]+)\s*-->\s*$", re.MULTILINE)
ASSETS = "assets/site/panels/"  # where site_src/hooks/assets.py serves site_src/assets/panels/


@dataclass(frozen=True)
class Panel:
    title: str
    question: str  # what the panel answers, in the reader's terms
    experiment: str  # the build's experiment that measured the same quantity, shown beside the reader's


PANELS = {
    "serial_depth": Panel(
        "Measure it on your device: serial depth on your GPU",
        "Does a chain of dependent steps cost time in proportion to its length on your GPU, while a "
        "parallel scan does not? Three ways of computing the same recurrence, over T from 64 to 65,536.",
        "serial_depth"),
    "attention_vs_recurrence": Panel(
        "Measure it on your device: the price of attention on your GPU",
        "Where does attention's quadratic work overtake a recurrence's chain of steps on your GPU? "
        "Attention over T positions against T dependent steps of a 64-wide recurrence, T from 64 to 4,096.",
        "latency_vs_length"),
    "decode_cost": Panel(
        "Measure it on your device: what one generated token costs",
        "Does a decode step slow down as the KV cache grows, on your hardware, while a fixed-state step "
        "does not? One step of each, for caches from 256 to 262,144 positions.",
        "kv_cache"),
}

# Imports the harness and the panel's module on the first press of Start; nothing runs before that.
# It sits inside the page's content, after the panel: Material's instant navigation swaps the content
# in without a page load and runs the scripts it finds there, so a reader arriving by a link gets a
# working panel too. `bound` keeps a second run from wiring the button twice.
_LOADER = """<script type="module">
for (const panel of document.querySelectorAll(".rva-panel:not([data-bound])")) {
  panel.dataset.bound = "true";
  const start = panel.querySelector('[data-role="start"]');
  start.addEventListener("click", async () => {
    const base = new URL(panel.dataset.base, location.href);
    const [harness, module] = await Promise.all([
      import(new URL("panel.js", base).href), import(new URL(`${panel.dataset.panel}.js`, base).href)]);
    await harness.run(panel, module);
  });
}
</script>"""


class UnknownPanel(ValueError):
    pass


def panel_html(panel_id: str, base: str, build_data: str | None, build_device: str | None, repo: str | None) -> str:
    """The panel's markup; base is the URL of ASSETS relative to the page."""
    try:
        panel = PANELS[panel_id]
    except KeyError:
        raise UnknownPanel(f"unknown panel '{panel_id}' (panels: {', '.join(PANELS)})") from None
    data = {"panel": panel_id, "base": base, "wgsl": f"{base}{panel_id}.wgsl"}
    if build_data:
        data |= {"build-data": build_data, "build-device": build_device or ""}
    if repo:
        data["repo"] = repo
    attributes = " ".join(f'data-{key}="{escape(value)}"' for key, value in data.items())
    return (
        f'<section class="rva-panel" {attributes} aria-labelledby="panel-{panel_id}">'
        f'<h3 id="panel-{panel_id}">{escape(panel.title)}</h3>'
        f"<p>{escape(panel.question)} It runs in this page, on your hardware, in a few seconds; nothing "
        "is sent anywhere. Every kernel's output is checked against the same computation in JavaScript "
        "before its time counts.</p>"
        '<p class="rva-panel__controls">'
        '<button type="button" class="md-button md-button--primary" data-role="start">Start measuring</button> '
        '<button type="button" class="md-button" data-role="stop" hidden>Stop</button> '
        '<progress data-role="progress" value="0" max="1" aria-label="Progress of the measurement"></progress></p>'
        '<p class="rva-panel__status" data-role="status" role="status" aria-live="polite"></p>'
        '<p class="rva-panel__fallback" data-role="fallback" hidden></p>'
        '<div data-role="results"></div>'
        "</section>"
        + _LOADER
    )


