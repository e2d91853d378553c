"""The machine a run happened on: cores, CPU model, memory, kernel, Python, and how busy it was."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def _tool_version(*args: str) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=10)
    except OSError:
        return "absent"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"


def describe() -> dict[str, Any]:
    one, five, fifteen = os.getloadavg()
    return {
        "nproc": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": round(_memory_gib(), 1),
        "kernel": platform.release(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "node": _tool_version("node", "--version"),
        "wrk": _tool_version("wrk", "--version").split(" Copyright")[0],
        "curl": _tool_version("curl", "--version").split(" (")[0],
        "load_before": [round(one, 2), round(five, 2), round(fifteen, 2)],
    }
