"""HTTP request/response values shared by the edge, the codec and SigV4.

A request is immutable apart from its body stream, which can be read once. The raw path and raw query
string are kept exactly as received because SigV4 signs them as sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl, unquote

from hutch.errors import ServiceError


class Headers:
    """Case-insensitive, multi-valued request or response headers (names kept lower-case)."""

    __slots__ = ("_items", "_map")

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items: list[tuple[str, str]] = [(k.lower(), v) for k, v in items]
        self._map: dict[str, list[str]] = {}
        for k, v in self._items:
            self._map.setdefault(k, []).append(v)

    @classmethod
    def from_asgi(cls, raw: Iterable[tuple[bytes, bytes]]) -> Headers:
        # latin-1 is what HTTP/1.1 headers are on the wire; it never fails to decode.
        return cls((k.decode("latin-1"), v.decode("latin-1")) for k, v in raw)

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self._map.get(name.lower())
        if not values:
            return default
        return values[0] if len(values) == 1 else ",".join(values)

    def get_all(self, name: str) -> list[str]:
        return list(self._map.get(name.lower(), ()))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._map

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def keys(self) -> list[str]:
        return list(self._map)

    def __iter__(self) -> Iterator[str]:
        return iter(self._map)

    def __len__(self) -> int:
        return len(self._map)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


Receive = Callable[[], Awaitable[dict[str, Any]]]


class BodyTooLarge(ServiceError):
    def __init__(self, limit: int) -> None:
        super().__init__("RequestEntityTooLarge", f"Request body exceeds the {limit} byte limit.", 413)


class Body:
    """The request body as an async byte stream, readable once.

    ``read_all`` collects a bounded body (every operation whose input is not a streaming blob);
    iteration yields chunks as they arrive (S3 object uploads), so memory stays flat.
    """

    def __init__(self, receive: Receive | None = None, initial: bytes = b"") -> None:
        self._receive = receive
        self._buffer = initial
        self._done = receive is None
        self._consumed = False

    @classmethod
    def of(cls, data: bytes) -> Body:
        return cls(None, data)

    @property
    def started(self) -> bool:
        """Whether anyone has asked for the body (which is what makes the server send 100 Continue)."""
        return self._consumed

    @property
    def finished(self) -> bool:
        """Whether the whole body has been received from the client."""
        return self._done and not self._buffer

    async def _next_chunk(self) -> bytes | None:
        if self._buffer:
            chunk, self._buffer = self._buffer, b""
            return chunk
        while not self._done:
            assert self._receive is not None
            message = await self._receive()
            kind = message.get("type")
            if kind == "http.disconnect":
                self._done = True
                raise ClientDisconnected()
            chunk = message.get("body", b"")
            if not message.get("more_body", False):
                self._done = True
            if chunk:
                return bytes(chunk)
        return None

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[bytes]:
        self._consumed = True
        while True:
            chunk = await self._next_chunk()
            if chunk is None:
                return
            yield chunk

    async def read(self, n: int) -> bytes:
        """Up to n bytes; b"" at the end of the body."""
        self._consumed = True
        out = bytearray()
        while len(out) < n:
            chunk = await self._next_chunk()
            if chunk is None:
                break
            need = n - len(out)
            if len(chunk) > need:
                out += chunk[:need]
                self._buffer = chunk[need:] + self._buffer
            else:
                out += chunk
        return bytes(out)

    async def read_all(self, limit: int) -> bytes:
        self._consumed = True
        out = bytearray()
        while True:
            chunk = await self._next_chunk()
            if chunk is None:
                return bytes(out)
            out += chunk
            if len(out) > limit:
                raise BodyTooLarge(limit)

    async def drain(self) -> None:
        """Discard what is left, so the connection can be reused after an early error."""
        while await self._next_chunk() is not None:
            pass


class ClientDisconnected(Exception):
    """The client went away while we were reading its body."""


@dataclass(frozen=True)
class HttpRequest:
    method: str
    raw_path: str  # percent-encoded, exactly as received, without the query
    query_string: str  # raw, exactly as received
    headers: Headers
    body: Body = field(compare=False)
    client_ip: str = "127.0.0.1"
    scheme: str = "http"

    @cached_property
    def path(self) -> str:
        return unquote(self.raw_path)

    @cached_property
    def query(self) -> list[tuple[str, str]]:
        """Decoded query parameters in order; bare keys (``?uploads``) have the value ""."""
        return parse_qsl(self.query_string, keep_blank_values=True)

    @cached_property
    def query_dict(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for k, v in self.query:
            out.setdefault(k, v)
        return out

    @cached_property
    def host(self) -> str:
        return self.headers.get("host", "") or ""


ResponseBody = bytes | AsyncIterator[bytes]


@dataclass
class HttpResponse:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: ResponseBody = b""
    # Called once the body has been sent (or the send failed): releases files held by streamed bodies.
    on_close: Callable[[], None] | None = None

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return None

    def set_header(self, name: str, value: str) -> None:
        lname = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k.lower() != lname]
        self.headers.append((name, value))
