"""The state a run shares with its workloads, and the two ways a workload turns load into Measurements."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import loadgen, wrk
from bench.http import Prepared, send_once
from bench.plan import Plan
from bench.procs import CpuMeter
from bench.profiling import Attach, ProfileTarget
from bench.results import Measurement, Run, Skipped
from bench.scenario import World
from bench.servers import Server


@dataclass
class Bench:
    plan: Plan
    workdir: Path
    run: Run
    servers: dict[str, Server] = field(default_factory=dict)
    worlds: dict[str, World] = field(default_factory=dict)
    profile_targets: list[ProfileTarget] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)

    def log(self, message: str) -> None:
        print(f"[{time.monotonic() - self.began:6.1f}s] {message}", file=sys.stderr, flush=True)

    def skip(self, workload: str, server: str, reason: str) -> None:
        self.log(f"skip {workload} on {server}: {reason}")
        self.run.skipped.append(Skipped(workload, server, reason))

    def scratch(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def profile_later(
        self, goal: str, workload: str, label: str, run: Callable[[float, Attach], None]
    ) -> None:
        """Keep a way to load hutch again for ``workload``; it is profiled if ``goal`` fails."""
        # One target per (goal, workload): a later registration (a larger bucket, say) replaces an earlier one.
        self.profile_targets = [t for t in self.profile_targets if (t.goal, t.workload) != (goal, workload)]
        self.profile_targets.append(ProfileTarget(goal, workload, label, run))

    def record(self, m: Measurement) -> Measurement:
        p = f"p50 {m.p50_ms:.2f} ms, p99 {m.p99_ms:.2f} ms" if m.p50_ms is not None and m.p99_ms else ""
        cpu = f", {m.cpu_ms_per_op:.3f} ms CPU/op" if m.cpu_ms_per_op is not None else ""
        self.log(f"{m.workload} {m.server} {m.label}: {m.rate:,.1f} {m.unit} {p}{cpu}")
        return self.run.add(m)


def check(server: Server, request: Prepared, expect: int = 200) -> bytes:
    """Send one request before a run: a workload that would only measure errors fails early and loudly."""
    response = send_once(server.endpoint, request)
    if response.status != expect:
        raise RuntimeError(
            f"{server.name}: {request.method} {request.path} answered {response.status}, not {expect}: "
            f"{response.body[:300]!r}"
        )
    return response.body


@dataclass
class WrkEntry:
    """One row of an interleaved wrk measurement: a server, the row's label and how to get its requests
    (called again every round, so signatures are always fresh)."""

    server: Server
    label: str
    requests: Callable[[], Sequence[Prepared]]
    notes: str = ""


def wrk_interleaved(
    bench: Bench,
    entries: Sequence[WrkEntry],
    *,
    workload: str,
    connections: int,
    unit: str = "req/s",
    rounds: int | None = None,
) -> list[Measurement]:
    """Measure every entry with wrk, in rounds that take the entries in turn.

    The machine is shared, so its load drifts during a run; interleaving makes the rows being compared (hutch
    and a peer, or the same server at several sizes) share that drift instead of one getting a quiet minute
    and the other a busy one. Per row: rate = requests / seconds over all rounds, p50 = the median of the
    rounds' p50s, p99 = the worst round's p99, CPU = the server's CPU seconds summed over its rounds.
    """
    rounds = rounds or (1 if bench.plan.quick else 2)
    seconds = max(1, round(bench.plan.seconds / rounds))
    results: list[list[wrk.WrkResult]] = [[] for _ in entries]
    cpu = [0.0] * len(entries)
    for _ in range(rounds):
        for i, entry in enumerate(entries):
            requests = entry.requests()
            meter = CpuMeter(entry.server.pid)
            meter.start()
            results[i].append(
                wrk.run(
                    entry.server.endpoint,
                    requests,
                    connections=connections,
                    seconds=seconds,
                    workdir=bench.scratch("wrk"),
                )
            )
            meter.stop()
            cpu[i] += meter.cpu
    out = []
    for i, entry in enumerate(entries):
        rows = results[i]
        requests_done = sum(r.requests for r in rows)
        elapsed = sum(r.seconds for r in rows)
        errors = sum(r.errors for r in rows)
        notes = entry.notes
        if rounds > 1:
            rounds_p50 = ", ".join(f"{r.p50_ms:.2f}" for r in rows)
            notes = (notes + "; " if notes else "") + f"{rounds} interleaved rounds, p50s {rounds_p50} ms"
        if errors:
            detail = {k: sum(r.error_detail[k] for r in rows) for k in rows[0].error_detail}
            notes = (notes + "; " if notes else "") + f"wrk errors {detail}"
        out.append(
            bench.record(
                Measurement(
                    workload=workload,
                    server=entry.server.name,
                    label=entry.label,
                    rate=requests_done / elapsed if elapsed else 0.0,
                    unit=unit,
                    ops=requests_done,
                    seconds=elapsed,
                    p50_ms=statistics.median(r.p50_ms for r in rows),
                    p99_ms=max(r.p99_ms for r in rows),
                    cpu_ms_per_op=cpu[i] / requests_done * 1000 if requests_done else None,
                    server_cpu_util=cpu[i] / elapsed if elapsed else None,
                    errors=errors,
                    params={"connections": connections, "generator": "wrk", "rounds": rounds},
                    notes=notes,
                )
            )
        )
    return out


def with_loadgen(
    bench: Bench,
    server: Server,
    factory: loadgen.DriverFactory,
    *,
    workload: str,
    label: str,
    processes: int,
    connections: int,
    unit: str,
    notes: str = "",
) -> Measurement:
    """Run operation loops in ``processes`` x ``connections``; CPU is read at the window's edges."""
    result = loadgen.run(
        factory,
        server.endpoint,
        processes=processes,
        connections=connections,
        seconds=bench.plan.seconds,
        warmup=bench.plan.warmup,
        server_pid=server.pid,
    )
    if result.errors:
        notes = (notes + "; " if notes else "") + f"{result.errors} errors, first: {result.first_error}"
    return bench.record(
        Measurement(
            workload=workload,
            server=server.name,
            label=label,
            rate=result.rate,
            unit=unit,
            ops=result.ops,
            seconds=result.seconds,
            p50_ms=loadgen.percentile(result.latencies_ms, 50),
            p99_ms=loadgen.percentile(result.latencies_ms, 99),
            cpu_ms_per_op=result.server_cpu / result.ops * 1000 if result.ops else None,
            server_cpu_util=result.server_cpu / result.seconds,
            errors=result.errors,
            params={"processes": processes, "connections": connections, "generator": "python-asyncio"},
            notes=notes,
        )
    )


def loadgen_again(
    server: Server, factory: loadgen.DriverFactory, processes: int, connections: int
) -> Callable[[float, Attach], None]:
    """A profile target's load: the same operation loops again, the profiler attached as the window opens."""

    def load(seconds: float, attach: Attach) -> None:
        loadgen.run(
            factory,
            server.endpoint,
            processes=processes,
            connections=connections,
            seconds=seconds,
            warmup=0.5,
            at_start=lambda: attach(server.pid),
        )

    return load
