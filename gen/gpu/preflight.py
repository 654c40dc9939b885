"""The first line of a GPU run: what this machine has, before any device time is spent measuring."""

from __future__ import annotations

import importlib.util
import platform
import shutil
from typing import Any


def describe(device: str) -> dict[str, Any]:
    """Versions and hardware that decide whether the GPU presets can run here at all."""
    import torch

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "device": device,
        # torch.compile's GPU backend needs Triton and a C compiler; without them parallel_scan's
        # compiled scan is recorded as unsupported instead of timed
        "triton": importlib.util.find_spec("triton") is not None,
        "c_compiler": next((name for name in ("cc", "gcc", "clang") if shutil.which(name)), None),
    }
    if device == "cuda":
        properties = torch.cuda.get_device_properties(0)
        info.update(device_name=properties.name, gpu_memory_gib=round(properties.total_memory / 2**30, 1))
    else:
        info.update(device_name=platform.processor() or platform.machine(), gpu_memory_gib=None)
    return info


def line(info: dict[str, Any]) -> str:
    memory = f", {info['gpu_memory_gib']} GiB" if info.get("gpu_memory_gib") else ""
    return (f"preflight: {info['device_name']}{memory} ({info['device']}); torch {info['torch']}, "
            f"CUDA {info['cuda'] or 'none'}, Python {info['python']}; Triton "
            f"{'present' if info['triton'] else 'missing'}, C compiler {info['c_compiler'] or 'missing'}")
