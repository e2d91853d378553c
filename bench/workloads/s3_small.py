"""S3 1 KiB PUT and GET at 1 / 16 / 64 keep-alive connections, replayed by wrk.

hutch: the scenario user's temporary credentials (identity pool → role session), keys under the user's own
prefix, every request SigV4-signed in the Authorization header with the payload hash, as botocore signs over
http. The signatures are computed before the run (SigV4 allows reuse within the 15-minute skew window).
moto gets the same requests signed with its credentials (it checks nothing); nginx the same bytes as
unauthenticated GET and WebDAV PUT. The three servers are measured in interleaved rounds at each concurrency.
"""

from __future__ import annotations

import functools
import random
import string
from collections.abc import Callable

from bench import seeding, wrk
from bench.context import Bench, WrkEntry, check, wrk_interleaved
from bench.http import Prepared, plain, signed_s3
from bench.profiling import Attach
from bench.scenario import username
from bench.servers import Server

KEYS = 256  # distinct keys per run: PUTs overwrite them in turn, GETs read them in turn


def payload(size: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return "".join(rng.choices(string.ascii_letters + string.digits, k=size)).encode()


def requests_for(bench: Bench, server: Server, method: str) -> list[Prepared]:
    body = payload(bench.plan.small_object) if method == "PUT" else b""
    if server.name == "nginx":
        return [plain(server.endpoint, method, f"/small/obj-{i:04d}", body) for i in range(KEYS)]
    world = bench.worlds[server.name]
    user = world.session(username(0))
    return [
        signed_s3(
            server.endpoint, user.credentials, method, f"/{world.bucket}/{user.prefix}small/obj-{i:04d}", body
        )
        for i in range(KEYS)
    ]


def run(bench: Bench, servers: list[Server]) -> None:
    for server in servers:
        # Create every key first (the GETs read them), through the same signed requests.
        seeding.send_all(server, requests_for(bench, server, "PUT"), connections=4)
    for method in ("PUT", "GET"):
        workload = f"s3-{method.lower()}-1KiB"
        for server in servers:
            requests = requests_for(bench, server, method)
            check(server, requests[0], expect=_expected(server, method))
            # Warm-up: caches, connection pools, the policy compile cache.
            wrk.run(server.endpoint, requests, connections=16, seconds=1, workdir=bench.scratch("wrk"))
        for connections in bench.plan.concurrencies:
            entries = [
                WrkEntry(s, f"c={connections}", functools.partial(requests_for, bench, s, method))
                for s in servers
            ]
            wrk_interleaved(bench, entries, workload=workload, connections=connections)
        hutch = next((s for s in servers if s.name == "hutch"), None)
        if hutch is not None:
            bench.profile_later("s3-small", workload, "c=16", _replay(bench, hutch, method))


def _expected(server: Server, method: str) -> int:
    # nginx answers a WebDAV PUT that replaces a file with 204, one that creates it with 201.
    if server.name == "nginx" and method == "PUT":
        return 204
    return 200


def _replay(bench: Bench, server: Server, method: str) -> Callable[[float, Attach], None]:
    def load(seconds: float, attach: Attach) -> None:
        requests = requests_for(bench, server, method)  # signed afresh: the profile may run much later
        attach(server.pid)
        wrk.run(server.endpoint, requests, connections=16, seconds=seconds, workdir=bench.scratch("wrk"))

    return load
