"""Requests prepared ahead of time, and a minimal keep-alive HTTP/1.1 client for the load generators.

A load generator must not be the bottleneck, so each request is serialized (and, for AWS, signed) before the
clock starts; during a run the client only writes bytes and reads the response. ``Prepared`` is what both
generators take: wrk sends its ``raw`` bytes from Lua, the Python generator writes them to a socket.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"


@dataclass(frozen=True)
class Prepared:
    """One complete HTTP/1.1 request: request line, headers and body, ready to write."""

    method: str
    path: str  # as sent: percent-encoded path and query
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""

    @property
    def raw(self) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


def _host(endpoint: str) -> str:
    return urlsplit(endpoint).netloc


def plain(endpoint: str, method: str, path: str, body: bytes = b"", **headers: str) -> Prepared:
    """An unauthenticated request (nginx; moto, which ignores signatures)."""
    hdrs = [("Host", _host(endpoint)), ("Content-Length", str(len(body)))]
    hdrs += [(k.replace("_", "-"), v) for k, v in headers.items()]
    return Prepared(method, path, tuple(hdrs), body)


def json_call(endpoint: str, target: str, params: dict[str, Any]) -> Prepared:
    """An unsigned AWS JSON 1.1 call, as the SDKs send InitiateAuth, GetId and GetCredentialsForIdentity."""
    body = json.dumps(params, separators=(",", ":")).encode()
    return Prepared(
        "POST",
        "/",
        (
            ("Host", _host(endpoint)),
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", target),
            ("Content-Length", str(len(body))),
        ),
        body,
    )


def signed_s3(endpoint: str, credentials: Credentials, method: str, path: str, body: bytes = b"") -> Prepared:
    """An S3 request signed with SigV4 in the Authorization header, payload hash included (as botocore
    signs over http). ``path`` is path-style and already percent-encoded (bucket/key[?query])."""
    request = AWSRequest(method=method, url=endpoint + path, data=body)
    request.headers["Content-Length"] = str(len(body))
    request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    S3SigV4Auth(credentials, "s3", REGION).add_auth(request)
    return _from_aws(endpoint, request, path, body)


def signed_service(
    endpoint: str, credentials: Credentials, service: str, method: str, path: str, body: bytes, **headers: str
) -> Prepared:
    """A request to another service signed with SigV4 (query or JSON protocol)."""
    request = AWSRequest(method=method, url=endpoint + path, data=body)
    for k, v in headers.items():
        request.headers[k.replace("_", "-")] = v
    request.headers["Content-Length"] = str(len(body))
    SigV4Auth(credentials, service, REGION).add_auth(request)
    return _from_aws(endpoint, request, path, body)


def _from_aws(endpoint: str, request: AWSRequest, path: str, body: bytes) -> Prepared:
    hdrs = [("Host", _host(endpoint))]
    hdrs += [(k, str(v)) for k, v in request.headers.items() if k.lower() != "host"]
    return Prepared(request.method, path, tuple(hdrs), body)


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


class ProtocolError(Exception):
    pass


class Connection:
    """One keep-alive connection (asyncio streams); reconnects when the server closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    @classmethod
    def to(cls, endpoint: str) -> Connection:
        parts = urlsplit(endpoint)
        return cls(parts.hostname or "127.0.0.1", parts.port or 80)

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        return self._reader, self._writer

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    async def send(self, raw: bytes) -> Response:
        reader, writer = await self._open()
        writer.write(raw)
        try:
            response, keep = await _read_response(reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            # A keep-alive connection the server had closed: retry once on a new one.
            await self.close()
            reader, writer = await self._open()
            writer.write(raw)
            response, keep = await _read_response(reader)
        if not keep:
            await self.close()
        return response


async def _read_response(reader: asyncio.StreamReader) -> tuple[Response, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ProtocolError(f"bad status line {lines[0]!r}")
    headers = {}
    for line in lines[1:]:
        if line:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
    keep = headers.get("connection", "").lower() != "close" and parts[0] != "HTTP/1.0"
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    elif int(parts[1]) in (204, 304) or 100 <= int(parts[1]) < 200:
        body = b""
    else:
        body = await reader.read()
        keep = False
    return Response(int(parts[1]), headers, body), keep


def send_once(endpoint: str, prepared: Prepared) -> Response:
    """Send one prepared request on a fresh connection (checks before a run)."""

    async def go() -> Response:
        conn = Connection.to(endpoint)
        try:
            return await conn.send(prepared.raw)
        finally:
            await conn.close()

    return asyncio.run(go())
