"""S3 bodies checked as they stream: AWS's published chunked-upload example, boto3's own aws-chunked uploads with
every checksum trailer, signed chunks and trailers built per AWS's spec; every tampered byte is caught."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from botocore import httpchecksum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hutch.auth.checksums import ChecksumAlgorithm, VerifiedChecksum
from hutch.auth.chunked import MAX_LINE, ChunkDecoder, DecodedBody, decode_body
from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.auth.sigv4 import (
    STREAMING_SIGNED,
    STREAMING_SIGNED_TRAILER,
    STREAMING_UNSIGNED_TRAILER,
    SigV4Auth,
    parse_auth,
    verify,
)
from hutch.wire.http import Body, Headers, HttpRequest
from tests.unit.auth.oracle import (
    HTTP_ENDPOINT,
    HTTPS_ENDPOINT,
    Signed,
    StreamingS3Signer,
    capture,
    derive_key,
    seed_signature,
    sign_with,
    signed_chunks,
    trailer_signature,
    with_headers,
)

K = AuthFailureKind


async def _pieces(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def _collect(body: DecodedBody) -> bytes:
    return b"".join([piece async for piece in body])


def decode(
    auth: SigV4Auth | None, request: HttpRequest, raw: bytes, piece: int = 4096
) -> tuple[bytes, DecodedBody]:
    body = decode_body(auth, request, _pieces(raw, piece))
    return asyncio.run(_collect(body)), body


def decode_failure(
    auth: SigV4Auth | None, request: HttpRequest, raw: bytes, piece: int = 4096
) -> AuthFailure:
    with pytest.raises(AuthFailure) as caught:
        decode(auth, request, raw, piece)
    return caught.value


def flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


# --- AWS's published example: "Transferring Payload in Multiple Chunks" -----------------------------------
# Its signatures are a fixed oracle: example credentials and a 2013 timestamp, published by AWS.

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AWS_TIME = datetime(2013, 5, 24, tzinfo=UTC)
AWS_SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
AWS_CHUNK_1 = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
AWS_CHUNK_2 = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
AWS_FINAL = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
# The trailer signature for trailing headers first:1st, second:2nd, third:3rd after that final chunk, from
# the chunk-signing tests of Amazon's own aws-crt (Swift bindings) for this same example.
CRT_TRAILER_SIGNATURE = "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c"
AWS_BODY = (
    f"10000;chunk-signature={AWS_CHUNK_1}\r\n".encode()
    + b"a" * 65536
    + f"\r\n400;chunk-signature={AWS_CHUNK_2}\r\n".encode()
    + b"a" * 1024
    + f"\r\n0;chunk-signature={AWS_FINAL}\r\n\r\n".encode()
)


def aws_example_request() -> HttpRequest:
    headers = Headers(
        [
            ("Host", "s3.amazonaws.com"),
            ("x-amz-date", "20130524T000000Z"),
            ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                f"x-amz-decoded-content-length;x-amz-storage-class,Signature={AWS_SEED}",
            ),
            ("x-amz-content-sha256", STREAMING_SIGNED),
            ("Content-Encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", "66560"),
            ("Content-Length", "66824"),
        ]
    )
    return HttpRequest("PUT", "/examplebucket/chunkObject.txt", "", headers, Body.of(b""))


def aws_example_auth() -> SigV4Auth:
    request = aws_example_request()
    params = parse_auth(request)
    assert params is not None
    return verify(request, params, AWS_SECRET, now=AWS_TIME, body=None)


def test_aws_example_seed_signature_verifies() -> None:
    auth = aws_example_auth()
    assert auth.signature == AWS_SEED
    assert auth.payload_hash == STREAMING_SIGNED


def test_test_chunk_signer_reproduces_the_aws_example() -> None:
    # Pins the helper that builds the other signed bodies in this file to AWS's published bytes.
    assert len(AWS_BODY) == 66824  # the example's Content-Length
    built = signed_chunks(b"a" * 66560, seed=AWS_SEED, timestamp="20130524T000000Z", secret=AWS_SECRET)
    assert built == AWS_BODY
    key = derive_key(AWS_SECRET, "20130524")
    scope = "20130524/us-east-1/s3/aws4_request"
    trailers = [("first", "1st"), ("second", "2nd"), ("third", "3rd")]
    assert trailer_signature(key, "20130524T000000Z", scope, AWS_FINAL, trailers) == CRT_TRAILER_SIGNATURE


@pytest.mark.parametrize("piece", [1, 7, 8192, 100000])
def test_aws_example_body_decodes_whatever_the_network_slicing(piece: int) -> None:
    data, body = decode(aws_example_auth(), aws_example_request(), AWS_BODY, piece)
    assert data == b"a" * 66560
    assert body.length == 66560
    assert body.checksum is None


@pytest.mark.parametrize("index", [100, 65623, 65800, 66735])  # first/last data byte of chunks 1 and 2
def test_aws_example_with_a_flipped_data_byte_is_refused(index: int) -> None:
    assert AWS_BODY[index : index + 1] == b"a"
    assert (
        decode_failure(aws_example_auth(), aws_example_request(), flip(AWS_BODY, index)).kind
        is K.SIGNATURE_MISMATCH
    )


@pytest.mark.parametrize("signature", [AWS_CHUNK_1, AWS_CHUNK_2, AWS_FINAL])
def test_aws_example_with_an_altered_chunk_signature_is_refused(signature: str) -> None:
    tampered = AWS_BODY.replace(signature.encode(), signature[:-1].encode() + b"0")
    assert decode_failure(aws_example_auth(), aws_example_request(), tampered).kind is K.SIGNATURE_MISMATCH


def test_aws_example_without_its_final_chunk_is_incomplete() -> None:
    truncated = AWS_BODY[: AWS_BODY.index(b"0;chunk-signature=")]
    assert decode_failure(aws_example_auth(), aws_example_request(), truncated).kind is K.CHUNK_MALFORMED


def test_aws_example_with_a_wrong_seed_fails_at_the_first_chunk() -> None:
    request = aws_example_request()
    params = parse_auth(request)
    assert params is not None
    with pytest.raises(AuthFailure) as caught:
        verify(request, params, AWS_SECRET + "x", now=AWS_TIME, body=None)
    assert caught.value.kind is K.SIGNATURE_MISMATCH


def test_crt_trailer_vector_verifies_in_the_decoder() -> None:
    trailers = b"first:1st\r\nsecond:2nd\r\nthird:3rd\r\n"
    body = AWS_BODY[:-2] + trailers + f"x-amz-trailer-signature:{CRT_TRAILER_SIGNATURE}\r\n\r\n".encode()
    decoder = ChunkDecoder(
        auth=aws_example_auth(),
        trailer=True,
        declared_trailers=("first", "second", "third"),
        decoded_length=66560,
    )
    assert b"".join(decoder.feed(body)) == b"a" * 66560
    assert decoder.finish() == {"first": "1st", "second": "2nd", "third": "3rd"}

    tampered = body.replace(b"second:2nd", b"second:2ne")
    decoder = ChunkDecoder(
        auth=aws_example_auth(), trailer=True, declared_trailers=("first", "second", "third")
    )
    with pytest.raises(AuthFailure) as caught:
        decoder.feed(tampered)
    assert caught.value.kind is K.SIGNATURE_MISMATCH


# --- signed chunks: seed signed by botocore, chunks per AWS's spec -----------------------------------------

PAYLOAD = bytes(range(256)) * 700  # 179200 bytes: two 64 KiB chunks and a remainder


def signed_streaming_put(payload: bytes, mode: str, *, trailer: tuple[str, str] | None = None) -> Signed:
    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(len(payload))}
    if trailer is not None:
        headers["X-Amz-Trailer"] = trailer[0]
    seed = sign_with(
        lambda c: StreamingS3Signer(c, mode), "PUT", HTTP_ENDPOINT + "/bucket/big.bin", headers=headers
    )
    body = signed_chunks(
        payload,
        seed=seed_signature(seed.request),
        timestamp="20261126T100000Z",
        trailers=[trailer] if trailer is not None else None,
    )
    return Signed(seed.request, body)


def test_signed_streaming_upload_decodes() -> None:
    signed = signed_streaming_put(PAYLOAD, STREAMING_SIGNED)
    auth = signed.verify()
    assert auth.payload_hash == STREAMING_SIGNED
    data, body = decode(auth, signed.request, signed.body, 10000)
    assert data == PAYLOAD
    assert body.checksum is None


def test_signed_streaming_upload_with_a_flipped_byte_anywhere_is_refused() -> None:
    signed = signed_streaming_put(PAYLOAD, STREAMING_SIGNED)
    auth = signed.verify()
    for index in range(0, len(signed.body), 7919):
        with pytest.raises(AuthFailure):
            decode(auth, signed.request, flip(signed.body, index))


def test_signed_chunks_cannot_be_reordered() -> None:
    payload = b"A" * 65536 + b"B" * 65536
    signed = signed_streaming_put(payload, STREAMING_SIGNED)
    auth = signed.verify()
    chunk_length = len(f"{65536:x};chunk-signature=".encode()) + 64 + 2 + 65536 + 2
    first, second, rest = (
        signed.body[:chunk_length],
        signed.body[chunk_length : 2 * chunk_length],
        signed.body[2 * chunk_length :],
    )
    assert decode_failure(auth, signed.request, second + first + rest).kind is K.SIGNATURE_MISMATCH


def test_signed_streaming_with_signed_checksum_trailer() -> None:
    crc = httpchecksum.CrtCrc32cChecksum()
    crc.update(PAYLOAD)
    signed = signed_streaming_put(
        PAYLOAD, STREAMING_SIGNED_TRAILER, trailer=("x-amz-checksum-crc32c", crc.b64digest())
    )
    auth = signed.verify()
    data, body = decode(auth, signed.request, signed.body)
    assert data == PAYLOAD
    assert body.checksum == VerifiedChecksum(ChecksumAlgorithm.CRC32C, crc.b64digest())


def test_signed_trailer_cannot_be_altered_even_to_a_matching_checksum() -> None:
    crc = httpchecksum.CrtCrc32cChecksum()
    crc.update(PAYLOAD)
    signed = signed_streaming_put(
        PAYLOAD, STREAMING_SIGNED_TRAILER, trailer=("x-amz-checksum-crc32c", crc.b64digest())
    )
    auth = signed.verify()
    altered = signed.body.replace(crc.b64digest().encode(), b"AAAAAA==")
    assert decode_failure(auth, signed.request, altered).kind is K.SIGNATURE_MISMATCH
    unsigned = altered[: altered.index(b"x-amz-trailer-signature")] + b"\r\n"
    assert decode_failure(auth, signed.request, unsigned).kind is K.TRAILER_MALFORMED


def test_signed_trailer_with_a_wrong_checksum_is_bad_digest() -> None:
    signed = signed_streaming_put(
        PAYLOAD, STREAMING_SIGNED_TRAILER, trailer=("x-amz-checksum-crc32c", "AAAAAA==")
    )
    assert decode_failure(signed.verify(), signed.request, signed.body).kind is K.CHECKSUM_MISMATCH


def test_signed_chunks_smaller_than_8k_except_the_last_are_refused() -> None:
    signed = signed_streaming_put(b"x" * 20000, STREAMING_SIGNED)
    small = signed_chunks(
        b"x" * 20000, seed=seed_signature(signed.request), timestamp="20261126T100000Z", chunk_size=4096
    )
    caught = decode_failure(signed.verify(), signed.request, small)
    assert caught.kind is K.CHUNK_TOO_SMALL
    assert caught.fields == {"Chunk": "1", "BadChunkSize": "4096"}
    assert caught.to_error("s3").code == "InvalidChunkSizeError"
    # A small last chunk is fine: 8192 + 8192 + 3616.
    fine = signed_chunks(
        b"x" * 20000, seed=seed_signature(signed.request), timestamp="20261126T100000Z", chunk_size=8192
    )
    assert decode(signed.verify(), signed.request, fine)[0] == b"x" * 20000


def test_decoded_length_must_match() -> None:
    signed = signed_streaming_put(PAYLOAD, STREAMING_SIGNED)
    short = signed_chunks(PAYLOAD[:-1], seed=seed_signature(signed.request), timestamp="20261126T100000Z")
    caught = decode_failure(signed.verify(), signed.request, short)
    assert caught.kind is K.CHUNK_MALFORMED
    assert caught.to_error("s3").code == "IncompleteBody"


# --- STREAMING-UNSIGNED-PAYLOAD-TRAILER, as boto3 sends it over https -------------------------------------

SDK_ALGORITHMS = [a for a in ChecksumAlgorithm if a is not ChecksumAlgorithm.MD5]


def boto3_chunked_put(payload: bytes, algorithm: ChecksumAlgorithm | None = None) -> Signed:
    params: dict[str, object] = {"Bucket": "b", "Key": "k", "Body": io.BytesIO(payload)}
    if algorithm is not None:
        params["ChecksumAlgorithm"] = algorithm.value
    signed = capture("s3", "put_object", params, endpoint=HTTPS_ENDPOINT)
    assert signed.request.headers["x-amz-content-sha256"] == STREAMING_UNSIGNED_TRAILER
    return signed


@pytest.mark.parametrize("algorithm", SDK_ALGORITHMS)
def test_boto3_aws_chunked_upload_with_each_checksum_trailer(algorithm: ChecksumAlgorithm) -> None:
    payload = b"hello, aws-chunked " * 1000
    signed = boto3_chunked_put(payload, algorithm)
    assert signed.request.headers["x-amz-trailer"] == algorithm.header_name
    auth = signed.verify()
    data, body = decode(auth, signed.request, signed.body, 333)
    assert data == payload
    assert body.checksum is not None and body.checksum.algorithm is algorithm
    trailer_line = signed.body.rsplit(b"\r\n", 3)[-3].decode()
    assert trailer_line == f"{algorithm.header_name}:{body.checksum.value}"


@pytest.mark.parametrize("algorithm", SDK_ALGORITHMS)
def test_boto3_aws_chunked_upload_with_a_flipped_body_byte_is_bad_digest(
    algorithm: ChecksumAlgorithm,
) -> None:
    signed = boto3_chunked_put(b"0123456789" * 100, algorithm)
    index = signed.body.index(b"0123456789") + 500
    caught = decode_failure(signed.verify(), signed.request, flip(signed.body, index))
    assert caught.kind is K.CHECKSUM_MISMATCH
    assert caught.to_error("s3").code == "BadDigest"


def test_boto3_default_upload_uses_crc32_and_spans_several_chunks() -> None:
    payload = bytes(range(256)) * 10000  # 2.56 MB: boto3 sends 1 MiB chunks
    signed = boto3_chunked_put(payload)
    assert signed.body.count(b"\r\n100000\r\n") + signed.body.startswith(b"100000\r\n") == 2
    data, body = decode(signed.verify(), signed.request, signed.body, 65536)
    assert data == payload
    assert body.checksum is not None and body.checksum.algorithm is ChecksumAlgorithm.CRC32


def test_unsigned_trailer_value_changed_is_bad_digest() -> None:
    signed = boto3_chunked_put(b"hello world")
    tampered = signed.body.replace(b"DUoRhQ==", b"DUoRhA==")
    assert decode_failure(signed.verify(), signed.request, tampered).kind is K.CHECKSUM_MISMATCH


def test_unsigned_trailer_missing_is_malformed_trailer() -> None:
    signed = boto3_chunked_put(b"hello world")
    without = signed.body.replace(b"x-amz-checksum-crc32:DUoRhQ==\r\n", b"")
    caught = decode_failure(signed.verify(), signed.request, without)
    assert caught.kind is K.TRAILER_MALFORMED
    assert caught.to_error("s3").code == "MalformedTrailerError"


def test_undeclared_trailer_is_malformed() -> None:
    signed = boto3_chunked_put(b"hello world")
    extra = signed.body.replace(b"\r\n\r\n", b"\r\nx-amz-meta-evil:1\r\n\r\n")
    assert decode_failure(signed.verify(), signed.request, extra).kind is K.TRAILER_MALFORMED


def test_unsigned_trailer_with_a_garbled_value_is_invalid() -> None:
    signed = boto3_chunked_put(b"hello world")
    garbled = signed.body.replace(b"DUoRhQ==", b"not-base64")
    assert decode_failure(signed.verify(), signed.request, garbled).kind is K.CHECKSUM_INVALID


def test_unsigned_chunked_body_shorter_than_declared_is_incomplete() -> None:
    signed = boto3_chunked_put(b"hello world")
    short = signed.body.replace(b"b\r\nhello world\r\n", b"a\r\nhello worl\r\n")
    assert decode_failure(signed.verify(), signed.request, short).kind is K.CHUNK_MALFORMED


def test_trailer_lines_may_end_in_a_bare_newline() -> None:
    signed = boto3_chunked_put(b"hello world")
    lf = signed.body.replace(b"DUoRhQ==\r\n\r\n", b"DUoRhQ==\n\r\n")
    assert decode(signed.verify(), signed.request, lf)[0] == b"hello world"


# --- plain bodies: a signed hash, UNSIGNED-PAYLOAD, checksum headers ---------------------------------------


def test_signed_payload_hash_is_checked_at_the_end() -> None:
    signed = capture("s3", "put_object", {"Bucket": "b", "Key": "k", "Body": b"hello world"})
    auth = signed.verify()
    data, body = decode(auth, signed.request, signed.body, 3)
    assert data == b"hello world"
    assert body.checksum == VerifiedChecksum(ChecksumAlgorithm.CRC32, "DUoRhQ==")
    caught = decode_failure(auth, signed.request, b"hello worle")
    assert caught.kind is K.PAYLOAD_HASH_MISMATCH
    assert caught.fields["ClientComputedContentSHA256"] == auth.payload_hash
    assert caught.to_error("s3").code == "XAmzContentSHA256Mismatch"


def test_unsigned_payload_still_honours_its_checksum_header() -> None:
    from botocore.config import Config

    # The caller supplies the checksum, so botocore sends it as a header instead of a trailer.
    config = Config(s3={"payload_signing_enabled": False}, request_checksum_calculation="when_required")
    params = {"Bucket": "b", "Key": "k", "Body": b"hello world", "ChecksumCRC32": "DUoRhQ=="}
    signed = capture("s3", "put_object", params, endpoint=HTTPS_ENDPOINT, config=config)
    assert signed.request.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"
    auth = signed.verify()
    assert decode(auth, signed.request, signed.body)[0] == b"hello world"
    assert decode_failure(auth, signed.request, b"hello worle").kind is K.CHECKSUM_MISMATCH


def test_header_problems_raise_before_the_body_is_read() -> None:
    signed = capture("s3", "put_object", {"Bucket": "b", "Key": "k", "Body": b"hello world"})
    auth = signed.verify()
    for change in ({"x_amz_checksum_crc32": "!!"}, {"x_amz_trailer": "x-amz-checksum-crc32"}):
        with pytest.raises(AuthFailure) as caught:
            decode_body(auth, with_headers(signed.request, **change), _pieces(b"", 1))
        assert caught.value.kind is K.CHECKSUM_INVALID


def test_a_body_is_read_once() -> None:
    signed = capture("s3", "put_object", {"Bucket": "b", "Key": "k", "Body": b"hello world"})
    body = decode_body(signed.verify(), signed.request, _pieces(signed.body, 4))
    assert asyncio.run(_collect(body)) == b"hello world"
    assert asyncio.run(_collect(body)) == b""
    assert body.length == 11


def test_closing_early_closes_the_source() -> None:
    signed = capture("s3", "put_object", {"Bucket": "b", "Key": "k", "Body": b"hello world"})
    source = _pieces(signed.body, 2)
    body = decode_body(signed.verify(), signed.request, source)

    async def first_then_close() -> bytes:
        piece = await anext(body)
        await body.aclose()
        return piece

    assert asyncio.run(first_then_close()) == b"he"
    with pytest.raises(StopAsyncIteration):
        asyncio.run(anext(source))


def test_presigned_put_body_passes_through() -> None:
    from tests.unit.auth.oracle import presign, presigned_request

    signed = presigned_request(presign("s3", "put_object", {"Bucket": "b", "Key": "k"}), "PUT")
    data, body = decode(signed.verify(), signed.request, b"anything at all")
    assert data == b"anything at all"
    assert body.checksum is None


def test_anonymous_aws_chunked_upload_as_boto3_sends_it() -> None:
    from botocore import UNSIGNED
    from botocore.config import Config

    params = {"Bucket": "b", "Key": "k", "Body": io.BytesIO(b"hello world")}
    signed = capture(
        "s3", "put_object", params, endpoint=HTTPS_ENDPOINT, config=Config(signature_version=UNSIGNED)
    )
    assert parse_auth(signed.request) is None
    data, body = decode(None, signed.request, signed.body, 5)
    assert data == b"hello world"
    assert body.checksum == VerifiedChecksum(ChecksumAlgorithm.CRC32, "DUoRhQ==")
    assert decode_failure(None, signed.request, flip(signed.body, 5)).kind is K.CHECKSUM_MISMATCH


def test_anonymous_raw_and_hashed_bodies() -> None:
    plain = HttpRequest("PUT", "/b/k", "", Headers([("host", "h")]), Body.of(b""))
    assert decode(None, plain, b"raw bytes")[0] == b"raw bytes"
    hashed = with_headers(plain, x_amz_content_sha256=hashlib.sha256(b"raw bytes").hexdigest())
    assert decode(None, hashed, b"raw bytes")[0] == b"raw bytes"
    assert decode_failure(None, hashed, b"raw bytez").kind is K.PAYLOAD_HASH_MISMATCH


@pytest.mark.parametrize("mode", [STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, "garbage"])
def test_anonymous_requests_cannot_claim_signed_chunks(mode: str) -> None:
    request = HttpRequest(
        "PUT", "/b/k", "", Headers([("host", "h"), ("x-amz-content-sha256", mode)]), Body.of(b"")
    )
    with pytest.raises(AuthFailure) as caught:
        decode_body(None, request, _pieces(b"", 1))
    assert caught.value.kind is K.CONTENT_SHA256_INVALID


# --- framing limits: garbage fails fast and is never buffered ----------------------------------------------


def unsigned_decoder(decoded_length: int | None = None) -> ChunkDecoder:
    return ChunkDecoder(
        auth=None, trailer=True, declared_trailers=("x-amz-checksum-crc32",), decoded_length=decoded_length
    )


def test_a_chunk_header_without_a_line_end_fails_within_the_line_limit() -> None:
    decoder = unsigned_decoder()
    with pytest.raises(AuthFailure) as caught:
        decoder.feed(b"1" * (10 * MAX_LINE))
    assert caught.value.kind is K.CHUNK_MALFORMED


def test_a_chunk_header_trickling_in_byte_by_byte_is_bounded() -> None:
    decoder = unsigned_decoder()
    with pytest.raises(AuthFailure):
        for _ in range(MAX_LINE + 10):
            decoder.feed(b"0")


def test_a_chunk_larger_than_the_declared_length_fails_before_its_data() -> None:
    with pytest.raises(AuthFailure) as caught:
        unsigned_decoder(decoded_length=10).feed(b"ffffff\r\n")
    assert caught.value.kind is K.CHUNK_MALFORMED


@pytest.mark.parametrize(
    "raw",
    [
        b"zz\r\n",
        b"-1\r\n",
        b"10000000000000000\r\n",
        b"5\r\nhelloXY",
        b"0\r\nno-colon\r\n",
        b"0\r\n\r\nextra",
        b"\xff\r\n",
    ],
)
def test_malformed_framing(raw: bytes) -> None:
    decoder = unsigned_decoder()
    with pytest.raises(AuthFailure):
        decoder.feed(raw)
        decoder.finish()


def test_signed_chunk_without_its_signature_is_malformed() -> None:
    decoder = ChunkDecoder(auth=aws_example_auth(), trailer=False)
    with pytest.raises(AuthFailure) as caught:
        decoder.feed(b"10000\r\n")
    assert caught.value.kind is K.CHUNK_MALFORMED


# --- garbage and tampering: only ever AuthFailure, and never altered data --------------------------------

_FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_tokens = st.sampled_from(
    [
        b"0",
        b"5",
        b"2000",
        b"ffffffffff",
        b"\r\n",
        b"\n",
        b"\r",
        b";",
        b"chunk-signature=",
        b"a" * 64,
        b"hello",
        b"x-amz-checksum-crc32",
        b":",
        b"DUoRhQ==",
        b"x-amz-trailer-signature",
        b"x" * 8192,
        b"\xff",
    ]
)
_framing = st.one_of(st.binary(max_size=3000), st.lists(_tokens, max_size=40).map(b"".join))
_splits = st.lists(st.integers(min_value=1, max_value=97), min_size=1, max_size=20)


def _feed_all(decoder: ChunkDecoder, raw: bytes, splits: list[int]) -> bytes:
    out = bytearray()
    position, turn = 0, 0
    while position < len(raw):
        size = splits[turn % len(splits)]
        out += b"".join(decoder.feed(raw[position : position + size]))
        position += size
        turn += 1
    decoder.finish()
    return bytes(out)


@_FUZZ
@given(raw=_framing, splits=_splits, signed=st.booleans(), trailer=st.booleans())
def test_garbage_framing_only_raises_auth_failure(
    raw: bytes, splits: list[int], signed: bool, trailer: bool
) -> None:
    decoder = ChunkDecoder(
        auth=_SIGNED_AUTH if signed else None,
        trailer=trailer,
        declared_trailers=("x-amz-checksum-crc32",),
        decoded_length=None,
    )
    with contextlib.suppress(AuthFailure):
        _feed_all(decoder, raw, splits)


_mutation = st.tuples(
    st.sampled_from(["flip", "insert", "delete"]), st.integers(min_value=0), st.binary(min_size=1, max_size=1)
)


def _mutate(raw: bytes, mutations: list[tuple[str, int, bytes]]) -> bytes:
    data = bytearray(raw)
    for operation, where, byte in mutations:
        index = where % len(data)
        if operation == "flip":
            data[index] ^= byte[0] or 1
        elif operation == "insert":
            data[index:index] = byte
        else:
            del data[index]
    return bytes(data)


_SIGNED_PUT = signed_streaming_put(b"x" * 20000, STREAMING_SIGNED)
_SIGNED_AUTH = _SIGNED_PUT.verify()
_SIGNED_PUT_BODY = signed_chunks(
    b"x" * 20000, seed=seed_signature(_SIGNED_PUT.request), timestamp="20261126T100000Z", chunk_size=8192
)
_UNSIGNED_PUT = boto3_chunked_put(bytes(range(256)) * 80)
_UNSIGNED_AUTH = _UNSIGNED_PUT.verify()


@_FUZZ
@given(mutations=st.lists(_mutation, min_size=1, max_size=3), piece=st.integers(min_value=1, max_value=5000))
def test_a_tampered_signed_body_never_yields_other_data(
    mutations: list[tuple[str, int, bytes]], piece: int
) -> None:
    try:
        data, _ = decode(_SIGNED_AUTH, _SIGNED_PUT.request, _mutate(_SIGNED_PUT_BODY, mutations), piece)
    except AuthFailure:
        return
    assert data == b"x" * 20000  # only framing-neutral changes (e.g. a leading zero in a size) get through


@_FUZZ
@given(mutations=st.lists(_mutation, min_size=1, max_size=3), piece=st.integers(min_value=1, max_value=5000))
def test_a_tampered_checksummed_body_never_yields_other_data(
    mutations: list[tuple[str, int, bytes]], piece: int
) -> None:
    try:
        data, _ = decode(_UNSIGNED_AUTH, _UNSIGNED_PUT.request, _mutate(_UNSIGNED_PUT.body, mutations), piece)
    except AuthFailure:
        return
    assert data == bytes(range(256)) * 80
