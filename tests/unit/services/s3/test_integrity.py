"""ETags and checksums of objects and multipart uploads, checked against independent implementations."""

from __future__ import annotations

import base64
import hashlib
import zlib

import pytest
from awscrt import checksums as crt
from hypothesis import given, settings
from hypothesis import strategies as st

from hutch.auth.checksums import ChecksumAlgorithm
from hutch.errors import ServiceError
from hutch.services.s3.integrity import (
    ObjectHasher,
    PartChecksum,
    algorithm_named,
    checksum_members,
    combine,
    multipart_etag,
    supplied_checksum,
)
from hutch.services.s3.model import StoredChecksum

CRCS = {
    ChecksumAlgorithm.CRC32: (zlib.crc32, 4),
    ChecksumAlgorithm.CRC32C: (crt.crc32c, 4),
    ChecksumAlgorithm.CRC64NVME: (crt.crc64nvme, 8),
}


def b64crc(algorithm: ChecksumAlgorithm, data: bytes) -> str:
    fn, width = CRCS[algorithm]
    return base64.b64encode(fn(data).to_bytes(width, "big")).decode()


@settings(max_examples=60, deadline=None)
@given(
    algorithm=st.sampled_from(list(CRCS)),
    parts=st.lists(st.binary(max_size=3000), min_size=1, max_size=6),
)
def test_full_object_crc_from_parts_equals_crc_of_the_whole(
    algorithm: ChecksumAlgorithm, parts: list[bytes]
) -> None:
    pieces = [PartChecksum(b64crc(algorithm, p), len(p)) for p in parts]
    assert combine(algorithm, "FULL_OBJECT", pieces) == b64crc(algorithm, b"".join(parts))


def test_full_object_crc_over_large_parts() -> None:
    parts = [bytes(range(256)) * 40_000, b"tail"]
    pieces = [PartChecksum(b64crc(ChecksumAlgorithm.CRC64NVME, p), len(p)) for p in parts]
    assert combine(ChecksumAlgorithm.CRC64NVME, "FULL_OBJECT", pieces) == b64crc(
        ChecksumAlgorithm.CRC64NVME, b"".join(parts)
    )


def test_composite_checksum_is_checksum_of_part_checksums_with_count() -> None:
    parts = [b"one", b"two", b"three"]
    digests = [hashlib.sha256(p).digest() for p in parts]
    pieces = [PartChecksum(base64.b64encode(d).decode(), 0) for d in digests]
    want = base64.b64encode(hashlib.sha256(b"".join(digests)).digest()).decode() + "-3"
    assert combine(ChecksumAlgorithm.SHA256, "COMPOSITE", pieces) == want


def test_sha_has_no_full_object_form() -> None:
    with pytest.raises(ValueError):
        combine(ChecksumAlgorithm.SHA1, "FULL_OBJECT", [PartChecksum("AAAA", 1)])


def test_multipart_etag_is_md5_of_binary_md5s_with_part_count() -> None:
    md5s = [hashlib.md5(b"a").digest(), hashlib.md5(b"b").digest()]
    assert multipart_etag(md5s) == hashlib.md5(b"".join(md5s)).hexdigest() + "-2"


def test_hasher_computes_md5_and_the_requested_checksum() -> None:
    hasher = ObjectHasher(ChecksumAlgorithm.CRC32)
    hasher.update(b"hello ")
    hasher.update(memoryview(b"world"))
    assert hasher.md5() == hashlib.md5(b"hello world").digest()
    assert hasher.checksum() == b64crc(ChecksumAlgorithm.CRC32, b"hello world")
    assert hasher.size == 11
    assert ObjectHasher(None).checksum() is None


def test_algorithm_names_and_members() -> None:
    assert algorithm_named("crc32c") is ChecksumAlgorithm.CRC32C
    with pytest.raises(ServiceError):
        algorithm_named("MD5")
    assert checksum_members(StoredChecksum("CRC32", "abc=", "COMPOSITE")) == {
        "ChecksumCRC32": "abc=",
        "ChecksumType": "COMPOSITE",
    }
    assert supplied_checksum({"ChecksumSHA256": "x"}) == (ChecksumAlgorithm.SHA256, "x")
    with pytest.raises(ServiceError):
        supplied_checksum({"ChecksumSHA256": "x", "ChecksumCRC32": "y"})
