"""Where hutch spends its time in a workload whose goal failed: py-spy samples the server while the workload's
load runs again, and the collapsed stacks are summed per function (own time and time on the stack).

Workloads register a ``ProfileTarget`` for each goal they feed; after the measured run, __main__ profiles the
targets of the goals that failed. The raw stacks go to bench/results/profiles/ (flamegraph.pl or speedscope
read them); the summary goes into the JSON and the markdown.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.results import Profile

# run(seconds, attach): call attach(pid) as soon as the process to sample is known, then load it for seconds.
Attach = Callable[[int], None]


@dataclass
class ProfileTarget:
    goal: str
    workload: str
    label: str
    run: Callable[[float, Attach], None]


_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>.*?)(?::(?P<line>\d+))?\)$")
_TRIM = ("/site-packages/", "/src/", "/lib/python3.11/", "/work/main/")


def _short(path: str) -> str:
    for marker in _TRIM:
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def frame_name(frame: str) -> str:
    """``func (path/to/file.py:123)`` → ``file path:func`` with the path shortened and no line number."""
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    return f"{_short(match['file'])}:{match['func']}"


# Leaves where a thread is parked, not working: py-spy's own idle detection does not work in this container,
# so these samples are counted apart and left out of the shares. A Python frame is the leaf while it waits in
# a C call, so hutch's group-commit thread blocked in SimpleQueue.get() shows as GroupCommit._loop.
# (asyncio/runners.py:Runner.run as a leaf is uvloop's C loop: socket I/O and HTTP parsing as well as waiting
# in epoll; it stays in, named as such.)
IDLE_LEAVES = frozenset(
    {
        "hutch/store/group_commit.py:GroupCommit._loop",
        "threading.py:Condition.wait",
        "threading.py:Event.wait",
        "threading.py:Thread.join",
        "queue.py:Queue.get",
        "selectors.py:EpollSelector.select",
        "multiprocessing/connection.py:_recv",
    }
)


# Frames on every stack of a server thread (entry points, the loop, thread bootstraps): no information.
_WRAPPERS = ("hutch/__main__.py:", "hutch/cli.py:", "hutch/server.py:")


def _ours(name: str) -> bool:
    return name.startswith("hutch/") and not name.startswith(_WRAPPERS)


def summarize(raw: str, top: int = 15) -> tuple[int, int, list[tuple[str, float]], list[tuple[str, float]]]:
    """(busy samples, idle samples, own-time shares, inclusive shares of hutch's functions) from py-spy's
    raw output.

    Shares are of the busy samples: those whose leaf is not a parked thread (IDLE_LEAVES). The inclusive list
    keeps hutch's own functions only (src/hutch), so it says which of them the time is spent under.
    """
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    samples = 0
    idle = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame_name(f) for f in stack.split(";") if f]
        # py-spy puts "process ..." / "thread ..." roots first when asked; they are not code.
        frames = [f for f in frames if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        if frames[-1] in IDLE_LEAVES:
            idle += count
            continue
        samples += count
        own[frames[-1]] += count
        for name in set(frames):
            if _ours(name):
                inclusive[name] += count
    if not samples:
        return 0, idle, [], []

    def shares(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(name, n / samples) for name, n in counter.most_common(top)]

    return samples, idle, shares(own), shares(inclusive)


def read_raw(path: Path) -> str:
    """Collapsed stacks as profile() keeps them (gzipped), or plain."""
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode()


def available() -> bool:
    return shutil.which("py-spy") is not None or (Path(sys.executable).parent / "py-spy").exists()


def _py_spy() -> str:
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else (shutil.which("py-spy") or "py-spy")


MODES = {
    "threads": "every thread (wall time: includes threads waiting on locks, I/O and SQLite)",
    "gil": "the thread holding the GIL (where the Python interpreter's one core goes)",
}


def profile(target: ProfileTarget, seconds: float, out_dir: Path, results_dir: Path, mode: str) -> Profile:
    """Sample the target's process while its load runs; ``mode`` is a key of MODES."""
    out_dir.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", f"{target.workload} {target.label} {mode}".lower()).strip("-")
    raw_path = out_dir / f"{slug}.txt"
    spy: list[subprocess.Popen[bytes]] = []

    def attach(pid: int) -> None:
        spy.append(
            subprocess.Popen(
                [
                    _py_spy(),
                    "record",
                    "--pid",
                    str(pid),
                    "--duration",
                    str(max(1, round(seconds))),
                    "--rate",
                    "200",
                    *(["--gil"] if mode == "gil" else []),
                    "--format",
                    "raw",
                    "--output",
                    str(raw_path),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        time.sleep(0.3)  # let it attach before the load starts

    target.run(seconds, attach)
    if not spy:
        raise RuntimeError(f"profile {target.workload}: the load never named a process to sample")
    _, err = spy[0].communicate(timeout=seconds + 60)
    if spy[0].returncode != 0 or not raw_path.exists():
        raise RuntimeError(f"py-spy failed: {err.decode(errors='replace')[-500:]}")
    text = raw_path.read_text()
    raw_path.unlink()
    raw_path = raw_path.with_suffix(".txt.gz")
    raw_path.write_bytes(gzip.compress(text.encode(), mtime=0))  # ~10x smaller; zcat for flamegraph.pl
    samples, idle, own, inclusive = summarize(text)
    return Profile(
        workload=target.workload,
        label=target.label,
        mode=mode,
        samples=samples,
        idle_samples=idle,
        raw_path=str(raw_path.relative_to(results_dir)),
        self_time=own,
        total_time=inclusive,
    )
