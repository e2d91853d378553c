"""Drive a server with wrk (Debian ``wrk``): C threads and keep-alive connections replaying prepared requests.

The requests (see http.Prepared) are written into a generated Lua script as escaped strings; every wrk
thread cycles through them from its own offset, so no signing or formatting happens during the run. wrk's
``done`` hook prints the totals and latency percentiles as one JSON line, which is all we read back.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.http import Prepared

_LUA = """\
local reqs = {{
{requests}
}}
local n = #reqs
local counter = 0
local threads = {{}}

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  table.insert(threads, thread)
end

function init(args)
  i = (offset * 7919) % n
end

function request()
  i = i % n + 1
  return reqs[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nWRK-JSON {{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %f, "max_us": %d}}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""


def lua_string(data: bytes) -> str:
    """A Lua string literal holding exactly ``data`` (every byte outside plain ASCII escaped)."""
    out = ['"']
    for b in data:
        ch = chr(b)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 32 <= b < 127:
            out.append(ch)
        else:
            out.append(f"\\{b:03d}")
    out.append('"')
    return "".join(out)


def script(requests: Sequence[Prepared]) -> str:
    return _LUA.format(requests=",\n".join(lua_string(r.raw) for r in requests))


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    errors: int  # socket errors and non-2xx/3xx responses
    error_detail: dict[str, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def available() -> bool:
    return shutil.which("wrk") is not None


def run(
    endpoint: str,
    requests: Sequence[Prepared],
    *,
    connections: int,
    seconds: float,
    workdir: Path,
    threads: int | None = None,
    timeout_s: int = 10,
) -> WrkResult:
    """Run wrk against ``endpoint`` for ``seconds`` with ``connections`` connections."""
    lua = workdir / "wrk-requests.lua"
    lua.write_text(script(requests))
    threads = threads or min(connections, 2)
    args = [
        shutil.which("wrk") or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout_s}s",
        "-s",
        str(lua),
        endpoint,
    ]
    done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=seconds + 120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
    data = json.loads(line.removeprefix("WRK-JSON "))
    detail = {k: data[k] for k in ("connect", "read", "write", "status", "timeout")}
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
        errors=sum(detail.values()),
        error_detail=detail,
    )
