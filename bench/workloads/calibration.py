"""How fast the load generators themselves go: the Python generator against nginx serving a 1 KiB file.

wrk's ceiling shows in the nginx rows of the S3 workloads. This row shows the Python asyncio generator (used
for SRP and the identity pairs) with the same processes and connections: when a hutch figure is far below it,
the generator was not what limited hutch.
"""

from __future__ import annotations

import functools

from bench.context import Bench, with_loadgen
from bench.http import Connection, plain
from bench.servers import Server
from bench.workloads.identity import CONNECTIONS, PROCESSES
from bench.workloads.s3_small import payload


class StaticGet:
    def __init__(self, endpoint: str, worker: int) -> None:
        self.raw = plain(endpoint, "GET", "/small/obj-0000").raw

    async def op(self, conn: Connection, n: int) -> None:
        response = await conn.send(self.raw)
        if response.status != 200:
            raise RuntimeError(f"GET {response.status}")


def make_driver(endpoint: str, worker: int) -> StaticGet:
    return StaticGet(endpoint, worker)


def run(bench: Bench, nginx: Server) -> None:
    (nginx.workdir / "www" / "small").mkdir(parents=True, exist_ok=True)
    (nginx.workdir / "www" / "small" / "obj-0000").write_bytes(payload(bench.plan.small_object))
    with_loadgen(
        bench,
        nginx,
        functools.partial(make_driver, nginx.endpoint),
        workload="loadgen-ceiling",
        label=f"{PROCESSES} procs x {CONNECTIONS} conns",
        processes=PROCESSES,
        connections=CONNECTIONS,
        unit="req/s",
        notes="Python asyncio generator against nginx static 1 KiB: its own ceiling",
    )
