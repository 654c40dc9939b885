"""Lesson 4's panel writes the KV cache's bytes with the site's own formula, run in Node."""

from __future__ import annotations

import json
import subprocess

from gen.experiments.kv_cache.formulas import cache_formula
from gen.paths import REPO_ROOT

PANEL = REPO_ROOT / "site_src" / "assets" / "panels" / "decode_cost.js"
POSITIONS = [1, 64, 1000, 262144]


def test_the_panel_computes_the_cache_bytes_that_the_kv_cache_experiment_computes():
    script = (f"import {{ cacheBytes, STATE_BYTES }} from {json.dumps(PANEL.as_uri())};"
              f"console.log(JSON.stringify({{ cache: {json.dumps(POSITIONS)}.map((t) => cacheBytes(t)), "
              "shaped: cacheBytes(4096, 32, 8, 128, 2), state: STATE_BYTES }));")
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    answer = json.loads(out.stdout)
    assert answer["cache"] == [cache_formula(1, 1, 64, t, 4) for t in POSITIONS]
    assert answer["shaped"] == cache_formula(32, 8, 128, 4096, 2)  # a Llama-3-8B-like shape, fp16
    assert answer["state"] == (64 * 64 + 64) * 4
