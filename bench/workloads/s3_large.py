"""One large object (1 GiB; 128 MiB with --quick) PUT then GET by curl: MiB/s and the server's peak RSS.

hutch and moto get presigned URLs made with the scenario user's temporary credentials (UNSIGNED-PAYLOAD,
as a browser upload uses them), nginx the plain URL; curl streams the file up and the body down to
/dev/null. The server's peak resident memory is its kernel high-water mark over the transfer (procs.PeakRss).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from bench.context import Bench
from bench.plan import MIB
from bench.procs import CpuMeter, PeakRss, rss_bytes
from bench.profiling import Attach
from bench.results import Measurement
from bench.scenario import client, username
from bench.servers import Server

CHUNK = 8 * MIB


def source_file(bench: Bench) -> Path:
    """Random bytes of the plan's size, written once per run."""
    path = bench.scratch("large") / f"object-{bench.plan.large_object}.bin"
    if not path.exists() or path.stat().st_size != bench.plan.large_object:
        with path.open("wb") as f:
            left = bench.plan.large_object
            while left:
                n = min(CHUNK, left)
                f.write(os.urandom(n))
                left -= n
    return path


def urls(bench: Bench, server: Server) -> tuple[str, str]:
    """(PUT URL, GET URL) for the large object on ``server``."""
    if server.name == "nginx":
        url = f"{server.endpoint}/large/object.bin"
        return url, url
    world = bench.worlds[server.name]
    user = world.session(username(0))
    s3 = client(
        "s3",
        server.endpoint,
        {
            "aws_access_key_id": user.credentials.access_key,
            "aws_secret_access_key": user.credentials.secret_key,
            "aws_session_token": user.credentials.token,
        },
    )
    params = {"Bucket": world.bucket, "Key": f"{user.prefix}large/object.bin"}
    put = s3.generate_presigned_url("put_object", Params=params, ExpiresIn=3600)
    get = s3.generate_presigned_url("get_object", Params=params, ExpiresIn=3600)
    return put, get


def curl(method: str, url: str, source: Path | None) -> tuple[int, float]:
    """(HTTP status, seconds) of one transfer."""
    args = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "-H", "Expect:"]
    if method == "PUT":
        assert source is not None
        args += ["-T", str(source)]
    done = subprocess.run([*args, url], capture_output=True, text=True, check=False, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"curl {method} failed: {done.stderr.strip()}")
    status, seconds = done.stdout.split()
    return int(status), float(seconds)


def run(bench: Bench, servers: list[Server]) -> None:
    source = source_file(bench)
    size = source.stat().st_size
    size_label = f"{size // MIB} MiB" if size < 1024 * MIB else f"{size // (1024 * MIB)} GiB"
    for server in servers:
        put_url, get_url = urls(bench, server)
        for method, url in (("PUT", put_url), ("GET", get_url)):
            best: Measurement | None = None
            peak = 0.0
            before = rss_bytes(server.pid) / MIB
            for _ in range(bench.plan.large_repeats):
                # Start every transfer with no dirty pages left by the previous one: otherwise a PUT's speed
                # depends on how much of the last gigabyte the kernel still has to write back.
                os.sync()
                meter = CpuMeter(server.pid)
                with PeakRss(server.pid) as rss:
                    meter.start()
                    status, seconds = curl(method, url, source if method == "PUT" else None)
                    meter.stop()
                if status not in (200, 201, 204):
                    raise RuntimeError(f"{server.name}: large {method} answered {status}")
                peak = max(peak, rss.peak_bytes / MIB)
                m = Measurement(
                    workload=f"s3-{method.lower()}-large",
                    server=server.name,
                    label=size_label,
                    rate=size / MIB / seconds,
                    unit="MiB/s",
                    ops=1,
                    seconds=seconds,
                    cpu_ms_per_op=meter.cpu * 1000,
                    server_cpu_util=meter.utilisation,
                    params={"bytes": size, "client": "curl", "repeats": bench.plan.large_repeats},
                )
                if best is None or m.rate > best.rate:
                    best = m
            assert best is not None
            best.peak_rss_mib = peak
            best.params["rss_before_mib"] = round(before, 1)
            best.notes = (
                f"best of {bench.plan.large_repeats}; peak RSS over all (RSS before: {before:.0f} MiB)"
            )
            bench.record(best)
            if server.name == "hutch":
                bench.profile_later(
                    "large", f"s3-{method.lower()}-large", size_label, _again(bench, server, method)
                )


def _again(bench: Bench, server: Server, method: str) -> Callable[[float, Attach], None]:
    def load(seconds: float, attach: Attach) -> None:
        put_url, get_url = urls(bench, server)
        attach(server.pid)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            curl(
                method,
                put_url if method == "PUT" else get_url,
                source_file(bench) if method == "PUT" else None,
            )

    return load
