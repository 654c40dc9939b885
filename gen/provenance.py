"""Where, when and with what a measurement was made: stored with every result."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from typing import Any

from gen.paths import REPO_ROOT


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def describe_environment(device: str) -> dict[str, Any]:
    """The device by name, and the versions of everything that can change a number."""
    import numpy
    import torch

    from gen.measuring.timing import TIMING_THREADS

    info: dict[str, Any] = {
        "device_kind": device,
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_name(),
        "cpu_threads": torch.get_num_threads(),  # for untimed work (training); timing uses TIMING_THREADS
        "timing_threads": TIMING_THREADS,
        "logical_cores": os.cpu_count(),
        **_git_state(),
    }
    if device == "cuda":
        properties = torch.cuda.get_device_properties(0)
        info.update(
            device_name=properties.name,
            multiprocessors=properties.multi_processor_count,
            gpu_memory_gib=round(properties.total_memory / 2**30, 1),
            cuda=torch.version.cuda,
            cudnn=torch.backends.cudnn.version(),
            driver=_nvidia_driver(),
        )
    else:
        info["device_name"] = f"{info['cpu']} ({info['logical_cores']} cores, timed on {TIMING_THREADS} thread)"
    return info


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _nvidia_driver() -> str | None:
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=20, check=True,
        )
        return out.stdout.strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return None


def _git_state() -> dict[str, Any]:
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10, check=True
            )
            return out.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"git_commit": commit, "git_dirty": bool(status) if status is not None else None}
