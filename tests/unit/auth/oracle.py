"""botocore as the oracle: requests signed by botocore's own signers or captured from real boto3 clients.

Every request the verifier sees in these tests was signed by botocore (or by AWS, in its published
examples), then turned into the HttpRequest hutch's edge would build from the wire: the raw path and query
exactly as sent, header values as latin-1 text, the body as bytes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import boto3
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from hutch.auth.signing import EMPTY_SHA256
from hutch.auth.sigv4 import AuthParams, SigV4Auth, parse_auth, verify
from hutch.wire.http import Body, Headers, HttpRequest

# Test-only credentials: not secrets, never valid anywhere.
ACCESS_KEY = "AKIAHUTCHTESTKEY0001"
SECRET_KEY = "hutch/test+secret/key/not/a/real/one/0001"
REGION = "us-east-1"
SIGNED_AT = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)
HTTP_ENDPOINT = "http://127.0.0.1:4577"
HTTPS_ENDPOINT = "https://127.0.0.1:4577"


@contextmanager
def frozen_clock(moment: datetime = SIGNED_AT) -> Iterator[None]:
    """Make botocore sign at ``moment``.

    Both of botocore's signers read the clock through get_current_datetime: the pure-Python one
    (botocore.auth, used by ``sign_with``) and the awscrt one (botocore.crt.auth) that real clients pick
    when awscrt is installed, as it is here, so the tests have two independent signers as oracles.
    """
    aware = moment.astimezone(UTC)

    def now(remove_tzinfo: bool = True) -> datetime:
        return aware.replace(tzinfo=None) if remove_tzinfo else aware

    with (
        mock.patch("botocore.auth.get_current_datetime", now),
        mock.patch("botocore.crt.auth.get_current_datetime", now),
    ):
        yield


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def wire_request(
    method: str, url: str, headers: Mapping[str, str | bytes] | Any = (), body: bytes = b""
) -> HttpRequest:
    """What hutch's edge sees when a client sends this request: the Host header is the URL's netloc."""
    parts = urlsplit(url)
    items = [(name, _text(value)) for name, value in dict(headers).items()]
    if not any(name.lower() == "host" for name, _ in items):
        items.append(("Host", parts.netloc))
    return HttpRequest(
        method=method,
        raw_path=parts.path,
        query_string=parts.query,
        headers=Headers(items),
        body=Body.of(body),
        scheme=parts.scheme,
    )


def with_headers(request: HttpRequest, **changes: str | None) -> HttpRequest:
    """A copy with headers replaced (None removes); names use '_' for '-'."""
    names = {name.replace("_", "-").lower(): value for name, value in changes.items()}
    items = [(k, v) for k, v in request.headers.items() if k not in names]
    items += [(k, v) for k, v in names.items() if v is not None]
    return HttpRequest(request.method, request.raw_path, request.query_string, Headers(items), Body.of(b""))


def with_query(request: HttpRequest, query_string: str) -> HttpRequest:
    return HttpRequest(request.method, request.raw_path, query_string, request.headers, Body.of(b""))


def with_path(request: HttpRequest, raw_path: str) -> HttpRequest:
    return HttpRequest(request.method, raw_path, request.query_string, request.headers, Body.of(b""))


@dataclass
class Signed:
    """A request as sent on the wire plus its body bytes (the HttpRequest's Body can be read only once)."""

    request: HttpRequest
    body: bytes

    @property
    def params(self) -> AuthParams:
        params = parse_auth(self.request)
        assert params is not None
        return params

    def verify(
        self, *, secret: str = SECRET_KEY, now: datetime = SIGNED_AT, body: bytes | None = None
    ) -> SigV4Auth:
        return verify(self.request, self.params, secret, now=now, body=self.body if body is None else body)


def sign_with(
    signer: Callable[[Credentials], Any],
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    token: str | None = None,
    at: datetime = SIGNED_AT,
) -> Signed:
    """Sign a request with a botocore signer built by ``signer(credentials)``."""
    request = AWSRequest(method=method, url=url, headers=dict(headers or {}), data=body)
    with frozen_clock(at):
        signer(Credentials(ACCESS_KEY, SECRET_KEY, token)).add_auth(request)
    return Signed(wire_request(request.method, request.url, request.headers, body), body)


class _Captured(Exception):
    pass


def capture(
    service: str,
    operation: str,
    params: Mapping[str, Any] | None = None,
    *,
    endpoint: str = HTTP_ENDPOINT,
    token: str | None = None,
    config: Config | None = None,
    at: datetime = SIGNED_AT,
) -> Signed:
    """The request a real boto3 client sends for ``operation``, taken at botocore's before-send hook."""
    session = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=token,
        region_name=REGION,
    )
    s3 = {"addressing_style": "path", **((config.s3 or {}) if config else {})}
    config = (config or Config()).merge(Config(retries={"max_attempts": 1}, s3=s3))
    client = session.client(service, endpoint_url=endpoint, config=config)
    sent: list[Signed] = []

    def before_send(request: Any, **_: Any) -> None:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        body = body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        sent.append(Signed(wire_request(request.method, request.url, request.headers, body), body))
        raise _Captured

    client.meta.events.register("before-send", before_send)
    with frozen_clock(at), suppress(_Captured):
        getattr(client, operation)(**(params or {}))
    assert len(sent) == 1
    return sent[0]


def presign(
    service: str,
    operation: str,
    params: Mapping[str, Any],
    *,
    expires: int = 3600,
    http_method: str | None = None,
    endpoint: str = HTTP_ENDPOINT,
    token: str | None = None,
    at: datetime = SIGNED_AT,
) -> str:
    """A presigned URL from a real boto3 client (SigV4: boto3 presigns S3 with SigV2 unless told otherwise)."""
    session = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=token,
        region_name=REGION,
    )
    config = Config(signature_version="s3v4", s3={"addressing_style": "path"}) if service == "s3" else None
    client = session.client(service, endpoint_url=endpoint, config=config)
    with frozen_clock(at):
        url: str = client.generate_presigned_url(
            operation, Params=dict(params), ExpiresIn=expires, HttpMethod=http_method
        )
    return url


def presigned_request(url: str, method: str = "GET", headers: Mapping[str, str] | None = None) -> Signed:
    """A presigned URL as curl would send it."""
    return Signed(wire_request(method, url, headers or {}), b"")


class StreamingS3Signer(S3SigV4Auth):
    """botocore's S3 signer with x-amz-content-sha256 set to a STREAMING-* value it never picks itself.

    botocore signs the seed request (canonical headers, scope, key); the chunks are signed by
    ``signed_chunks`` below, per AWS's spec, and pinned by AWS's published example.
    """

    def __init__(self, credentials: Credentials, content_sha256: str) -> None:
        super().__init__(credentials, "s3", REGION)
        self._content_sha256 = content_sha256

    def payload(self, request: Any) -> str:
        return self._content_sha256


# --- chunk signing, per "Transferring Payload in Multiple Chunks", for building test bodies ------------


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def derive_key(secret: str, date: str, region: str = REGION, service: str = "s3") -> bytes:
    key = _hmac(f"AWS4{secret}".encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return key


def chunk_signature(key: bytes, timestamp: str, scope: str, previous: str, data: bytes) -> str:
    string = "\n".join(
        [
            "AWS4-HMAC-SHA256-PAYLOAD",
            timestamp,
            scope,
            previous,
            EMPTY_SHA256,
            hashlib.sha256(data).hexdigest(),
        ]
    )
    return hmac.new(key, string.encode(), hashlib.sha256).hexdigest()


def trailer_signature(
    key: bytes, timestamp: str, scope: str, previous: str, trailers: list[tuple[str, str]]
) -> str:
    canonical = "".join(f"{name}:{value}\n" for name, value in trailers)
    string = "\n".join(
        [
            "AWS4-HMAC-SHA256-TRAILER",
            timestamp,
            scope,
            previous,
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    return hmac.new(key, string.encode(), hashlib.sha256).hexdigest()


def signed_chunks(
    payload: bytes,
    *,
    seed: str,
    timestamp: str,
    chunk_size: int = 65536,
    secret: str = SECRET_KEY,
    trailers: list[tuple[str, str]] | None = None,
) -> bytes:
    """An aws-chunked body with every chunk signed, chained from ``seed``; trailers signed if given."""
    key = derive_key(secret, timestamp[:8])
    scope = f"{timestamp[:8]}/{REGION}/s3/aws4_request"
    out = bytearray()
    previous = seed
    pieces = [payload[i : i + chunk_size] for i in range(0, len(payload), chunk_size)] + [b""]
    for piece in pieces:
        previous = chunk_signature(key, timestamp, scope, previous, piece)
        out += f"{len(piece):x};chunk-signature={previous}\r\n".encode() + piece
        if piece or trailers is None:
            out += b"\r\n"
    if trailers is not None:
        for name, value in trailers:
            out += f"{name}:{value}\r\n".encode()
        signature = trailer_signature(key, timestamp, scope, previous, trailers)
        out += f"x-amz-trailer-signature:{signature}\r\n\r\n".encode()
    return bytes(out)


def seed_signature(request: HttpRequest) -> str:
    authorization = request.headers["authorization"]
    return authorization.rsplit("Signature=", 1)[1].strip()
