"""SigV4 arithmetic pinned to AWS's published vectors (the rest of the suite checks it against botocore)."""

from __future__ import annotations

import pytest

from hutch.auth.signing import (
    EMPTY_SHA256,
    CredentialScope,
    canonical_query,
    canonical_request,
    canonical_uri,
    query_params,
    sign,
    signatures_match,
    signing_key,
    string_to_sign,
)
from hutch.wire.http import Body, Headers, HttpRequest

AWS_EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"  # AWS's documented example key


def test_signing_key_matches_the_aws_documented_derivation() -> None:
    # "Examples of how to derive a signing key for Signature Version 4" (AWS General Reference).
    key = signing_key(AWS_EXAMPLE_SECRET, CredentialScope("20120215", "us-east-1", "iam"))
    assert key.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


def test_get_vanilla_from_the_aws_sigv4_test_suite() -> None:
    request = HttpRequest(
        "GET",
        "/",
        "",
        Headers([("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")]),
        Body.of(b""),
    )
    scope = CredentialScope("20150830", "us-east-1", "service")
    canonical = canonical_request(
        request,
        service="service",
        signed_headers=("host", "x-amz-date"),
        presigned=False,
        payload_hash=EMPTY_SHA256,
    )
    assert canonical == (
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        + EMPTY_SHA256
    )
    signature = sign(
        signing_key(AWS_EXAMPLE_SECRET, scope), string_to_sign("20150830T123600Z", scope, canonical)
    )
    assert signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"


def test_scope_string() -> None:
    assert str(CredentialScope("20261126", "eu-west-1", "s3")) == "20261126/eu-west-1/s3/aws4_request"


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("b=2&a=2&a=1&c&A=x", "A=x&a=1&a=2&b=2&c="),
        ("k=a%20b&k2=%7e%2b", "k=a%20b&k2=~%2B"),
        ("k=a+b", "k=a%2Bb"),
        ("%41=%e2%9c%93", "A=%E2%9C%93"),
        ("&&a=1&", "a=1"),
        ("", ""),
    ],
)
def test_canonical_query(query: str, canonical: str) -> None:
    assert canonical_query(query, exclude_signature=False) == canonical


def test_presigned_canonical_query_leaves_out_the_signature_only() -> None:
    query = "X-Amz-Signature=abc&X-Amz-SignedHeaders=host&a=1"
    assert canonical_query(query, exclude_signature=True) == "X-Amz-SignedHeaders=host&a=1"


@pytest.mark.parametrize(
    ("raw", "s3", "other"),
    [
        ("", "/", "/"),
        ("/", "/", "/"),
        ("/a%20b/%2F", "/a%20b/%2F", "/a%2520b/%252F"),
        ("/a/./b//c/../d/", "/a/./b//c/../d/", "/a/b/d/"),
        ("/../x", "/../x", "/x"),
    ],
)
def test_canonical_uri_s3_verbatim_others_normalised_and_double_encoded(
    raw: str, s3: str, other: str
) -> None:
    assert canonical_uri(raw, "s3") == s3
    assert canonical_uri(raw, "sts") == other


def test_query_params_keep_plus() -> None:
    assert query_params("X-Amz-Security-Token=a%2Bb+c&x=1&x=2") == {"X-Amz-Security-Token": "a+b+c", "x": "1"}


def test_signature_comparison() -> None:
    assert signatures_match("ab" * 32, "ab" * 32)
    assert not signatures_match("ab" * 32, "ab" * 31 + "ac")
    assert not signatures_match("ab" * 32, "ü")
