"""Flexible checksums agree with botocore's own implementations, and header claims are verified as S3 does."""

from __future__ import annotations

import os

import pytest
from botocore import httpchecksum
from botocore.utils import calculate_md5

from hutch.auth.checksums import (
    BodyChecksums,
    ChecksumAlgorithm,
    VerifiedChecksum,
    algorithm_from_header_name,
    declared_trailers,
    from_header_name,
    verify_checksums,
)
from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.wire.http import Headers
from tests.unit.auth.oracle import capture

K = AuthFailureKind

# botocore's checksum classes, the ones its clients use to fill x-amz-checksum-* (CRT-backed where it has them).
BOTOCORE = {
    ChecksumAlgorithm.CRC32: httpchecksum.CrtCrc32Checksum,
    ChecksumAlgorithm.CRC32C: httpchecksum.CrtCrc32cChecksum,
    ChecksumAlgorithm.CRC64NVME: httpchecksum.CrtCrc64NvmeChecksum,
    ChecksumAlgorithm.SHA1: httpchecksum.Sha1Checksum,
    ChecksumAlgorithm.SHA256: httpchecksum.Sha256Checksum,
    ChecksumAlgorithm.SHA512: httpchecksum.Sha512Checksum,
    ChecksumAlgorithm.XXHASH64: httpchecksum.CrtXxhash64Checksum,
    ChecksumAlgorithm.XXHASH3: httpchecksum.CrtXxhash3Checksum,
    ChecksumAlgorithm.XXHASH128: httpchecksum.CrtXxhash128Checksum,
}
# What botocore sends as x-amz-sdk-checksum-algorithm / ChecksumAlgorithm (MD5 is Content-MD5's business).
SDK_ALGORITHMS = [a for a in ChecksumAlgorithm if a is not ChecksumAlgorithm.MD5]


@pytest.mark.parametrize("algorithm", list(BOTOCORE))
@pytest.mark.parametrize("sizes", [[], [0], [1], [5, 0, 300], [65536, 1, 70000]])
def test_incremental_digest_matches_botocore(algorithm: ChecksumAlgorithm, sizes: list[int]) -> None:
    ours = algorithm.new()
    theirs = BOTOCORE[algorithm]()
    for size in sizes:
        piece = os.urandom(size)
        ours.update(piece)
        theirs.update(piece)
    assert ours.digest_b64() == theirs.b64digest()
    assert len(ours.digest()) == algorithm.digest_size


def test_md5_matches_content_md5() -> None:
    data = os.urandom(1000)
    checksum = ChecksumAlgorithm.MD5.new()
    checksum.update(data[:10])
    checksum.update(data[10:])
    assert checksum.digest_b64() == calculate_md5(data)


def test_known_crc32_value() -> None:
    checksum = ChecksumAlgorithm.CRC32.new()
    checksum.update(b"hello world")
    assert checksum.digest_b64() == "DUoRhQ=="


def test_xxhash_digest_can_be_read_twice() -> None:
    checksum = ChecksumAlgorithm.XXHASH64.new()
    checksum.update(b"abc")
    assert checksum.digest() == checksum.digest()


@pytest.mark.parametrize("algorithm", list(ChecksumAlgorithm))
def test_header_names(algorithm: ChecksumAlgorithm) -> None:
    assert algorithm_from_header_name(algorithm.header_name) is algorithm
    assert algorithm_from_header_name(algorithm.header_name.upper()) is algorithm
    created = from_header_name(algorithm.header_name)
    assert created is not None and created.algorithm is algorithm


@pytest.mark.parametrize(
    "name",
    [
        "x-amz-checksum-mode",
        "x-amz-checksum-type",
        "x-amz-checksum-algorithm",
        "x-amz-checksum-",
        "content-md5",
    ],
)
def test_headers_that_are_not_checksum_values(name: str) -> None:
    assert algorithm_from_header_name(name) is None
    assert from_header_name(name) is None


# --- header claims on whole bodies (what S3 checks for non-chunked requests) -------------------------------


@pytest.mark.parametrize("algorithm", SDK_ALGORITHMS)
def test_checksum_header_as_boto3_sends_it_verifies(algorithm: ChecksumAlgorithm) -> None:
    # Over plain http boto3 sends the checksum as a header (and signs the payload hash).
    signed = capture(
        "s3",
        "put_object",
        {"Bucket": "b", "Key": "k", "Body": b"x" * 1000, "ChecksumAlgorithm": algorithm.value},
    )
    assert algorithm.header_name in signed.request.headers
    verified = verify_checksums(signed.request.headers, signed.body)
    assert verified == VerifiedChecksum(algorithm, signed.request.headers[algorithm.header_name])


@pytest.mark.parametrize("algorithm", SDK_ALGORITHMS)
def test_body_that_differs_from_its_checksum_header_is_bad_digest(algorithm: ChecksumAlgorithm) -> None:
    signed = capture(
        "s3",
        "put_object",
        {"Bucket": "b", "Key": "k", "Body": b"x" * 1000, "ChecksumAlgorithm": algorithm.value},
    )
    with pytest.raises(AuthFailure) as caught:
        verify_checksums(signed.request.headers, b"x" * 999 + b"y")
    assert caught.value.kind is K.CHECKSUM_MISMATCH
    assert (
        caught.value.message == f"The {algorithm.value} you specified did not match the calculated checksum."
    )
    error = caught.value.to_error("s3")
    assert (error.code, error.status) == ("BadDigest", 400)


def test_default_boto3_put_sends_crc32() -> None:
    signed = capture("s3", "put_object", {"Bucket": "b", "Key": "k", "Body": b"hello world"})
    assert verify_checksums(signed.request.headers, signed.body) == VerifiedChecksum(
        ChecksumAlgorithm.CRC32, "DUoRhQ=="
    )


def test_no_claims_means_nothing_to_verify() -> None:
    assert verify_checksums(Headers([("host", "h")]), b"anything") is None


@pytest.mark.parametrize("value", ["not base64!", "DUoRhQ", "AAAAAAAA", ""])
def test_malformed_checksum_value_is_invalid(value: str) -> None:
    with pytest.raises(AuthFailure) as caught:
        verify_checksums(Headers([("x-amz-checksum-crc32", value)]), b"")
    assert caught.value.kind is K.CHECKSUM_INVALID
    assert caught.value.message == "Value for x-amz-checksum-crc32 header is invalid."
    assert caught.value.to_error("s3").code == "InvalidRequest"


def test_two_checksum_headers_are_invalid() -> None:
    headers = Headers(
        [("x-amz-checksum-crc32", "DUoRhQ=="), ("x-amz-checksum-sha1", "Kq5sNclPz7QV2+lfQIuc6R7oRu0=")]
    )
    with pytest.raises(AuthFailure) as caught:
        verify_checksums(headers, b"hello world")
    assert caught.value.kind is K.CHECKSUM_INVALID


def test_sdk_algorithm_must_match_the_checksum_sent() -> None:
    headers = Headers([("x-amz-checksum-crc32", "DUoRhQ=="), ("x-amz-sdk-checksum-algorithm", "SHA256")])
    with pytest.raises(AuthFailure) as caught:
        verify_checksums(headers, b"hello world")
    assert caught.value.kind is K.CHECKSUM_INVALID
    assert "expected checksum Type: sha256, actual checksum Type: crc32" in caught.value.message


def test_sdk_algorithm_without_a_checksum_is_invalid() -> None:
    with pytest.raises(AuthFailure) as caught:
        verify_checksums(Headers([("x-amz-sdk-checksum-algorithm", "CRC32")]), b"")
    assert caught.value.kind is K.CHECKSUM_INVALID


def test_unknown_sdk_algorithm_is_invalid() -> None:
    headers = Headers([("x-amz-checksum-crc32", "DUoRhQ=="), ("x-amz-sdk-checksum-algorithm", "ADLER32")])
    with pytest.raises(AuthFailure) as caught:
        verify_checksums(headers, b"hello world")
    assert caught.value.kind is K.CHECKSUM_INVALID


def test_content_md5_is_verified() -> None:
    body = b"<Delete><Object><Key>k</Key></Object></Delete>"
    assert verify_checksums(Headers([("content-md5", calculate_md5(body))]), body) is None
    with pytest.raises(AuthFailure) as caught:
        verify_checksums(Headers([("content-md5", calculate_md5(body))]), body + b" ")
    assert caught.value.kind is K.CHECKSUM_MISMATCH
    assert (
        caught.value.to_error("s3").message == "The Content-MD5 you specified did not match what we received."
    )


@pytest.mark.parametrize("value", ["nope", "AAAA", calculate_md5(b"x")[:-4]])
def test_malformed_content_md5_is_invalid_digest(value: str) -> None:
    with pytest.raises(AuthFailure) as caught:
        verify_checksums(Headers([("content-md5", value)]), b"x")
    assert caught.value.kind is K.DIGEST_INVALID
    assert caught.value.to_error("s3").code == "InvalidDigest"


def test_content_md5_and_a_flexible_checksum_are_both_checked() -> None:
    body = b"hello world"
    headers = Headers([("content-md5", calculate_md5(b"other")), ("x-amz-checksum-crc32", "DUoRhQ==")])
    with pytest.raises(AuthFailure) as caught:
        verify_checksums(headers, body)
    assert caught.value.kind is K.CHECKSUM_MISMATCH


# --- trailers ----------------------------------------------------------------------------------------------


def test_declared_trailers() -> None:
    assert declared_trailers(Headers([("x-amz-trailer", "X-Amz-Checksum-CRC32C")])) == (
        "x-amz-checksum-crc32c",
    )
    assert declared_trailers(Headers([])) == ()


@pytest.mark.parametrize(
    "value", ["x-amz-meta-foo", "x-amz-checksum-crc32,x-amz-checksum-sha1", "content-md5"]
)
def test_unsupported_trailers_are_refused(value: str) -> None:
    with pytest.raises(AuthFailure) as caught:
        declared_trailers(Headers([("x-amz-trailer", value)]))
    assert caught.value.kind is K.CHECKSUM_INVALID


def test_trailer_checksum_is_verified_at_finish() -> None:
    checks = BodyChecksums.from_headers(Headers([]), trailers=("x-amz-checksum-crc32",))
    assert checks.trailer_name == "x-amz-checksum-crc32"
    checks.update(b"hello ")
    checks.update(b"world")
    assert checks.finish({"x-amz-checksum-crc32": "DUoRhQ=="}) == VerifiedChecksum(
        ChecksumAlgorithm.CRC32, "DUoRhQ=="
    )


@pytest.mark.parametrize(
    ("trailers", "kind"),
    [
        ({}, K.TRAILER_MALFORMED),
        ({"x-amz-checksum-crc32": "AAAAAA=="}, K.CHECKSUM_MISMATCH),
        ({"x-amz-checksum-crc32": "bogus"}, K.CHECKSUM_INVALID),
    ],
)
def test_trailer_checksum_failures(trailers: dict[str, str], kind: AuthFailureKind) -> None:
    checks = BodyChecksums.from_headers(Headers([]), trailers=("x-amz-checksum-crc32",))
    checks.update(b"hello world")
    with pytest.raises(AuthFailure) as caught:
        checks.finish(trailers)
    assert caught.value.kind is kind


def test_a_checksum_header_and_trailer_together_are_invalid() -> None:
    with pytest.raises(AuthFailure) as caught:
        BodyChecksums.from_headers(
            Headers([("x-amz-checksum-crc32", "DUoRhQ==")]), trailers=("x-amz-checksum-sha1",)
        )
    assert caught.value.kind is K.CHECKSUM_INVALID
