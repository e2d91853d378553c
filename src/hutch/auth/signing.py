"""The arithmetic of AWS Signature Version 4: canonical request, string to sign, signing key, signature.

Pure functions over a request as received, shared by header and query-string verification (hutch.auth.sigv4)
and by aws-chunked chunk signatures (hutch.auth.chunked). The canonicalisation follows AWS's rules as
botocore and awscrt apply them: S3 signs its path as sent, other services normalise it and encode it twice;
query parameters are decoded, re-encoded with RFC 3986 unreserved characters kept, and sorted.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, unquote_to_bytes

from hutch.wire.http import HttpRequest

ALGORITHM = "AWS4-HMAC-SHA256"
TERMINATOR = "aws4_request"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_UNRESERVED = "-_.~"  # RFC 3986 unreserved characters besides letters and digits
_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def is_hex_sha256(value: str) -> bool:
    """Whether an x-amz-content-sha256 value is a payload hash (not UNSIGNED-PAYLOAD, STREAMING-...)."""
    return _HEX_SHA256.fullmatch(value) is not None


@dataclass(frozen=True)
class CredentialScope:
    date: str  # YYYYMMDD
    region: str
    service: str

    def __str__(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/{TERMINATOR}"


def query_pairs(query_string: str) -> list[tuple[str, str]]:
    """Raw ``key=value`` pieces of a query string, still percent-encoded, in order; empty pieces dropped."""
    pairs: list[tuple[str, str]] = []
    for piece in query_string.split("&"):
        if piece:
            key, _, value = piece.partition("=")
            pairs.append((key, value))
    return pairs


def query_params(query_string: str) -> dict[str, str]:
    """Decoded parameters, first occurrence wins. '+' stays '+': SigV4 clients encode spaces as %20."""
    params: dict[str, str] = {}
    for key, value in query_pairs(query_string):
        params.setdefault(unquote(key), unquote(value))
    return params


def _encode(raw: str) -> str:
    """Percent-decode then re-encode per SigV4 (RFC 3986 unreserved kept, everything else %XX upper-case)."""
    return quote(unquote_to_bytes(raw), safe=_UNRESERVED)


def canonical_query(query_string: str, *, exclude_signature: bool) -> str:
    pairs = []
    for key, value in query_pairs(query_string):
        if exclude_signature and unquote(key) == "X-Amz-Signature":
            continue
        pairs.append((_encode(key), _encode(value)))
    pairs.sort()
    return "&".join(f"{k}={v}" for k, v in pairs)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 plus the collapse of empty segments AWS applies to every service but S3."""
    kept: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if kept:
                kept.pop()
            continue
        kept.append(segment)
    if not kept:
        return "/"
    trailing = "/" if path.endswith("/") else ""
    return "/" + "/".join(kept) + trailing


def canonical_uri(raw_path: str, service: str) -> str:
    """S3 signs the path exactly as sent; the other services normalise it and encode it a second time."""
    path = raw_path or "/"
    if service == "s3":
        return path
    return quote(_remove_dot_segments(path), safe="/~")


def _header_value(values: list[str]) -> str:
    # Trimall: strip, and turn every run of whitespace inside into one space; repeated headers join with ','.
    return ",".join(" ".join(value.split()) for value in values)


def canonical_request(
    request: HttpRequest, *, service: str, signed_headers: tuple[str, ...], presigned: bool, payload_hash: str
) -> str:
    """The request as SigV4 hashes it; presigned requests leave X-Amz-Signature out of the query."""
    lines = [
        request.method.upper(),
        canonical_uri(request.raw_path, service),
        canonical_query(request.query_string, exclude_signature=presigned),
    ]
    lines.extend(f"{name}:{_header_value(request.headers.get_all(name))}" for name in signed_headers)
    lines.append("")
    lines.append(";".join(signed_headers))
    lines.append(payload_hash)
    return "\n".join(lines)


def string_to_sign(timestamp: str, scope: CredentialScope, canonical: str) -> str:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{timestamp}\n{scope}\n{digest}"


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret_key: str, scope: CredentialScope) -> bytes:
    key = _hmac(f"AWS4{secret_key}".encode(), scope.date)
    key = _hmac(key, scope.region)
    key = _hmac(key, scope.service)
    return _hmac(key, TERMINATOR)


def sign(key: bytes, string: str) -> str:
    return hmac.new(key, string.encode("utf-8"), hashlib.sha256).hexdigest()


def signatures_match(expected: str, provided: str) -> bool:
    return hmac.compare_digest(expected.encode("ascii"), provided.encode("ascii", "replace"))
