"""A multi-process load generator for flows wrk cannot replay: each operation may take several requests whose
later ones depend on earlier answers (SRP's two steps, GetId then GetCredentialsForIdentity).

Each worker process runs an asyncio loop (uvloop when present) with a few keep-alive connections; a
``Driver`` built in the worker performs one operation on a connection. All workers start at the same wall
clock instant, warm up, and count only operations that finish inside the measured window, whose latencies
(whole operation, every request in it) are returned for the percentiles.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.http import Connection
from bench.procs import cpu_seconds


class Driver(Protocol):
    async def op(self, conn: Connection, n: int) -> None:
        """One operation; raises on a wrong answer."""


# Builds a worker's driver from (worker index, connections in this worker); must be picklable (a
# module-level function or a functools.partial of one).
DriverFactory = Callable[[int], Driver]


@dataclass
class LoadResult:
    ops: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    server_cpu: float = 0.0  # server CPU seconds inside the window

    @property
    def rate(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (``values`` need not be sorted)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


async def _connection_loop(
    driver: Driver,
    conn: Connection,
    first: int,
    step: int,
    window: tuple[float, float],
    out: dict[str, Any],
) -> None:
    start, stop = window
    n = first
    while True:
        began = time.time()
        if began >= stop:
            break
        try:
            await driver.op(conn, n)
        except Exception as exc:
            out["errors"] += 1
            if not out["first_error"]:
                out["first_error"] = f"{type(exc).__name__}: {exc}"[:500]
            await conn.close()
            if out["errors"] > 50:
                break
            continue
        finally:
            n += step
        ended = time.time()
        if start <= ended <= stop:
            out["ops"] += 1
            out["lat"].append((ended - began) * 1000)
    await conn.close()


def _worker(
    factory: DriverFactory,
    endpoint: str,
    index: int,
    processes: int,
    connections: int,
    window: tuple[float, float],
    queue: Any,
) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop comes with hutch
        pass
    out: dict[str, Any] = {"ops": 0, "lat": [], "errors": 0, "first_error": ""}
    try:
        driver = factory(index)

        async def main() -> None:
            conns = [Connection.to(endpoint) for _ in range(connections)]
            # Operations start at once: those that end before the window are the warm-up.
            total = processes * connections
            await asyncio.gather(
                *(
                    _connection_loop(driver, c, index * connections + j, total, window, out)
                    for j, c in enumerate(conns)
                )
            )

        asyncio.run(main())
    except Exception as exc:  # a driver that cannot even start
        out["errors"] += 1
        out["first_error"] = out["first_error"] or f"{type(exc).__name__}: {exc}"[:500]
    queue.put(out)


def run(
    factory: DriverFactory,
    endpoint: str,
    *,
    processes: int,
    connections: int,
    seconds: float,
    warmup: float,
    server_pid: int | None = None,
    at_start: Callable[[], None] | None = None,
) -> LoadResult:
    """Run ``processes`` x ``connections`` concurrent operation loops; measure ``seconds`` after ``warmup``.

    With ``server_pid``, the server's CPU seconds over exactly the measured window come back too;
    ``at_start`` is called the moment the window opens (a profiler attaches then).
    """
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    # Spawned workers take a moment to import; the window opens after that plus the warm-up.
    start = time.time() + 2.0 + warmup
    window = (start, start + seconds)
    procs = [
        ctx.Process(target=_worker, args=(factory, endpoint, i, processes, connections, window, queue))
        for i in range(processes)
    ]
    for p in procs:
        p.start()
    cpu = 0.0
    time.sleep(max(0.0, window[0] - time.time()))
    if at_start is not None:
        at_start()
    if server_pid is not None:
        began = cpu_seconds(server_pid)
        time.sleep(max(0.0, window[1] - time.time()))
        cpu = cpu_seconds(server_pid) - began
    results = [queue.get(timeout=seconds + warmup + 600) for _ in procs]
    for p in procs:
        p.join(30)
    merged = LoadResult(ops=0, seconds=seconds, server_cpu=cpu)
    for r in results:
        merged.ops += r["ops"]
        merged.latencies_ms += r["lat"]
        merged.errors += r["errors"]
        merged.first_error = merged.first_error or r["first_error"]
    return merged
