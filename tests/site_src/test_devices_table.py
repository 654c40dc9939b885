"""The Reproduce page's table of readers' devices (site_src/devices.py): strangers' text shown as text."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from gen.devices import import_device
from site_src.devices import devices_table_html
from tests.conftest import REPO
from tests.gen.device_documents import valid_document, write


def cells(html: str) -> list[str]:
    """The cells of the table's first body row, as written."""
    row = html.split("<tbody>")[1].split("</tr>")[0]
    return [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]


def test_a_row_shows_panel_adapter_browser_date_slopes_crossover_and_verdict():
    html = devices_table_html([valid_document()])
    assert "<th scope=\"col\">crossover T</th>" in html
    assert cells(html) == ["serial_depth", "apple / metal-3 / Apple M2", "Safari 26", "2025-06-01",
                           "gpu_chain = 1.01; js_loop = 0.98", "—",
                           "holds: Both grow about linearly with T, as the lesson says."]


def test_a_browser_without_webgpu_a_crossover_and_an_unjudged_claim_read_as_such():
    document = valid_document()
    document["device"].update(webgpu=False, adapter=None)
    document.update(sweep="reduced", crossover=12288.4, slopes={"js_loop": None})
    document["verdict"] = {"holds": None, "text": ""}
    (panel, adapter, _, _, slopes, crossover, verdict) = cells(devices_table_html([document]))
    assert (panel, adapter, slopes, crossover, verdict) == (
        "serial_depth (reduced sweep)", "no WebGPU (CPU only)", "js_loop = —", "12,288", "not judged")
    document["verdict"] = {"holds": False, "text": "The chain grew faster than linearly."}
    assert cells(devices_table_html([document]))[-1] == "does not hold: The chain grew faster than linearly."


def test_a_script_in_the_adapter_description_is_shown_as_text():
    document = valid_document()
    document["device"]["adapter"]["description"] = "<script>alert(1)</script>"
    html = devices_table_html([document])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


@pytest.mark.parametrize("field", ["vendor", "architecture"])
def test_quotes_and_ampersands_in_any_shown_field_are_escaped(field):
    document = valid_document()
    document["device"]["adapter"][field] = '"><img src=x onerror=alert(1)> & co'
    html = devices_table_html([document])
    assert "<img" not in html and "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; co" in html


def test_a_verdict_cannot_become_one_of_our_references_or_formulas():
    document = valid_document()
    document["verdict"]["text"] = "{{ figure:serial_depth.time_vs_length }} costs $x^2$ \\(y\\)"
    html = devices_table_html([document])
    assert "{{" not in html and "$" not in html and "\\(" not in html
    assert "&#123;&#123; figure:serial_depth.time_vs_length &#125;&#125; costs &#36;x^2&#36;" in html


def test_no_stored_device_says_how_to_add_one():
    html = devices_table_html([])
    assert "<table" not in html
    for step in ("No reader's device is stored yet", "lesson 2, 3 or 4", "Download my results",
                 "python -m gen import-device FILE", "results/devices/"):
        assert step in html


def test_the_reproduce_page_has_the_marker_the_hook_replaces():
    from site_src.hooks.results import DEVICE_RESULTS_MARKER

    lines = (REPO / "docs" / "reproduce.md").read_text(encoding="utf-8").splitlines()
    assert DEVICE_RESULTS_MARKER in lines  # on a line of its own, so the table is a block of HTML
    assert "## Measured on readers' devices" in lines


def test_the_results_hook_puts_every_stored_device_in_place_of_the_marker(tmp_path, monkeypatch):
    from site_src.hooks import results

    monkeypatch.setenv("RVA_RESULTS", str(tmp_path / "results"))
    document = valid_document()
    document["device"]["adapter"]["description"] = "<script>alert(1)</script>"
    import_device(write(tmp_path / "downloads", document))
    monkeypatch.setattr(results, "_manifest", SimpleNamespace(experiments={}))
    markdown = f"# Reproduce\n\nBefore.\n\n{results.DEVICE_RESULTS_MARKER}\n\nAfter.\n"
    page = SimpleNamespace(file=SimpleNamespace(src_uri="reproduce.md", content_string=markdown))
    config = SimpleNamespace(docs_dir=str(REPO / "docs"), theme={"language": "en"})
    out = results.on_page_markdown(markdown, page, config, None)
    assert results.DEVICE_RESULTS_MARKER not in out
    assert "\n<table>\n" in out and "&lt;script&gt;" in out and "<script>" not in out


def test_the_table_and_its_empty_state_speak_the_pages_language():
    assert "目前还没有保存任何读者设备的结果" in devices_table_html([], "zh")
    html = devices_table_html([valid_document()], "zh")
    assert '<th scope="col">面板</th>' in html and '<th scope="col">结论</th>' in html
    assert "verdict" not in html and "panel<" not in html
