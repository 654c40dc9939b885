"""MkDocs hook: each `<!-- measure-panel: ID -->` line becomes a 'Measure it on your device' panel.

The panel names the data file of the build's own measurement of the same quantity (published by the
results hook as data/<profile>/<experiment>.json) and the device that measured it, so the reader's
chart can show both. It is written in the build's language (site_src/language.py): the Chinese pages
under /zh/ get a Chinese panel. See site_src/panels.py for the markup and site_src/assets/panels/ for the code.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from gen.paths import rendered_root
from site_src.embed import data_file_uri, device_text
from site_src.language import build_language
from site_src.manifest import LookupProblem, Manifest
from site_src.pages import front_matter_lines, source_path
from site_src.panels import ASSETS, MARKER, PANELS, UnknownPanel, panel_html


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "measure-panel:" not in markdown:
        return markdown
    where, offset = source_path(page, config), front_matter_lines(page, markdown)
    language = build_language(config)
    try:
        experiments = Manifest.load(rendered_root() / "manifest.json").experiments
    except LookupProblem as err:
        raise PluginError(str(err)) from None

    def replace(match) -> str:
        line = markdown.count("\n", 0, match.start()) + 1 + offset
        panel_id = match["id"]
        experiment = PANELS[panel_id].experiment if panel_id in PANELS else ""
        entry = experiments.get(experiment, {})
        profile = entry.get("shown")
        build_data = get_relative_url(data_file_uri(profile, experiment), page.url) if profile else None
        device = device_text(entry["profiles"][profile], language) if profile else None
        try:
            html = panel_html(panel_id, language, get_relative_url(ASSETS, page.url).rstrip("/") + "/", build_data,
                              device, config.get("repo_url"))
        except UnknownPanel as err:  # panel_html says which panels exist; the page and line are added here
            raise PluginError(f"{where}:{line}: {err}. Use one of them, or add it to site_src/panels.py.") from None
        return f"\n\n{html}\n\n"

    return MARKER.sub(replace, markdown)
