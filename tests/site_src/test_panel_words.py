"""What the panels' browser code writes (site_src/assets/panels/), run in Node as a Chinese page and as an
English one: every label, sentence and verdict in the page's language, and the machine fields unchanged.
The browser tests run one panel on a Chinese page; this runs every module's words, verdicts included."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from gen.paths import REPO_ROOT

PANELS = REPO_ROOT / "site_src" / "assets" / "panels"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Words of the English texts that a Chinese text must not contain (symbols, units and names may stay).
ENGLISH = re.compile(r"\b(?:Holds|hold|judged|slope|linear|device|step|steps|thread|build|your|the|and|on|of)\b",
                     re.ASCII)  # ASCII word edges: next to a Chinese character an English word still counts

# Made-up measurements that reach every verdict: the claim holding (with a crossover), failing (without
# one), not judged for want of a GPU (decode_cost is judged on the CPU instead), and not judged because the
# run was stopped. The slopes are what judge() reads; the points give the crossovers.
SLOPES = {
    "serial_depth": [{"walk": 1, "scan": 0.2}, {"walk": 1, "scan": 1}, {"cpu_loop": 0.9}],
    "attention_vs_recurrence": [{"attention": 1.9, "recurrence": 1}, {"attention": 1, "recurrence": 1},
                                {"cpu_recurrence": 0.9}],
    "decode_cost": [{"cached": 1, "state": 0}, {"cached": 0.1, "state": 0.1}, {"cpu_cached": 0.1, "cpu_state": 0}],
}
SCRIPT = """
const [dir, lang, given] = process.argv.slice(1);
if (lang) globalThis.document = { documentElement: { lang } };
const harness = await import(`${dir}/panel.js`);
const out = { language: harness.LANGUAGE, harness: {}, modules: {} };
const sample = (value) => (typeof value === "function" ? value("X", "2025-01-01", "0.100") : value);
for (const [key, value] of Object.entries(harness.WORDS[harness.LANGUAGE])) out.harness[key] = sample(value);
const data = {
  serial_depth: { torch_loop: [], torch_scan: [] },
  attention_vs_recurrence: { width: 64, series: [] },
  decode_cost: { layers: 2, latency: {} },
};
for (const [name, [holding, failing, cpuOnly]] of Object.entries(JSON.parse(given))) {
  const m = await import(`${dir}/${name}.js`);
  const xs = m.sizes("full");
  const line = (f) => xs.map((x) => ({ x, ms: f(x), batches: 5, verified: true }));
  // the first series grows faster than the others and overtakes them: a crossover for each comparison
  const crossing = m.series.map((s, i) => ({ name: s.name, points: line(i === 0 ? (x) => x / 10 : Math.sqrt) }));
  const level = m.series.map((s) => ({ name: s.name, points: line(Math.sqrt) }));
  const cases = [[crossing, holding, false], [level, failing, false], [crossing, holding, true],
    [level, cpuOnly, false], [level, {}, true]];
  const verdicts = cases.map(([measured, slopes, stopped]) => m.judge(measured, slopes, stopped));
  out.modules[name] = {
    names: m.series.map((s) => s.name), units: m.series.map((s) => s.unit), claim: m.claim, xName: m.xName,
    labels: [...m.series.map((s) => s.label), ...(m.columns || []).map((c) => c.label),
      ...m.buildSeries(data[name], "Apple M2").map((s) => s.label)],
    withoutGpu: m.withoutGpu, verdicts,
  };
}
console.log(JSON.stringify(out));
"""


def panels_in(language: str | None) -> dict:
    """What the harness and the modules write on a page whose <html lang> is `language` (None: no page)."""
    done = subprocess.run(["node", "--input-type=module", "-e", SCRIPT, PANELS.as_uri(), language or "",
                           json.dumps(SLOPES)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def chinese() -> dict:
    return panels_in("zh")


@pytest.fixture(scope="module")
def english() -> dict:
    return panels_in("en")


def is_chinese(text: str) -> bool:
    return bool(CJK.search(text)) and not ENGLISH.search(text)


def test_a_page_is_english_unless_its_language_is_chinese():
    assert panels_in("zh-Hans")["language"] == "zh"
    assert panels_in("fr")["language"] == panels_in(None)["language"] == "en"


def test_the_harness_has_every_text_in_chinese(chinese: dict, english: dict):
    assert chinese["harness"].keys() == english["harness"].keys()
    punctuation = {"listSeparator"}  # a separator, not words
    assert not {key: text for key, text in chinese["harness"].items() if key not in punctuation
                and not is_chinese(text)}
    assert chinese["harness"]["runAgain"] == "再运行一次"


@pytest.mark.parametrize("name", SLOPES)
def test_a_panels_labels_and_verdicts_are_chinese_on_a_chinese_page(chinese: dict, name: str):
    module = chinese["modules"][name]
    texts = [*module["labels"], module["withoutGpu"], *(v["text"] for v in module["verdicts"])]
    assert not [text for text in texts if not is_chinese(text)]
    holds = [v["holds"] for v in module["verdicts"]]
    assert True in holds and False in holds and None in holds  # every kind of verdict was read
    assert all(v["text"].startswith(("在你的设备上成立", "在你的设备上不成立", "未判定")) for v in module["verdicts"])


@pytest.mark.parametrize("name", SLOPES)
def test_a_panels_machine_fields_and_verdicts_are_the_same_in_both_languages(chinese: dict, english: dict,
                                                                             name: str):
    zh, en = chinese["modules"][name], english["modules"][name]
    for field in ("names", "units", "claim", "xName"):
        assert zh[field] == en[field], field
    assert [v["holds"] for v in zh["verdicts"]] == [v["holds"] for v in en["verdicts"]]
    assert [v.get("crossover") for v in zh["verdicts"]] == [v.get("crossover") for v in en["verdicts"]]
    assert all(re.match(r"(Holds on your device|Does not hold on your device|Not judged)", v["text"])
               for v in en["verdicts"])
    assert not [text for text in en["labels"] if CJK.search(text)]
