"""The Lua script wrk replays: every byte of a prepared request must survive the trip through Lua."""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.http import plain
from bench.wrk import lua_string, run


def _lua_decode(literal: str) -> bytes:
    """Decode the escapes lua_string produces (\\ddd, \\", \\\\) back into bytes."""
    assert literal[0] == literal[-1] == '"'
    out = bytearray()
    i = 1
    while i < len(literal) - 1:
        ch = literal[i]
        if ch == "\\":
            nxt = literal[i + 1]
            if nxt.isdigit():
                out.append(int(literal[i + 1 : i + 4]))
                i += 4
                continue
            out.append(ord(nxt))
            i += 2
            continue
        out.append(ord(ch))
        i += 1
    return bytes(out)


def test_lua_string_round_trips_every_byte() -> None:
    data = bytes(range(256)) + b'"quoted" \\ back\r\n'
    assert _lua_decode(lua_string(data)) == data


def test_lua_string_keeps_printable_ascii_as_is() -> None:
    assert lua_string(b"GET / HTTP/1.1") == '"GET / HTTP/1.1"'


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_replays_the_prepared_requests_in_turn(tmp_path: Path) -> None:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        requests = [plain(endpoint, "GET", f"/k{i}") for i in range(3)]
        result = run(endpoint, requests, connections=1, seconds=1, workdir=tmp_path)
    finally:
        server.shutdown()
    assert result.errors == 0
    assert result.requests > 3
    assert set(seen) == {"/k0", "/k1", "/k2"}
    assert result.p50_ms <= result.p99_ms
