"""botocore as the oracle for the codec.

A real botocore client sends each request; a ``before-send`` hook hands the prepared HTTP request to the codec
(find_operation + parse), records what botocore's serializer was given and what the codec parsed back, then
serializes the canned result (or error) with the codec and returns it to the client, whose own response parser
and error handling turn it back into a dict or raise the modeled exception.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import botocore.session
from botocore import xform_name
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config
from urllib3 import HTTPHeaderDict

from hutch.errors import ServiceError
from hutch.wire.codec import codec_for
from hutch.wire.http import Body, Headers, HttpRequest, HttpResponse
from hutch.wire.restxml_protocol import host_id_for

ENDPOINT = "http://hutch.test:4577"
REQUEST_ID = "9f1c2d3e-0000-4000-8000-00000000cafe"

# Members a codec finds on the wire that botocore's serializer was not given: added later by botocore's
# checksum and HTTP layers (and real for the server).
WIRE_ADDED = frozenset({"ContentLength", "ChecksumAlgorithm", "ChecksumCRC32", "ContentMD5"})


class _Raw:
    """The urllib3 response stand-in botocore reads bodies from."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def stream(self, amt: int = 1024, **_: Any) -> Iterator[bytes]:
        while chunk := self._data.read(amt):
            yield chunk

    def read(self, amt: int | None = None, **_: Any) -> bytes:
        return self._data.read(amt)


async def _drain(source: AsyncIterator[bytes]) -> bytes:
    out = bytearray()
    async for chunk in source:
        out += chunk
    return bytes(out)


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _plain(value: Any) -> Any:
    """A file-like body botocore wrapped the caller's bytes in, read without disturbing it."""
    if hasattr(value, "read") and hasattr(value, "seek"):
        position = value.tell()
        data = value.read()
        value.seek(position)
        return data
    return value


def body_bytes(body: bytes | AsyncIterator[bytes]) -> bytes:
    if isinstance(body, bytes):
        return body
    return asyncio.run(_drain(body))


def to_http_request(prepared: AWSPreparedRequest) -> tuple[HttpRequest, bytes]:
    url = urlsplit(prepared.url)
    headers = Headers(
        (k, v.decode("latin-1") if isinstance(v, bytes) else str(v)) for k, v in prepared.headers.items()
    )
    raw_body = prepared.body
    if raw_body is None:
        data = b""
    elif isinstance(raw_body, bytes):
        data = raw_body
    elif isinstance(raw_body, str):
        data = raw_body.encode("utf-8")
    else:
        data = raw_body.read()
    request = HttpRequest(
        method=prepared.method,
        raw_path=url.path,
        query_string=url.query,
        headers=headers,
        body=Body.of(data),
    )
    return request, data


@dataclass
class Exchange:
    operation: str
    sent: dict[str, Any]  # what botocore's serializer was given
    parsed: dict[str, Any]  # what the codec parsed from the wire (streams drained to bytes)
    request: HttpRequest
    body: bytes
    response: HttpResponse
    response_body: bytes


@dataclass
class Oracle:
    service: str
    client: Any = field(init=False)
    exchanges: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        session = botocore.session.Session()
        self.client = session.create_client(
            self.service,
            region_name="us-east-1",
            endpoint_url=ENDPOINT,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}),
        )
        self.codec = codec_for(self.service)
        self._reply: dict[str, Any] | ServiceError = {}
        self._sent: dict[str, Any] = {}
        serializer = self.client._serializer
        original = serializer.serialize_to_request

        def spy(parameters: dict[str, Any], operation_model: Any) -> Any:
            self._sent = {k: _plain(v) for k, v in parameters.items()}
            return original(parameters, operation_model)

        serializer.serialize_to_request = spy
        self.client.meta.events.register("before-send", self._on_send)

    def call(
        self, operation: str, params: dict[str, Any], reply: dict[str, Any] | ServiceError | None = None
    ) -> dict[str, Any]:
        """Call ``operation`` through botocore; the codec answers with ``reply`` (a result dict or an error)."""
        self._reply = {} if reply is None else reply
        response: dict[str, Any] = getattr(self.client, xform_name(operation))(**params)
        return response

    @property
    def last(self) -> Exchange:
        return self.exchanges[-1]

    def _on_send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        http_request, data = to_http_request(request)
        codec = self.codec
        protocol = codec.service_model.protocol
        op = codec.find_operation(http_request, None if protocol == "rest-xml" else data)
        if codec.has_streaming_input(op):
            parsed = codec.parse(op, http_request, None, _once(data))
            parsed = {k: body_bytes(v) if hasattr(v, "__aiter__") else v for k, v in parsed.items()}
        else:
            parsed = codec.parse(op, http_request, data)
        if isinstance(self._reply, ServiceError):
            response = codec.serialize_error(self._reply, REQUEST_ID, op)
        else:
            response = codec.serialize(op, self._reply, REQUEST_ID)
        payload = body_bytes(response.body)
        self.exchanges.append(Exchange(op.name, self._sent, parsed, http_request, data, response, payload))
        headers = HTTPHeaderDict()
        for key, value in response.headers:
            headers.add(key, value)
        if protocol == "rest-xml":
            headers["x-amz-request-id"] = REQUEST_ID
            headers["x-amz-id-2"] = host_id_for(REQUEST_ID)
        else:
            headers["x-amzn-RequestId"] = REQUEST_ID
        return AWSResponse(request.url, response.status, headers, _Raw(payload))


def without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def assert_parsed_as_sent(exchange: Exchange, *, allowed_extra: frozenset[str] = WIRE_ADDED) -> None:
    """The codec parsed exactly what botocore serialized (plus members botocore's HTTP layer adds)."""
    extra = set(exchange.parsed) - set(exchange.sent)
    assert extra <= allowed_extra, f"unexpected members parsed: {extra}"
    common = {k: exchange.parsed[k] for k in exchange.sent}
    assert common == exchange.sent
