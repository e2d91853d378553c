"""What a server process costs: CPU seconds and resident memory, read from /proc.

A server is measured as its whole process tree (nginx runs a master and workers; the others are one
process), so "server CPU seconds per request" is the tree's utime + stime delta divided by the requests.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    """A loopback port the OS just handed out (closed again, so the server can bind it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its closing parenthesis.
    return raw[raw.rindex(")") + 2 :].split()


def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (not ``pid`` itself)."""
    by_parent: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is not None:
            by_parent.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        kids = by_parent.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def tree(pid: int) -> list[int]:
    return [pid, *children(pid)]


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process tree rooted at ``pid`` (all threads), in seconds."""
    total = 0
    for p in tree(pid):
        fields = _stat_fields(p)
        if fields is not None:
            # After the command: state is index 0, so utime (field 14) is index 11 and stime index 12.
            total += int(fields[11]) + int(fields[12])
    return total / _TICKS


def rss_bytes(pid: int) -> int:
    """Resident set size of the process tree now."""
    total = 0
    for p in tree(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):  # the process just exited
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * _PAGE
    return total


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakRss:
    """Peak resident memory of a process tree over a stretch of time.

    The kernel's high-water mark (VmHWM) is reset at the start by writing 5 to /proc/PID/clear_refs (needs
    the same user or root) and read at the end; a sampler every 20 ms backs it up where the reset is refused.
    The larger of the two is reported.
    """

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.sampled = 0
        self.hwm_reset = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakRss:
        ok = True
        for p in tree(self.pid):
            try:
                Path(f"/proc/{p}/clear_refs").write_text("5")
            except OSError:
                ok = False
        self.hwm_reset = ok
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.sampled = max(self.sampled, rss_bytes(self.pid))
            time.sleep(self.interval)

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_bytes(self) -> int:
        hwm = sum(_status_kib(p, "VmHWM") for p in tree(self.pid)) * 1024 if self.hwm_reset else 0
        return max(hwm, self.sampled)


@dataclass
class CpuMeter:
    """Server CPU seconds over a measured window: ``start()`` then ``stop()``."""

    pid: int
    began_cpu: float = 0.0
    began_wall: float = 0.0
    cpu: float = 0.0
    wall: float = 0.0

    def start(self) -> None:
        self.began_cpu = cpu_seconds(self.pid)
        self.began_wall = time.perf_counter()

    def stop(self) -> None:
        self.cpu = cpu_seconds(self.pid) - self.began_cpu
        self.wall = time.perf_counter() - self.began_wall

    @property
    def utilisation(self) -> float:
        """CPU seconds per wall second: 1.0 is one core busy the whole time."""
        return self.cpu / self.wall if self.wall else 0.0


def load_average() -> tuple[float, float, float]:
    one, five, fifteen = os.getloadavg()
    return one, five, fifteen
