"""The load generator's arithmetic and its HTTP client, against a tiny local server."""

from __future__ import annotations

import asyncio

import pytest

from bench.http import Connection, Prepared, plain
from bench.loadgen import percentile


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0


def test_percentile_of_unsorted_values_sorts_first() -> None:
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0


def test_percentile_of_nothing_is_zero() -> None:
    assert percentile([], 99) == 0.0


def test_prepared_request_serializes_head_then_body() -> None:
    request = plain("http://127.0.0.1:9", "PUT", "/b/k", b"abc")
    assert request.raw == b"PUT /b/k HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Length: 3\r\n\r\nabc"


async def _serve(responses: list[bytes]) -> tuple[asyncio.Server, int, list[bytes]]:
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for response in responses:
            seen.append(await reader.readuntil(b"\r\n\r\n"))
            writer.write(response)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], seen


@pytest.mark.parametrize(
    ("response", "body"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", b"hello"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", b"hello"),
        (b"HTTP/1.1 204 No Content\r\n\r\n", b""),
    ],
)
def test_connection_reads_each_body_framing(response: bytes, body: bytes) -> None:
    async def go() -> bytes:
        server, port, _ = await _serve([response])
        async with server:
            conn = Connection("127.0.0.1", port)
            got = await conn.send(Prepared("GET", "/", (("Host", "x"),)).raw)
            await conn.close()
            return got.body

    assert asyncio.run(go()) == body


def test_connection_keeps_one_socket_for_several_requests() -> None:
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    async def go() -> int:
        server, port, seen = await _serve([ok, ok, ok])
        async with server:
            conn = Connection("127.0.0.1", port)
            for _ in range(3):
                assert (await conn.send(Prepared("GET", "/", (("Host", "x"),)).raw)).status == 200
            await conn.close()
        return len(seen)

    assert asyncio.run(go()) == 3
