"""What a request body declares about itself: its length and the flexible checksum it carries."""

from __future__ import annotations

from typing import Any

from hutch.auth.checksums import (
    ChecksumAlgorithm,
    VerifiedChecksum,
    algorithm_from_header_name,
    declared_trailers,
)
from hutch.errors import ServiceError
from hutch.operations import Call
from hutch.services.s3.integrity import DEFAULT_ALGORITHM
from hutch.services.s3.model import StoredChecksum
from hutch.wire.http import Headers


def declared_algorithm(headers: Headers) -> ChecksumAlgorithm | None:
    """The flexible checksum the request body carries (header or trailer); the pipeline verifies it."""
    for name in headers:
        algorithm = algorithm_from_header_name(name)
        if algorithm is not None:
            return algorithm
    for name in declared_trailers(headers):
        algorithm = algorithm_from_header_name(name)
        if algorithm is not None:
            return algorithm
    return None


def verified_checksum(body: object) -> VerifiedChecksum | None:
    found = getattr(body, "checksum", None)
    return found if isinstance(found, VerifiedChecksum) else None


def stored_checksum(verified: VerifiedChecksum | None, computed: str | None) -> StoredChecksum | None:
    if verified is not None:
        return StoredChecksum(verified.algorithm.value, verified.value)
    if computed is not None:
        return StoredChecksum(DEFAULT_ALGORITHM.value, computed)
    return None


def declared_length(call: Call, params: dict[str, Any]) -> int:
    """The body's length: Content-Length, or for an aws-chunked body sent with Transfer-Encoding: chunked
    (boto3 over HTTPS) the x-amz-decoded-content-length it declares."""
    length = params.get("ContentLength")
    if length is None:
        decoded = (call.http.headers.get("x-amz-decoded-content-length") or "").strip()
        if decoded.isdigit():
            return int(decoded)
        raise ServiceError("MissingContentLength", "You must provide the Content-Length HTTP header.", 411)
    return int(length)
