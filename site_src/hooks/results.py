"""MkDocs hook: put measured values, figures and tables into pages where they are referenced by id.

    The loop is {{ value:serial_depth.loop_vs_sum_ratio_at_100k }} slower than sum().
    {{ figure:serial_depth.time_vs_length }}
    {{ table:serial_depth.timings }}

Everything comes from build/rendered/manifest.json, which `python -m gen` writes. An unknown id, a
result whose self-checks failed or a malformed reference stops the build with the page and line.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from gen.devices import stored_devices
from gen.paths import REPO_ROOT, rendered_root
from site_src.devices import devices_table_html
from site_src.embed import data_file_uri, devices_html, figure_html, table_html, value_html
from site_src.guards import GuardSyntaxError, guards
from site_src.language import build_language, language_prefix
from site_src.manifest import LookupProblem, Manifest
from site_src.pages import front_matter_lines, source_path
from site_src.references import Reference, ReferenceSyntaxError, parse, substitute
from site_src.reported import Reported, ReportedProblem, load, reported_html

_manifest: Manifest | None = None
_reported: dict[str, Reported] = {}
REPORTED_FILE = "reported.yml"  # in docs/: numbers papers reported, cited where we measured nothing
DEVICES_MARKER = "<!-- measured-devices -->"  # replaced by which devices measured what this build shows
DEVICE_RESULTS_MARKER = "<!-- device-results -->"  # replaced by a table of readers' results (results/devices/)

# ---- hooks -----------------------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> None:
    global _manifest, _reported
    try:
        _manifest = Manifest.load(rendered_root() / "manifest.json")
    except LookupProblem as err:
        raise PluginError(str(err)) from None
    docs = Path(config["docs_dir"])
    if (docs / REPORTED_FILE).exists():
        try:
            _reported = load(docs / REPORTED_FILE, docs / "references.md")
        except ReportedProblem as err:
            raise PluginError(str(err)) from None


def on_serve(server, config: MkDocsConfig, builder) -> None:
    server.watch(str(rendered_root()))  # `make gen` during `make serve` reloads the pages


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Publish every rendered figure, and each result file as data/<profile>/<experiment>.json."""
    root = rendered_root()
    for experiment, entry in _manifest.experiments.items():
        for profile, source in entry["profiles"].items():
            for figure in source["figures"].values():
                for variant in [figure, *figure.get("translations", {}).values()]:  # English, then each language's
                    for svg in (variant.get("light"), variant.get("dark")) if "light" in variant else ():
                        if (root / svg).exists():  # a page that shows a missing one fails at its line
                            files.append(File.generated(config, svg, abs_src_path=str(root / svg)))
            result_file = REPO_ROOT / source["result_file"]  # an absolute result_file stays as it is
            files.append(File.generated(config, data_file_uri(profile, experiment), abs_src_path=str(result_file)))
    return files


@event_priority(100)  # after the quiz check (it wants the page as written), before mkdocs-quiz
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    where = source_path(page, config)
    offset = front_matter_lines(page, markdown)
    language = build_language(config)

    def url_of(uri: str) -> str:
        return get_relative_url(uri, page.url)

    def replace(ref: Reference) -> str:
        if ref.kind == "reported":
            if ref.key not in _reported:
                known = ", ".join(sorted(_reported)) or "none"
                raise PluginError(f"{where}:{ref.line + offset}: no entry '{ref.key}' in docs/{REPORTED_FILE} "
                                  f"(it has: {known}). Add the number with its hardware and source there.")
            return reported_html(_reported[ref.key], url_of(f"{language_prefix(language)}references/"), language)
        try:
            resolved = _manifest.resolve(ref)
            if ref.kind == "value":
                return value_html(ref, resolved, language)
            if ref.kind == "figure":
                return figure_html(ref, resolved, url_of, language)
            return table_html(ref, resolved, url_of, language)
        except (LookupProblem, ValueError) as err:
            raise PluginError(f"{where}:{ref.line + offset}: {err}") from None

    markdown = markdown.replace(DEVICES_MARKER, devices_html(_manifest.experiments, language))
    if DEVICE_RESULTS_MARKER in markdown:  # read results/devices/ only for the page that shows them
        markdown = markdown.replace(DEVICE_RESULTS_MARKER, devices_table_html(stored_devices(), language))
    check_guards(markdown, where, offset)
    try:
        return substitute(markdown, replace)
    except ReferenceSyntaxError as err:
        raise PluginError(f"{where}:{err.line + offset}: {err}.") from None


# ---- helpers -----------------------------------------------------------------------------------------


def check_guards(markdown: str, where: str, offset: int) -> None:
    """Stop the build at a guard (site_src/guards.py) that the shown data no longer satisfy."""
    try:
        found = list(guards(markdown))
    except GuardSyntaxError as err:
        raise PluginError(f"{where}:{err.line + offset}: {err}.") from None
    for guard in found:
        try:
            resolved = _manifest.resolve(parse("value", guard.value_id, guard.line))
        except (LookupProblem, ReferenceSyntaxError) as err:
            raise PluginError(f"{where}:{guard.line + offset}: guard: {err}") from None
        if resolved.profile == "smoke":  # test data: not judged, as their self-checks are not
            continue
        value = resolved.item["value"]
        if not guard.holds(value):
            shown = "no value" if value is None else f"{value:.4g}"
            raise PluginError(
                f"{where}:{guard.line + offset}: the sentence after this guard needs {guard.text}, but "
                f"{resolved.source['result_file']} now gives {shown}. Rewrite the sentence to say what "
                "the data say, then the guard.")
