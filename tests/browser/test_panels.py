"""'Measure it on your device' panels in Debian's Chromium: on the software WebGPU adapter (SwiftShader,
a CPU emulating a GPU) and without WebGPU, on the reduced sweep the panels accept for tests, and on a
Chinese page."""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import jsonschema
import pytest
from playwright.sync_api import Browser, Page

from gen.paths import REPO_ROOT
from tests.browser.conftest import AXE, BLOCKING, CHROMIUM, CHROMIUM_ARGS
from tests.conftest import run

LESSON = "lessons/02-serial-bottleneck/?panel-sweep=reduced"
# Each panel: its lesson, the series it times, and an edit to its WGSL that makes a kernel wrong.
PANELS = {
    "serial_depth": ("lessons/02-serial-bottleneck/", {"walk", "per_step", "scan", "cpu_loop"},
                     ("later.x * earlier.y + later.y", "later.y")),  # the scan drops the earlier steps
    "attention_vs_recurrence": ("lessons/03-three-limits/", {"attention", "recurrence", "cpu_recurrence"},
                                ("dot * score_shape.scale", "dot")),  # scores without the 1/sqrt(d)
    "decode_cost": ("lessons/04-memory-at-inference/", {"cached", "state", "cpu_cached", "cpu_state"},
                    ("y / norm[0]", "y")),  # the state's read forgets its normaliser
}
SCHEMA = json.loads((REPO_ROOT / "site_src/assets/panels/device-result.schema.json").read_text(encoding="utf-8"))
WEBGPU_ARGS = [arg for arg in CHROMIUM_ARGS if arg != "--disable-gpu"] + [
    "--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader", "--enable-features=Vulkan"]
FINISHED = "() => ['done', 'wrong'].includes(document.querySelector('.rva-panel').dataset.state)"
CJK = re.compile(r"[\u4e00-\u9fff]")
# What the English panel says, in pieces that none of its Chinese texts may contain.
ENGLISH_SENTENCES = ("Holds on your device", "Does not hold on your device", "Not judged", "grew with slope",
                     "the claim needs", "Milliseconds per call", "measured in this browser", "Log-log chart",
                     "Time per call", "beside the build", "Measured in your browser", "Download my results",
                     "Share (opens", "Run again", "Start measuring", "Stop", "Progress of the measurement",
                     "your CPU", "one thread", "build:", "attention step", "fixed state", "KV cache", "Timing")


@pytest.fixture(scope="module")
def webgpu_browser(browser: Browser) -> Iterator[Browser]:
    """A second Chromium from the session's Playwright, with the software WebGPU adapter switched on."""
    webgpu = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=WEBGPU_ARGS)
    yield webgpu
    webgpu.close()


class Watch:
    """Every request and console error of a page, for the checks that nothing leaves the site."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def outside(self) -> list[str]:
        return [url for url in self.requests if urlparse(url).hostname not in ("127.0.0.1", None)
                and not url.startswith(("blob:", "data:"))]


def run_panel(page: Page, site_url: str, press=None, lesson: str = LESSON) -> dict | None:
    page.goto(site_url + lesson)
    start = page.locator('.rva-panel [data-role="start"]')
    if press:
        press(start)
    else:
        start.click()
    page.wait_for_function(FINISHED, timeout=240_000)
    return page.evaluate("document.querySelector('.rva-panel').rvaResult || null")


def test_nothing_of_a_panel_loads_before_start(webgpu_browser: Browser, site_url: str):
    page = webgpu_browser.new_page()
    watch = Watch(page)
    page.goto(site_url + LESSON)
    page.wait_for_load_state("networkidle")
    assert not [url for url in watch.requests if "/panels/" in url]
    page.close()


@pytest.mark.parametrize("panel", PANELS)
def test_each_panel_measures_checks_and_judges_on_the_software_adapter(webgpu_browser: Browser, site_url: str,
                                                                       panel: str):
    lesson, names, _ = PANELS[panel]
    page = webgpu_browser.new_page()
    watch = Watch(page)
    result = run_panel(page, site_url, press=lambda start: (start.focus(), page.keyboard.press("Enter")),
                       lesson=lesson + "?panel-sweep=reduced")
    assert page.evaluate("document.querySelector('.rva-panel').dataset.state") == "done"
    jsonschema.validate(result, SCHEMA)
    assert result["panel"] == panel
    assert result["device"]["webgpu"] and result["device"]["adapter"]["architecture"] == "swiftshader"
    assert {s["name"] for s in result["series"]} == names
    assert all(p["verified"] and p["ms"] > 0 for s in result["series"] for p in s["points"])
    assert all(len(s["points"]) == 3 for s in result["series"])  # every panel's reduced sweep has 3 sizes
    assert result["verdict"]["holds"] in (True, False) and result["verdict"]["text"]
    assert page.inner_text('.rva-panel [data-role="status"]') == result["verdict"]["text"]
    assert page.locator(".rva-panel svg polyline").count() == len(names) + 2  # and the build's two series
    assert page.locator(".rva-panel table tbody tr").count() == 3
    assert page.locator('.rva-panel [data-role="download"]').get_attribute("href").startswith("blob:")
    assert not watch.errors, watch.errors
    assert not watch.outside(), watch.outside()
    page.close()


@pytest.mark.parametrize("panel", PANELS)
def test_a_wrong_kernel_shows_wrong_result_and_never_a_time(webgpu_browser: Browser, site_url: str, panel: str):
    lesson, _, (right, wrong) = PANELS[panel]
    page = webgpu_browser.new_page()

    def broken(route):
        body = route.fetch().text()
        assert right in body  # the edit must still find its target, or this test would prove nothing
        route.fulfill(body=body.replace(right, wrong), content_type="text/plain")

    page.route(f"**/{panel}.wgsl", broken)
    assert run_panel(page, site_url, lesson=lesson + "?panel-sweep=reduced") is None
    assert page.evaluate("document.querySelector('.rva-panel').dataset.state") == "wrong"
    assert "Wrong result" in page.inner_text('.rva-panel [data-role="status"]')
    assert page.locator(".rva-panel table").count() == 0
    page.close()


def test_without_webgpu_the_fallback_shows_and_the_cpu_part_runs(page: Page, site_url: str):
    """The session's ordinary browser runs with --disable-gpu: no WebGPU adapter."""
    watch = Watch(page)
    result = run_panel(page, site_url)
    assert page.locator('.rva-panel [data-role="fallback"]').is_visible()
    assert "no WebGPU" in page.inner_text('.rva-panel [data-role="fallback"]')
    jsonschema.validate(result, SCHEMA)
    assert [s["name"] for s in result["series"]] == ["cpu_loop"]
    assert result["verdict"]["holds"] is None and "Not judged" in result["verdict"]["text"]
    assert not watch.errors, watch.errors


def test_a_panel_on_a_chinese_page_speaks_chinese(webgpu_browser: Browser, site_url: str):
    """Lesson 4's panel under /zh/: what it writes and announces is Chinese; its result's machine fields
    are those of the English panel."""
    lesson, names, _ = PANELS["decode_cost"]
    page = webgpu_browser.new_page()
    watch = Watch(page)
    result = run_panel(page, site_url, lesson=f"zh/{lesson}?panel-sweep=reduced")
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert page.evaluate("document.querySelector('.rva-panel').dataset.state") == "done"
    jsonschema.validate(result, SCHEMA)
    assert (result["panel"], {s["name"] for s in result["series"]}) == ("decode_cost", names)
    panel = page.locator(".rva-panel")
    texts = {
        "title": panel.locator("h3").inner_text(),
        "verdict": panel.locator('[data-role="status"]').inner_text(),
        "legend": panel.locator(".rva-chart__legend").inner_text(),
        "chart": panel.locator("svg").get_attribute("aria-label"),
        "chart caption": panel.locator("figcaption").inner_text(),
        "table caption": panel.locator("table caption").inner_text(),
        "table head": panel.locator("table thead").inner_text(),
        "about": panel.locator(".rva-panel__about").inner_text(),
        "download": panel.locator('[data-role="download"]').inner_text(),
        "start": panel.locator('[data-role="start"]').inner_text(),
        "stop": panel.locator('[data-role="stop"]').text_content(),  # hidden once the run is over
        "progress": panel.locator('[data-role="progress"]').get_attribute("aria-label"),
    }
    assert texts["verdict"] == result["verdict"]["text"]
    assert (texts["start"], texts["stop"]) == ("再运行一次", "停止")
    assert not {where: text for where, text in texts.items() if not CJK.search(text)}
    assert not {where: english for where, text in texts.items() for english in ENGLISH_SENTENCES if english in text}
    assert not watch.errors, watch.errors
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_finished_panel_passes_axe_in_both_colour_schemes(webgpu_browser: Browser, site_url: str, scheme: str):
    """The results (verdict, chart, table, links) as well as the empty panel: no serious or critical
    violation, contrast included."""
    context = webgpu_browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 900})
    page = context.new_page()
    run_panel(page, site_url, lesson="lessons/04-memory-at-inference/?panel-sweep=reduced")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run('.rva-panel', {resultTypes: ['violations']})")
    blocking = [f"{v['id']}: {v['help']} ({' '.join(v['nodes'][0]['target'])})"
                for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    context.close()


@pytest.fixture(scope="module")
def pages_site(built_site, tmp_path_factory) -> Iterator[str]:
    """The site built again with a site_url, as Pages builds it (canonical links, the sitemap and the
    404 page then use absolute addresses), served at that URL."""
    with socket.socket() as probe:  # a free port, named in the build before the server takes it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    site = tmp_path_factory.mktemp("pages") / "site"
    env = {**built_site.env, "SITE_URL": f"http://127.0.0.1:{port}/"}
    done = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)], env)
    assert done.returncode == 0, done.stdout + done.stderr
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_panel_and_the_picker_work_on_the_site_as_pages_builds_it(page: Page, pages_site: str):
    """Reached by following links from the home page of a build with a site_url: the panel's loader
    and the picker's script run, and picker.js loads on the picker's page only."""
    watch = Watch(page)
    page.goto(pages_site)
    page.locator('a[href*="02-serial-bottleneck"]').first.click()
    page.wait_for_selector(".rva-panel")
    page.click('.rva-panel [data-role="start"]')
    page.wait_for_function(FINISHED, timeout=240_000)
    assert page.evaluate("document.querySelector('.rva-panel').dataset.state") == "done"
    assert not [url for url in watch.requests if url.endswith("picker.js")]
    page.locator('a[href*="06-choosing-an-architecture"]').first.click()
    page.wait_for_selector("[data-rva-picker][data-ready]")
    page.locator(".rva-pick__form button[type=submit]").click()
    page.wait_for_selector(".rva-pick__answer")
    assert not watch.errors, watch.errors
