"""What a run measured: one ``Measurement`` per (workload, server, parameters), kept in a ``Run``.

Everything here is plain data that round-trips through JSON (bench/results/<timestamp>.json); the markdown
table and the chart are drawn from it (report.py), so an old run can be re-rendered.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Measurement:
    workload: str  # e.g. "s3-put-1KiB"; see workloads/
    server: str  # hutch | moto | cognito-local | nginx
    label: str  # the row's parameters in words, e.g. "c=16"
    rate: float  # operations per second (MiB/s for transfers)
    unit: str  # "req/s", "sign-ins/s", "pairs/s", "MiB/s", "decisions/s"
    ops: int = 0
    seconds: float = 0.0
    p50_ms: float | None = None
    p99_ms: float | None = None
    cpu_ms_per_op: float | None = None  # server CPU (all threads, whole process tree) per operation
    server_cpu_util: float | None = None  # server CPU seconds per wall second over the window
    peak_rss_mib: float | None = None
    errors: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    notes: str = ""


@dataclass
class Skipped:
    workload: str
    server: str
    reason: str


@dataclass
class Profile:
    """Where hutch spent its time while it ran one workload (py-spy, sampled)."""

    workload: str
    label: str
    mode: str  # "threads" (every thread) or "gil" (only the thread holding the GIL): see profiling.MODES
    samples: int  # busy samples: the shares below are of these
    idle_samples: int  # samples of parked threads (waiting on a queue or condition), left out
    raw_path: str  # collapsed stacks, relative to bench/results
    self_time: list[tuple[str, float]]  # (file:function, share of samples where it was the leaf)
    total_time: list[tuple[str, float]]  # (hutch file:function, share of samples where it was on the stack)


@dataclass
class Run:
    started: str  # ISO 8601, UTC
    quick: bool
    machine: dict[str, Any]
    servers: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> version, enforcement
    measurements: list[Measurement] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    finished: str = ""
    load_after: list[float] = field(default_factory=list)
    load_during: dict[str, float] = field(default_factory=dict)  # step -> 1-minute load average at its end

    def add(self, m: Measurement) -> Measurement:
        self.measurements.append(m)
        return m

    def find(self, workload: str, server: str, label: str | None = None) -> Measurement | None:
        for m in self.measurements:
            if m.workload == workload and m.server == server and (label is None or m.label == label):
                return m
        return None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Run:
        run = cls(**{k: v for k, v in data.items() if k not in ("measurements", "skipped", "profiles")})
        run.measurements = [Measurement(**m) for m in data.get("measurements", [])]
        run.skipped = [Skipped(**s) for s in data.get("skipped", [])]
        run.profiles = [
            Profile(
                **{
                    **p,
                    "self_time": [tuple(x) for x in p["self_time"]],
                    "total_time": [tuple(x) for x in p["total_time"]],
                }
            )
            for p in data.get("profiles", [])
        ]
        return run

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> Run:
        return cls.from_json(json.loads(path.read_text()))
