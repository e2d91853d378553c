from __future__ import annotations

from typing import Any

import anyio
import pytest

from hutch.wire.http import Body, BodyTooLarge, ClientDisconnected, Headers


def receiver(chunks: list[bytes], disconnect: bool = False) -> Any:
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)
    ]
    if disconnect:
        messages[-1]["more_body"] = True
        messages.append({"type": "http.disconnect"})

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    return receive


def test_headers_are_case_insensitive_and_multi_valued() -> None:
    h = Headers([("X-Amz-Meta-A", "1"), ("x-amz-meta-a", "2"), ("Host", "h")])
    assert h.get("HOST") == "h"
    assert h.get_all("x-amz-meta-a") == ["1", "2"]
    assert h.get("x-amz-meta-a") == "1,2"
    assert "host" in h and "missing" not in h


def test_body_reads_in_pieces_across_chunks() -> None:
    async def go() -> None:
        body = Body(receiver([b"abc", b"defg", b"h"]))
        assert await body.read(2) == b"ab"
        assert await body.read(4) == b"cdef"
        assert await body.read(10) == b"gh"
        assert await body.read(1) == b""

    anyio.run(go)


def test_read_all_is_bounded() -> None:
    async def go() -> None:
        with pytest.raises(BodyTooLarge):
            await Body(receiver([b"x" * 10, b"y" * 10])).read_all(15)

    anyio.run(go)


def test_disconnect_mid_body_is_reported() -> None:
    async def go() -> None:
        with pytest.raises(ClientDisconnected):
            await Body(receiver([b"abc"], disconnect=True)).read_all(100)

    anyio.run(go)
