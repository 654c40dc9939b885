"""Lighthouse on every page of the built site, in both languages, served over local HTTP.

    make bench        (or: .venv/bin/python -m tests.bench.lighthouse [PAGE_PATH ...])

RVA_LIGHTHOUSE_RUNS sets how many runs each page gets (default 3; about 25 s a run on 2 cores, so the
whole site takes about 45 minutes); naming page paths (`lessons/05-recurrence-returns/`) runs only those.

Builds the site from this checkout's results into a temporary folder, serves it under /rva/ on
127.0.0.1 the way the browser tests do (a project site lives under a sub-path), runs Lighthouse with
its default mobile profile and simulated throttling in Debian's Chromium, and writes the scores and
key metrics to build/bench/lighthouse.md (the full JSON reports go next to it). Nothing leaves the
machine: the site loads nothing from elsewhere and Chromium's own background traffic is switched off.

Text files are served gzip-compressed, as GitHub Pages and most static hosts serve them: Python's
plain http.server sends them uncompressed, and Lighthouse's simulated slow network would then time a
download no reader makes.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser.conftest import CHROMIUM, _SiteHandler, serve
from tests.browser.pages import page_paths

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "build" / "bench"
REPORT = OUT / "lighthouse.md"
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Performance is timed on this machine's CPU (slowed 4x, as Lighthouse's mobile profile does): a busy
# machine moves it by 10-20 points, so each page is run a few times and the median run is reported.
RUNS = int(os.environ.get("RVA_LIGHTHOUSE_RUNS", "3"))
# Headless in a container without a GPU, and none of Chromium's own traffic (updates, field trials).
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run")
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb"}
METRICS = {  # Lighthouse audit id -> how the report names it
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "total-byte-weight": "total bytes",
}


def main(argv: list[str] | None = None) -> int:
    for needed, how in ((LIGHTHOUSE, "run 'npm ci'"), (Path(CHROMIUM), "run 'make test' (it installs Chromium)")):
        if not needed.exists():
            sys.exit(f"{needed}: missing. {how}, or use 'make bench', which installs it")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rva-lighthouse-") as tmp:
        site = Path(tmp) / "site"
        build(site)
        pages = list(argv if argv else page_paths(site))
        with serve(site, _GzipSiteHandler) as base:
            runs = {page: [lighthouse(base + page, OUT / f"lighthouse-{slug(page)}-{run}.json")
                           for run in range(1, RUNS + 1)]
                    for page in pages}
    text = summary(pages, runs)
    REPORT.write_text(text, encoding="utf-8")
    print(text)
    print(f"(written to {REPORT.relative_to(REPO)}; full reports in {OUT.relative_to(REPO)}/lighthouse-*.json)")
    return 0


class _GzipSiteHandler(_SiteHandler):
    """The browser tests' handler (site under PREFIX only), compressing text files like a static host."""

    def do_GET(self) -> None:
        file = Path(self.translate_path(self.path))
        if file.is_dir() and self.path.split("?")[0].endswith("/"):  # else http.server redirects to add it
            file = file / "index.html"
        if (file.suffix not in COMPRESSED or not file.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        body = gzip.compress(file.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
                          cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"mkdocs.yml:1: the site did not build for Lighthouse. run 'make site' and fix what it reports\n"
                 f"{done.stderr.strip()}")


def lighthouse(url: str, output: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        env=env, capture_output=True, text=True)
    if done.returncode != 0 or not output.exists():
        sys.exit(f"{url}: Lighthouse failed ({done.returncode}). {done.stderr.strip()[-500:]}")
    return json.loads(output.read_text(encoding="utf-8"))


def summary(pages: list[str], runs: dict[str, list[dict]]) -> str:
    reports = {page: median_run(runs[page]) for page in pages}
    first = reports[pages[0]]
    lines = [
        "# Lighthouse",
        "",
        f"Lighthouse {first['lighthouseVersion']}, default mobile profile with simulated throttling, "
        f"Chromium (host CPU benchmark index {first['environment']['benchmarkIndex']:.0f}), site served "
        f"gzip-compressed over local HTTP under /rva/. Each page's run with the median performance score "
        f"of {RUNS} is shown; the performance range of all runs is in brackets.",
        "",
        "| page | performance | accessibility | best practices | SEO | " + " | ".join(METRICS.values()) + " |",
        "| --- |" + " --: |" * (len(CATEGORIES) + len(METRICS)),
    ]
    for page in pages:
        report = reports[page]
        cells = [score(report, category) for category in CATEGORIES]
        low, high = min(map(performance, runs[page])), max(map(performance, runs[page]))
        cells[0] += f" ({low}-{high})" if RUNS > 1 else ""
        cells += [report["audits"][audit]["displayValue"] for audit in METRICS]
        lines.append(f"| `/{page}` | " + " | ".join(cells) + " |")
    lowest = min(pages, key=lambda page: performance(reports[page]))
    lines += ["", f"Lowest performance: `/{lowest}`, {performance(reports[lowest])}."]
    failing = [f"- `/{page}`: {audit['title']} ({category})"
               for page in pages
               for category in CATEGORIES
               for audit in failed_audits(reports[page], category)]
    if failing:
        lines += ["", "Audits scored below 90 in the median run:", "", *failing]
    return "\n".join(lines) + "\n"


def median_run(reports: list[dict]) -> dict:
    return sorted(reports, key=performance)[len(reports) // 2]


def performance(report: dict) -> int:
    return round(report["categories"]["performance"]["score"] * 100)


def score(report: dict, category: str) -> str:
    value = report["categories"][category]["score"]
    return "n/a" if value is None else f"{round(value * 100)}"


def failed_audits(report: dict, category: str) -> list[dict]:
    refs = report["categories"][category]["auditRefs"]
    audits = [report["audits"][ref["id"]] for ref in refs if ref["weight"] > 0]
    return [a for a in audits if a["score"] is not None and a["score"] < 0.9]


def slug(page: str) -> str:
    return page.strip("/").replace("/", "_") or "home"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
