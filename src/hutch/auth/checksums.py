"""Flexible checksums (x-amz-checksum-*), Content-MD5 and x-amz-trailer, computed as the body streams.

The algorithms are S3's ChecksumAlgorithm set. The CRCs and xxhashes come from awscrt, the library botocore
itself uses for them, so hutch and the SDKs cannot disagree on a polynomial or a byte order; the rest is
hashlib. Every value on the wire is the base64 of the big-endian digest.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from awscrt import checksums as crt

from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.wire.http import Headers

CHECKSUM_HEADER_PREFIX = "x-amz-checksum-"


class _Digest(Protocol):
    def update(self, data: bytes) -> None: ...
    def digest(self) -> bytes: ...


class _Crc:
    """An incremental CRC kept as an int, as zlib and awscrt both take and return."""

    def __init__(self, step: Callable[[bytes, int], int], width: int) -> None:
        self._step = step
        self._width = width
        self._value = 0

    def update(self, data: bytes) -> None:
        self._value = self._step(data, self._value)

    def digest(self) -> bytes:
        return (self._value & ((1 << (8 * self._width)) - 1)).to_bytes(self._width, "big")


class _XxHash:
    """awscrt's xxhash finalizes once; the digest is kept so asking twice is harmless."""

    def __init__(self, factory: Callable[[], object]) -> None:
        self._state: object = factory()
        self._digest: bytes | None = None

    def update(self, data: bytes) -> None:
        if self._digest is not None:
            raise ValueError("checksum already finalized")
        self._state.update(data)  # type: ignore[attr-defined]

    def digest(self) -> bytes:
        if self._digest is None:
            self._digest = bytes(self._state.finalize())  # type: ignore[attr-defined]
        return self._digest


def _crc32(data: bytes, value: int) -> int:
    return zlib.crc32(data, value)


def _crc32c(data: bytes, value: int) -> int:
    return int(crt.crc32c(data, value))


def _crc64nvme(data: bytes, value: int) -> int:
    return int(crt.crc64nvme(data, value))


class ChecksumAlgorithm(Enum):
    CRC32 = "CRC32"
    CRC32C = "CRC32C"
    CRC64NVME = "CRC64NVME"
    SHA1 = "SHA1"
    SHA256 = "SHA256"
    SHA512 = "SHA512"
    MD5 = "MD5"
    XXHASH64 = "XXHASH64"
    XXHASH3 = "XXHASH3"
    XXHASH128 = "XXHASH128"

    @property
    def header_name(self) -> str:
        return CHECKSUM_HEADER_PREFIX + self.value.lower()

    @property
    def digest_size(self) -> int:
        return _DIGEST_SIZES[self]

    def new(self) -> Checksum:
        return Checksum(self)

    @classmethod
    def from_name(cls, name: str) -> ChecksumAlgorithm | None:
        """``crc32`` / ``CRC32`` (x-amz-sdk-checksum-algorithm values) → the algorithm; unknown → None."""
        try:
            return cls(name.strip().upper())
        except ValueError:
            return None


_DIGEST_SIZES = {
    ChecksumAlgorithm.CRC32: 4,
    ChecksumAlgorithm.CRC32C: 4,
    ChecksumAlgorithm.CRC64NVME: 8,
    ChecksumAlgorithm.SHA1: 20,
    ChecksumAlgorithm.SHA256: 32,
    ChecksumAlgorithm.SHA512: 64,
    ChecksumAlgorithm.MD5: 16,
    ChecksumAlgorithm.XXHASH64: 8,
    ChecksumAlgorithm.XXHASH3: 8,
    ChecksumAlgorithm.XXHASH128: 16,
}


def _new_digest(algorithm: ChecksumAlgorithm) -> _Digest:
    match algorithm:
        case ChecksumAlgorithm.CRC32:
            return _Crc(_crc32, 4)
        case ChecksumAlgorithm.CRC32C:
            return _Crc(_crc32c, 4)
        case ChecksumAlgorithm.CRC64NVME:
            return _Crc(_crc64nvme, 8)
        case ChecksumAlgorithm.SHA1:
            return hashlib.sha1(usedforsecurity=False)
        case ChecksumAlgorithm.SHA256:
            return hashlib.sha256()
        case ChecksumAlgorithm.SHA512:
            return hashlib.sha512()
        case ChecksumAlgorithm.MD5:
            return hashlib.md5(usedforsecurity=False)
        case ChecksumAlgorithm.XXHASH64:
            return _XxHash(crt.XXHash.new_xxhash64)
        case ChecksumAlgorithm.XXHASH3:
            return _XxHash(crt.XXHash.new_xxhash3_64)
        case ChecksumAlgorithm.XXHASH128:
            return _XxHash(crt.XXHash.new_xxhash3_128)


class Checksum:
    """One algorithm running over a body: ``update`` as bytes arrive, then ``digest_b64``."""

    def __init__(self, algorithm: ChecksumAlgorithm) -> None:
        self.algorithm = algorithm
        self._digest = _new_digest(algorithm)

    def update(self, data: bytes) -> None:
        self._digest.update(data)

    def digest(self) -> bytes:
        return self._digest.digest()

    def digest_b64(self) -> str:
        return base64.b64encode(self.digest()).decode("ascii")


def algorithm_from_header_name(name: str) -> ChecksumAlgorithm | None:
    """``x-amz-checksum-crc32`` → CRC32; anything else (including x-amz-checksum-mode/-type) → None."""
    lname = name.strip().lower()
    if not lname.startswith(CHECKSUM_HEADER_PREFIX):
        return None
    return ChecksumAlgorithm.from_name(lname[len(CHECKSUM_HEADER_PREFIX) :])


def from_header_name(name: str) -> Checksum | None:
    algorithm = algorithm_from_header_name(name)
    return algorithm.new() if algorithm else None


@dataclass(frozen=True)
class VerifiedChecksum:
    """The checksum a client sent and hutch recomputed: S3 stores it and returns it (x-amz-checksum-*)."""

    algorithm: ChecksumAlgorithm
    value: str  # base64, as on the wire

    @property
    def header_name(self) -> str:
        return self.algorithm.header_name


def decode_checksum_value(algorithm: ChecksumAlgorithm, value: str) -> bytes | None:
    """The digest a base64 value stands for, or None if it is not base64 of the algorithm's size."""
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == algorithm.digest_size else None


def declared_trailers(headers: Headers) -> tuple[str, ...]:
    """The trailing header names x-amz-trailer announces (lower-case), checked to be checksums S3 accepts."""
    names: list[str] = []
    for raw in headers.get_all("x-amz-trailer"):
        for part in raw.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if algorithm_from_header_name(name) is None:
                raise AuthFailure(
                    AuthFailureKind.CHECKSUM_INVALID,
                    "The value specified in the x-amz-trailer header is not supported",
                )
            if name in names:
                raise AuthFailure(
                    AuthFailureKind.CHECKSUM_INVALID, f"x-amz-trailer names {name} more than once."
                )
            names.append(name)
    if len(names) > 1:
        raise AuthFailure(
            AuthFailureKind.CHECKSUM_INVALID,
            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
        )
    return tuple(names)


def _mismatch(algorithm: ChecksumAlgorithm) -> AuthFailure:
    return AuthFailure(
        AuthFailureKind.CHECKSUM_MISMATCH,
        f"The {algorithm.value} you specified did not match the calculated checksum.",
    )


class BodyChecksums:
    """Everything a request claims about its body's integrity, checked while the body streams through.

    Claims come from an ``x-amz-checksum-<alg>`` header, a ``Content-MD5`` header, or a checksum trailer
    announced by ``x-amz-trailer`` whose value only arrives after the body (aws-chunked). ``finish`` compares
    them all and returns the flexible checksum that was verified, if any.
    """

    def __init__(
        self,
        header: tuple[ChecksumAlgorithm, bytes] | None,
        trailer: ChecksumAlgorithm | None,
        content_md5: bytes | None,
    ) -> None:
        self._header = header
        self._trailer = trailer
        self._content_md5 = content_md5
        self._running: dict[ChecksumAlgorithm, Checksum] = {}
        for algorithm in (header[0] if header else None, trailer):
            if algorithm is not None:
                self._running[algorithm] = algorithm.new()
        self._md5 = hashlib.md5(usedforsecurity=False) if content_md5 is not None else None

    @classmethod
    def from_headers(cls, headers: Headers, *, trailers: tuple[str, ...] = ()) -> BodyChecksums:
        """Validate the claims' syntax now, so a bad header fails before any byte of the body is read."""
        found: list[tuple[ChecksumAlgorithm, str]] = []
        for name in headers:
            algorithm = algorithm_from_header_name(name)
            if algorithm is not None:
                found.append((algorithm, headers.get(name) or ""))
        if len(found) > 1:
            raise AuthFailure(
                AuthFailureKind.CHECKSUM_INVALID,
                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
            )
        header: tuple[ChecksumAlgorithm, bytes] | None = None
        if found:
            algorithm, value = found[0]
            digest = decode_checksum_value(algorithm, value)
            if digest is None:
                raise AuthFailure(
                    AuthFailureKind.CHECKSUM_INVALID, f"Value for {algorithm.header_name} header is invalid."
                )
            header = (algorithm, digest)
        trailer = algorithm_from_header_name(trailers[0]) if trailers else None
        if header is not None and trailer is not None:
            raise AuthFailure(
                AuthFailureKind.CHECKSUM_INVALID,
                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
            )
        sdk_name = headers.get("x-amz-sdk-checksum-algorithm")
        if sdk_name:
            declared = ChecksumAlgorithm.from_name(sdk_name)
            actual = header[0] if header else trailer
            if declared is None:
                raise AuthFailure(
                    AuthFailureKind.CHECKSUM_INVALID,
                    "Checksum algorithm provided is unsupported. Please try again with any of the valid "
                    f"types: [{', '.join(a.value for a in ChecksumAlgorithm)}]",
                )
            if actual is None:
                raise AuthFailure(
                    AuthFailureKind.CHECKSUM_INVALID,
                    "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* "
                    "or x-amz-trailer headers were found.",
                )
            if actual is not declared:
                raise AuthFailure(
                    AuthFailureKind.CHECKSUM_INVALID,
                    f"Checksum Type mismatch occurred, expected checksum Type: {declared.value.lower()}, "
                    f"actual checksum Type: {actual.value.lower()}",
                )
        content_md5: bytes | None = None
        md5_value = headers.get("content-md5")
        if md5_value is not None:
            content_md5 = decode_checksum_value(ChecksumAlgorithm.MD5, md5_value)
            if content_md5 is None:
                raise AuthFailure(
                    AuthFailureKind.DIGEST_INVALID, "The Content-MD5 you specified is not valid."
                )
        return cls(header, trailer, content_md5)

    @property
    def trailer_name(self) -> str | None:
        return self._trailer.header_name if self._trailer else None

    def update(self, data: bytes) -> None:
        for running in self._running.values():
            running.update(data)
        if self._md5 is not None:
            self._md5.update(data)

    def finish(self, trailers: Mapping[str, str] | None = None) -> VerifiedChecksum | None:
        """Compare every claim with what was computed; raise CHECKSUM_MISMATCH on the first that differs."""
        if (
            self._content_md5 is not None
            and self._md5 is not None
            and self._md5.digest() != self._content_md5
        ):
            raise AuthFailure(
                AuthFailureKind.CHECKSUM_MISMATCH,
                "The Content-MD5 you specified did not match what we received.",
            )
        if self._header is not None:
            algorithm, expected = self._header
            running = self._running[algorithm]
            if running.digest() != expected:
                raise _mismatch(algorithm)
            # The canonical base64 of what was computed (equal to what was sent, modulo base64 slack).
            return VerifiedChecksum(algorithm, running.digest_b64())
        if self._trailer is not None:
            name = self._trailer.header_name
            sent = (trailers or {}).get(name)
            if sent is None:
                raise AuthFailure(
                    AuthFailureKind.TRAILER_MALFORMED,
                    f"The {name} trailer declared in x-amz-trailer was not sent.",
                )
            expected_trailer = decode_checksum_value(self._trailer, sent)
            if expected_trailer is None:
                raise AuthFailure(
                    AuthFailureKind.CHECKSUM_INVALID, f"Value for {name} trailing header is invalid."
                )
            running = self._running[self._trailer]
            if running.digest() != expected_trailer:
                raise _mismatch(self._trailer)
            return VerifiedChecksum(self._trailer, running.digest_b64())
        return None


def verify_checksums(headers: Headers, body: bytes) -> VerifiedChecksum | None:
    """For a body read whole (not aws-chunked): check its x-amz-checksum-* / Content-MD5 headers."""
    checks = BodyChecksums.from_headers(headers)
    checks.update(body)
    return checks.finish()
