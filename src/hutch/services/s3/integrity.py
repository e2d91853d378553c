"""ETags and checksums of objects and multipart uploads, as S3 computes them.

- ETag: hex MD5 of the bytes; for a multipart object, hex MD5 of the concatenated binary part MD5s + "-N".
- Flexible checksums (CRC32, CRC32C, CRC64NVME, SHA1, SHA256): a single PUT stores the checksum of its bytes
  (CRC64NVME when the client sent none, as S3 does). A multipart object gets either a COMPOSITE checksum
  (the checksum of the concatenated binary part checksums, + "-N") or a FULL_OBJECT checksum: the CRC of the
  whole object, derived from the part CRCs with CRC combination, so no byte is read twice.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import cast

from hutch.auth.checksums import Checksum, ChecksumAlgorithm
from hutch.errors import ServiceError
from hutch.services.s3.model import ChecksumType, StoredChecksum

# The algorithms hutch stores for objects (the ones S3 supports for multipart uploads too).
SUPPORTED = (
    ChecksumAlgorithm.CRC32,
    ChecksumAlgorithm.CRC32C,
    ChecksumAlgorithm.CRC64NVME,
    ChecksumAlgorithm.SHA1,
    ChecksumAlgorithm.SHA256,
)
DEFAULT_ALGORITHM = ChecksumAlgorithm.CRC64NVME
FULL_OBJECT_CAPABLE = (ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME)
COMPOSITE_CAPABLE = (
    ChecksumAlgorithm.CRC32,
    ChecksumAlgorithm.CRC32C,
    ChecksumAlgorithm.SHA1,
    ChecksumAlgorithm.SHA256,
)

# Digests whose update() reads any buffer (hashlib, zlib, awscrt's CRCs); awscrt's xxhash wants bytes.
_READS_ANY_BUFFER = frozenset(
    {
        ChecksumAlgorithm.CRC32,
        ChecksumAlgorithm.CRC32C,
        ChecksumAlgorithm.CRC64NVME,
        ChecksumAlgorithm.SHA1,
        ChecksumAlgorithm.SHA256,
        ChecksumAlgorithm.SHA512,
        ChecksumAlgorithm.MD5,
    }
)

# API member names: ChecksumCRC32, ChecksumCRC32C, ...
MEMBER_PREFIX = "Checksum"


def member_name(algorithm: str) -> str:
    return MEMBER_PREFIX + algorithm


def algorithm_named(name: str) -> ChecksumAlgorithm:
    """A ChecksumAlgorithm value from the API (CRC32, crc32, ...) that hutch stores, else InvalidRequest."""
    found = ChecksumAlgorithm.from_name(name)
    if found is None or found not in SUPPORTED:
        raise ServiceError(
            "InvalidRequest",
            "Checksum algorithm provided is unsupported. Please try again with any of the valid types: "
            f"[{', '.join(a.value for a in SUPPORTED)}]",
            400,
        )
    return found


def checksum_members(checksum: StoredChecksum | None, *, with_type: bool = True) -> dict[str, str]:
    """The response members for a stored checksum: {"ChecksumCRC32": ..., "ChecksumType": ...}."""
    if checksum is None:
        return {}
    out = {member_name(checksum.algorithm): checksum.value}
    if with_type:
        out["ChecksumType"] = checksum.type
    return out


def supplied_checksum(params: dict[str, object]) -> tuple[ChecksumAlgorithm, str] | None:
    """The one x-amz-checksum-* value a request carries as a modeled member (CompleteMultipartUpload)."""
    found = [
        (a, str(params[member_name(a.value)])) for a in ChecksumAlgorithm if params.get(member_name(a.value))
    ]
    if len(found) > 1:
        raise ServiceError(
            "InvalidRequest",
            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
            400,
        )
    return found[0] if found else None


class ObjectHasher:
    """MD5 (for the ETag) and, unless the request already carries a verified one, the object's checksum.

    The two halves may be fed from different threads (each in byte order): MD5 is the slow one, so a
    large upload hashes it beside the thread that writes the file and runs the CRC.
    """

    def __init__(self, algorithm: ChecksumAlgorithm | None) -> None:
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._checksum: Checksum | None = algorithm.new() if algorithm is not None else None
        self.size = 0

    def update(self, data: bytes | bytearray | memoryview) -> None:
        self.update_etag(data)
        self.update_checksum(data)

    def update_etag(self, data: bytes | bytearray | memoryview) -> None:
        """MD5 and size."""
        self._md5.update(data)
        self.size += len(data)

    def update_checksum(self, data: bytes | bytearray | memoryview) -> None:
        if self._checksum is None:
            return
        if isinstance(data, bytes) or self._checksum.algorithm in _READS_ANY_BUFFER:
            self._checksum.update(cast(bytes, data))  # read in place: no copy of a large block
        else:
            self._checksum.update(bytes(data))

    def md5(self) -> bytes:
        return self._md5.digest()

    def checksum(self) -> str | None:
        return self._checksum.digest_b64() if self._checksum is not None else None


def multipart_etag(part_md5s: Sequence[bytes]) -> str:
    return hashlib.md5(b"".join(part_md5s), usedforsecurity=False).hexdigest() + f"-{len(part_md5s)}"


@dataclass(frozen=True)
class PartChecksum:
    value: str  # base64 of the part's digest
    size: int


def combine(algorithm: ChecksumAlgorithm, checksum_type: ChecksumType, parts: Sequence[PartChecksum]) -> str:
    """The object checksum of a multipart upload from its parts' checksums."""
    if checksum_type == "COMPOSITE":
        digest = algorithm.new()
        digest.update(b"".join(base64.b64decode(p.value) for p in parts))
        return f"{digest.digest_b64()}-{len(parts)}"
    spec = _CRCS.get(algorithm)
    if spec is None:
        raise ValueError(f"{algorithm.value} has no full-object form")
    width = spec.width
    crc = 0
    first = True
    for part in parts:
        value = int.from_bytes(base64.b64decode(part.value), "big")
        crc = value if first else crc_combine(spec, crc, value, part.size)
        first = False
    return base64.b64encode(crc.to_bytes(width // 8, "big")).decode("ascii")


# -- CRC combination ----------------------------------------------------------------------------------
# crc(A || B) = crc(A) * x^(8·len(B)) mod P  XOR  crc(B) for CRCs whose initial value equals their final XOR
# (all three S3 CRCs: all ones). Arithmetic is in the reflected representation the CRCs use, as zlib's
# crc32_combine does; the powers x^(2^k) are tabulated once per polynomial.


@dataclass(frozen=True)
class CrcSpec:
    width: int
    poly: int  # reflected polynomial


CRC32 = CrcSpec(32, 0xEDB88320)
CRC32C = CrcSpec(32, 0x82F63B78)
CRC64NVME = CrcSpec(64, 0x9A6C9329AC4BC9B5)

_CRCS = {
    ChecksumAlgorithm.CRC32: CRC32,
    ChecksumAlgorithm.CRC32C: CRC32C,
    ChecksumAlgorithm.CRC64NVME: CRC64NVME,
}


def _multmodp(spec: CrcSpec, a: int, b: int) -> int:
    """a(x)·b(x) mod P(x), reflected: the top bit is x^0."""
    m = 1 << (spec.width - 1)
    product = 0
    while m:
        if a & m:
            product ^= b
        b = (b >> 1) ^ spec.poly if b & 1 else b >> 1
        m >>= 1
    return product


@cache
def _x2n_table(spec: CrcSpec) -> tuple[int, ...]:
    """x^(2^k) mod P for k = 0..63."""
    p = 1 << (spec.width - 2)  # x^1
    table = [p]
    for _ in range(63):
        p = _multmodp(spec, p, p)
        table.append(p)
    return tuple(table)


def _x8nmodp(spec: CrcSpec, nbytes: int) -> int:
    """x^(8·nbytes) mod P."""
    table = _x2n_table(spec)
    p = 1 << (spec.width - 1)  # x^0
    k = 3  # 8 = 2^3
    while nbytes:
        if nbytes & 1:
            p = _multmodp(spec, table[k & 63], p)
        nbytes >>= 1
        k += 1
    return p


def crc_combine(spec: CrcSpec, crc_a: int, crc_b: int, len_b: int) -> int:
    """The CRC of A || B from crc(A), crc(B) and len(B)."""
    return _multmodp(spec, _x8nmodp(spec, len_b), crc_a) ^ crc_b
