"""'Measure it on your device' panels: the HTML a `<!-- measure-panel: ID -->` line in a lesson becomes.

The panel is a form with a Start button and nothing else running: the harness
(site_src/assets/panels/panel.js), the panel's own module and its WGSL kernels are fetched from the
site itself only when the reader presses Start, by the few lines of inline script below, so a page
with a panel weighs what it did without one until then.

A panel speaks the language of the build it is in: its title and question here, the sentences and
labels around them in site_src/messages.yml, and what the browser writes in panel.js and the modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from site_src.language import LANGUAGES, message

MARKER = re.compile(r"^<!--\s*measure-panel:\s*(?P<id>[a-z_]+)\s*-->\s*$", re.MULTILINE)
ASSETS = "assets/site/panels/"  # where site_src/hooks/assets.py serves site_src/assets/panels/


@dataclass(frozen=True)
class Panel:
    title: dict[str, str]  # by language, as every text below: {"en": ..., "zh": ...}
    question: dict[str, str]  # what the panel answers, in the reader's terms
    experiment: str  # the build's experiment that measured the same quantity, shown beside the reader's

    def __post_init__(self) -> None:
        # A panel without one language's words would fail only in that language's build, so say so here.
        for field in ("title", "question"):
            missing = [language for language in LANGUAGES if not getattr(self, field).get(language)]
            if missing:
                raise ValueError(f"panel for '{self.experiment}' has no {', '.join(missing)} {field}")


PANELS = {
    "serial_depth": Panel(
        {"en": "Measure it on your device: serial depth on your GPU",
         "zh": "在你的设备上测量：你的 GPU 上的串行深度"},
        {"en": "Does a chain of dependent steps cost time in proportion to its length on your GPU, while a "
               "parallel scan does not? Three ways of computing the same recurrence, over T from 64 to 65,536.",
         "zh": "在你的 GPU 上，一条由相互依赖的步骤组成的链，耗时是否与它的长度成正比，而并行扫描不是？"
               "用三种方式计算同一个循环，T 从 64 到 65,536。"},
        "serial_depth"),
    "attention_vs_recurrence": Panel(
        {"en": "Measure it on your device: the price of attention on your GPU",
         "zh": "在你的设备上测量：注意力在你的 GPU 上的代价"},
        {"en": "Where does attention's quadratic work overtake a recurrence's chain of steps on your GPU? "
               "Attention over T positions against T dependent steps of a 64-wide recurrence, T from 64 to 4,096.",
         "zh": "在你的 GPU 上，注意力平方级的工作量从哪里开始超过循环的步骤链？在 T 个位置上做注意力，"
               "对比宽度为 64 的循环的 T 个相互依赖的步骤，T 从 64 到 4,096。"},
        "latency_vs_length"),
    "decode_cost": Panel(
        {"en": "Measure it on your device: what one generated token costs",
         "zh": "在你的设备上测量：生成一个词元的代价"},
        {"en": "Does a decode step slow down as the KV cache grows, on your hardware, while a fixed-state step "
               "does not? One step of each, for caches from 256 to 262,144 positions.",
         "zh": "在你的硬件上，解码步是否随 KV 缓存的增长而变慢，而固定状态的一步不会？"
               "两种步骤各计时一步，缓存从 256 到 262,144 个位置。"},
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


def panel_html(panel_id: str, language: str, base: str, build_data: str | None, build_device: str | None,
               repo: str | None) -> str:
    """The panel's markup in `language` (site_src/language.py); base is the URL of ASSETS relative to the page."""
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
    # messages.yml is ours and written as HTML text (its apostrophes stay as they are); only the
    # panel's own strings are escaped, as they always were.
    words = {key: message(f"panel_{key}", language) for key in ("start", "stop", "progress")}
    return (
        f'<section class="rva-panel" {attributes} aria-labelledby="panel-{panel_id}">'
        f'<h3 id="panel-{panel_id}">{escape(panel.title[language])}</h3>'
        f"<p>{message('panel_intro', language, question=escape(panel.question[language]))}</p>"
        '<p class="rva-panel__controls">'
        f'<button type="button" class="md-button md-button--primary" data-role="start">{words["start"]}</button> '
        f'<button type="button" class="md-button" data-role="stop" hidden>{words["stop"]}</button> '
        f'<progress data-role="progress" value="0" max="1" aria-label="{escape(words["progress"])}"></progress></p>'
        '<p class="rva-panel__status" data-role="status" role="status" aria-live="polite"></p>'
        '<p class="rva-panel__fallback" data-role="fallback" hidden></p>'
        '<div data-role="results"></div>'
        "</section>"
        + _LOADER
    )
