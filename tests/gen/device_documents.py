"""Reader device results for the tests: a valid one as panel.js writes it, and a way to save one."""

from __future__ import annotations

import json
from pathlib import Path

SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/26.0 Safari/605.1.15")


def valid_document() -> dict:
    """A fresh result as site_src/assets/panels/panel.js writes it: a GPU series and a CPU series."""
    def points(ms_per_x: float) -> list[dict]:
        return [{"x": x, "ms": x * ms_per_x, "batches": 8, "verified": True} for x in (1024, 4096, 16384, 65536)]

    return {
        "schema": "rva-device-result/1",
        "panel": "serial_depth",
        "claim": "A serial chain's time grows in proportion to T; a parallel scan's grows far more slowly.",
        "measured_at": "2025-06-01T12:00:00Z",
        "sweep": "full",
        "device": {
            "webgpu": True,
            "adapter": {"vendor": "apple", "architecture": "metal-3", "description": "Apple M2", "device": "",
                        "is_fallback": False},
            "user_agent": SAFARI,
            "timer_resolution_ms": 0.1,
            "cross_origin_isolated": False,
        },
        "series": [
            {"name": "gpu_chain", "label": "one GPU thread, T steps", "unit": "gpu", "points": points(1e-4)},
            {"name": "js_loop", "label": "JavaScript, one CPU thread", "unit": "cpu", "points": points(2e-5)},
        ],
        "slopes": {"gpu_chain": 1.01, "js_loop": 0.98},
        "crossover": None,
        "verdict": {"holds": True, "text": "Both grow about linearly with T, as the lesson says."},
    }


def write(folder: Path, document: dict | str, name: str = "rva-serial_depth-2025-06-01.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path
