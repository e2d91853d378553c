"""SigV4 verification against botocore's signer: whatever botocore signs with the right secret verifies,
and any change to what was signed, or a wrong secret, is refused with the right failure kind."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any
from urllib.parse import quote

import awscrt.auth
import awscrt.http
import pytest
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
from botocore.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.auth.signing import canonical_uri
from hutch.auth.sigv4 import (
    STREAMING_UNSIGNED_TRAILER,
    UNSIGNED_PAYLOAD,
    check_region,
    parse_auth,
    verify,
)
from hutch.wire.http import Body, Headers, HttpRequest
from tests.unit.auth.oracle import (
    ACCESS_KEY,
    HTTP_ENDPOINT,
    HTTPS_ENDPOINT,
    REGION,
    SECRET_KEY,
    SIGNED_AT,
    Signed,
    capture,
    presign,
    presigned_request,
    sign_with,
    with_headers,
    with_path,
    with_query,
)

K = AuthFailureKind
TOKEN = "FwoGZXIvYXdzEHUaDHRlc3Qrc2Vzc2lvbi90b2tlbj09/Ab+cd=="  # a made-up session token with + / =


def failure(signed: Signed, **kwargs: Any) -> AuthFailure:
    with pytest.raises(AuthFailure) as caught:
        signed.verify(**kwargs)
    return caught.value


def refused(request: Signed | HttpRequest, *, secret: str = SECRET_KEY) -> AuthFailure:
    """verify() of a request that may have been altered after signing."""
    http = request.request if isinstance(request, Signed) else request
    body = request.body if isinstance(request, Signed) else b""
    with pytest.raises(AuthFailure) as caught:
        params = parse_auth(http)
        assert params is not None
        verify(http, params, secret, now=SIGNED_AT, body=body)
    return caught.value


# --- header auth: the services' own clients ---------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "operation", "params"),
    [
        ("sts", "get_caller_identity", {}),
        ("iam", "create_user", {"UserName": "alice+ops@example", "Path": "/team a/"}),
        ("cognito-idp", "admin_get_user", {"UserPoolId": "us-east-1_abc", "Username": "ü ser"}),
        ("cognito-identity", "list_identity_pools", {"MaxResults": 10}),
    ],
)
def test_header_signed_service_requests_from_boto3_verify(service: str, operation: str, params: dict) -> None:
    signed = capture(service, operation, params)
    auth = signed.verify()
    assert auth.access_key_id == ACCESS_KEY
    assert auth.service == service
    assert auth.region == REGION
    assert auth.date == SIGNED_AT
    assert not auth.presigned
    assert "host" in auth.signed_headers


@pytest.mark.parametrize("service", ["sts", "cognito-idp"])
def test_wrong_secret_is_a_signature_mismatch(service: str) -> None:
    operation = "get_caller_identity" if service == "sts" else "list_user_pools"
    params = {} if service == "sts" else {"MaxResults": 1}
    signed = capture(service, operation, params)
    assert failure(signed, secret=SECRET_KEY + "x").kind is K.SIGNATURE_MISMATCH


def test_query_protocol_body_is_signed() -> None:
    signed = capture("iam", "create_user", {"UserName": "alice"})
    assert failure(signed, body=signed.body.replace(b"alice", b"admin")).kind is K.SIGNATURE_MISMATCH


def test_json_protocol_body_is_signed() -> None:
    signed = capture("cognito-idp", "admin_delete_user", {"UserPoolId": "us-east-1_abc", "Username": "bob"})
    assert failure(signed, body=signed.body.replace(b"bob", b"eve")).kind is K.SIGNATURE_MISMATCH


def test_a_non_s3_body_cannot_be_declared_unsigned() -> None:
    signed = capture("sts", "get_caller_identity")
    tampered = with_headers(signed.request, x_amz_content_sha256=UNSIGNED_PAYLOAD)
    assert refused(Signed(tampered, signed.body)).kind is K.PAYLOAD_HASH_MISMATCH


def test_params_expose_scope_for_routing_and_the_token() -> None:
    signed = capture("sts", "get_caller_identity", token=TOKEN)
    params = signed.params
    assert (params.access_key_id, params.service, params.region) == (ACCESS_KEY, "sts", REGION)
    assert params.scope.date == "20261126"
    assert params.security_token == TOKEN
    assert signed.verify().security_token == TOKEN


def test_session_token_in_header_is_signed() -> None:
    signed = capture("sts", "get_caller_identity", token=TOKEN)
    tampered = with_headers(signed.request, x_amz_security_token=TOKEN + "x")
    assert refused(Signed(tampered, signed.body)).kind is K.SIGNATURE_MISMATCH


def test_anonymous_request_has_no_params() -> None:
    signed = capture("cognito-idp", "list_user_pools", {"MaxResults": 1})
    anonymous = with_headers(signed.request, authorization=None)
    assert parse_auth(anonymous) is None


# --- the clock -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [-14, 14])
def test_clock_skew_within_fifteen_minutes_is_accepted(minutes: int) -> None:
    signed = capture("sts", "get_caller_identity")
    signed.verify(now=SIGNED_AT + timedelta(minutes=minutes))


@pytest.mark.parametrize("minutes", [-16, 16])
def test_clock_skew_beyond_fifteen_minutes_is_refused(minutes: int) -> None:
    signed = capture("sts", "get_caller_identity")
    caught = failure(signed, now=SIGNED_AT + timedelta(minutes=minutes))
    assert caught.kind is K.SKEW
    expected = "Signature expired" if minutes > 0 else "Signature not yet current"
    assert caught.message.startswith(expected)
    assert caught.fields["RequestTime"] == "20261126T100000Z"


def test_skew_message_has_aws_wording() -> None:
    signed = capture("sts", "get_caller_identity")
    caught = failure(signed, now=SIGNED_AT + timedelta(minutes=30))
    assert caught.message == (
        "Signature expired: 20261126T100000Z is now earlier than 20261126T101500Z (20261126T103000Z - 15 min.)"
    )


def test_date_header_instead_of_x_amz_date() -> None:
    signer = partial(SigV4Auth, service_name="sts", region_name=REGION)
    signed = sign_with(
        signer,
        "POST",
        HTTP_ENDPOINT + "/",
        headers={"Date": "x", "Content-Type": "application/x-www-form-urlencoded"},
        body=b"Action=GetCallerIdentity&Version=2011-06-15",
    )
    assert "x-amz-date" not in signed.request.headers
    assert "date" in signed.params.signed_headers
    assert signed.verify().date == SIGNED_AT


# --- S3 ---------------------------------------------------------------------------------------------------

AWKWARD_KEYS = [
    "a b/c.txt",
    "ünï/cödé ✓.bin",
    "plus+sign",
    "literal%2Fslash",
    "tilde~and*star",
    "a//b/./c/../d",
]


@pytest.mark.parametrize("key", AWKWARD_KEYS)
def test_s3_put_with_signed_payload_and_awkward_keys(key: str) -> None:
    signed = capture("s3", "put_object", {"Bucket": "bucket", "Key": key, "Body": b"hello world"})
    auth = signed.verify()
    assert auth.payload_hash == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
    assert canonical_uri(signed.request.raw_path, "s3") == signed.request.raw_path


@pytest.mark.parametrize("key", AWKWARD_KEYS)
def test_s3_path_is_signed_exactly_as_sent(key: str) -> None:
    signed = capture("s3", "get_object", {"Bucket": "bucket", "Key": key})
    signed.verify()
    # Decoding and re-encoding the path differently (what a normalising proxy would do) breaks the signature.
    other = signed.request.raw_path.replace("%20", "+") if "%20" in signed.request.raw_path else None
    if other is not None:
        assert refused(with_path(signed.request, other)).kind is K.SIGNATURE_MISMATCH
    assert refused(with_path(signed.request, signed.request.raw_path + "x")).kind is K.SIGNATURE_MISMATCH


def test_s3_list_with_encoded_query_values() -> None:
    signed = capture("s3", "list_objects_v2", {"Bucket": "b", "Prefix": "a b+c/ü~*", "Delimiter": "/"})
    signed.verify()
    swapped = signed.request.query_string.replace("delimiter=%2F", "delimiter=%2C")
    assert refused(with_query(signed.request, swapped)).kind is K.SIGNATURE_MISMATCH


def test_s3_query_with_repeated_empty_and_bare_params() -> None:
    url = HTTPS_ENDPOINT + "/bucket/key?z=1&a=2&a=1&empty=&bare&x-id=GetObject&sp%20ace=%2B"
    signed = sign_with(lambda c: S3SigV4Auth(c, "s3", REGION), "GET", url)
    signed.verify()
    reordered = with_query(signed.request, "bare&a=1&empty=&a=2&sp%20ace=%2B&x-id=GetObject&z=1")
    assert verify(reordered, signed.params, SECRET_KEY, now=SIGNED_AT, body=None).service == "s3"
    dropped = with_query(signed.request, "z=1&a=2&empty=&bare&x-id=GetObject&sp%20ace=%2B")
    assert refused(dropped).kind is K.SIGNATURE_MISMATCH


def test_s3_unsigned_payload() -> None:
    config = Config(s3={"payload_signing_enabled": False}, request_checksum_calculation="when_required")
    signed = capture(
        "s3",
        "put_object",
        {"Bucket": "b", "Key": "k", "Body": b"data"},
        endpoint=HTTPS_ENDPOINT,
        config=config,
    )
    assert signed.request.headers["x-amz-content-sha256"] == UNSIGNED_PAYLOAD
    assert signed.verify().payload_hash == UNSIGNED_PAYLOAD


def test_s3_streaming_unsigned_trailer_as_boto3_sends_it() -> None:
    signed = capture(
        "s3", "put_object", {"Bucket": "b", "Key": "k", "Body": io.BytesIO(b"data")}, endpoint=HTTPS_ENDPOINT
    )
    assert signed.verify().payload_hash == STREAMING_UNSIGNED_TRAILER


def test_s3_payload_hash_header_is_signed() -> None:
    signed = capture("s3", "put_object", {"Bucket": "b", "Key": "k", "Body": b"hello"})
    tampered = with_headers(signed.request, x_amz_content_sha256=UNSIGNED_PAYLOAD)
    assert refused(tampered).kind is K.SIGNATURE_MISMATCH


def test_s3_requires_x_amz_content_sha256() -> None:
    signed = capture("s3", "get_object", {"Bucket": "b", "Key": "k"})
    assert refused(with_headers(signed.request, x_amz_content_sha256=None)).kind is K.CONTENT_SHA256_MISSING


@pytest.mark.parametrize("value", ["nothex", "UNSIGNED", "STREAMING-AWS4-HMAC-SHA256", "a" * 63])
def test_s3_rejects_unknown_content_sha256_values(value: str) -> None:
    signed = capture("s3", "get_object", {"Bucket": "b", "Key": "k"})
    assert refused(with_headers(signed.request, x_amz_content_sha256=value)).kind is K.CONTENT_SHA256_INVALID


def test_s3_sigv4a_streaming_payload_is_unsupported() -> None:
    signed = capture("s3", "get_object", {"Bucket": "b", "Key": "k"})
    tampered = with_headers(signed.request, x_amz_content_sha256="STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")
    assert refused(tampered).kind is K.UNSUPPORTED


def test_s3_refuses_unsigned_amz_headers() -> None:
    signed = capture("s3", "put_object", {"Bucket": "b", "Key": "k", "Body": b"x"})
    caught = refused(with_headers(signed.request, x_amz_acl="public-read"))
    assert caught.kind is K.HEADERS_NOT_SIGNED
    assert caught.fields["HeadersNotSigned"] == "x-amz-acl"


class _ContentHashUnsigned(S3SigV4Auth):
    """Signs every header but x-amz-content-sha256, which S3 tolerates (its value is signed anyway)."""

    def headers_to_sign(self, request: Any) -> Any:
        headers = super().headers_to_sign(request)
        del headers["x-amz-content-sha256"]
        return headers


def test_s3_tolerates_an_unsigned_content_sha256_header_whose_value_is_still_signed() -> None:
    signed = sign_with(
        lambda c: _ContentHashUnsigned(c, "s3", REGION), "PUT", HTTP_ENDPOINT + "/b/k", body=b"x"
    )
    assert "x-amz-content-sha256" not in signed.params.signed_headers
    signed.verify()
    changed = with_headers(signed.request, x_amz_content_sha256=UNSIGNED_PAYLOAD)
    assert refused(changed).kind is K.SIGNATURE_MISMATCH


def test_other_services_do_not_police_unsigned_amz_headers() -> None:
    signed = capture("sts", "get_caller_identity")
    extra = with_headers(signed.request, x_amz_user_agent="something")
    verify(extra, signed.params, SECRET_KEY, now=SIGNED_AT, body=signed.body)


def test_s3_header_auth_wrong_secret() -> None:
    signed = capture("s3", "get_object", {"Bucket": "b", "Key": "k"})
    caught = failure(signed, secret="wrong")
    assert caught.kind is K.SIGNATURE_MISMATCH
    assert caught.fields["AWSAccessKeyId"] == ACCESS_KEY
    assert caught.fields["CanonicalRequest"].startswith("GET\n/b/k\n")


def test_host_must_be_signed() -> None:
    class NoHost(SigV4Auth):
        def headers_to_sign(self, request: Any) -> Any:
            headers = super().headers_to_sign(request)
            del headers["host"]
            return headers

    signed = sign_with(lambda c: NoHost(c, "sts", REGION), "POST", HTTP_ENDPOINT + "/", body=b"Action=X")
    assert failure(signed).kind is K.MALFORMED


def test_changing_any_signed_header_breaks_the_signature() -> None:
    signed = capture(
        "s3", "put_object", {"Bucket": "b", "Key": "k", "Body": b"x", "ContentType": "text/plain"}
    )
    for name in signed.params.signed_headers:
        if name in ("x-amz-date", "x-amz-content-sha256"):
            continue  # changing these fails other checks first; covered elsewhere
        changed = with_headers(signed.request, **{name.replace("-", "_"): "changed"})
        assert refused(changed).kind is K.SIGNATURE_MISMATCH, name


def test_header_values_are_trimmed_and_inner_spaces_collapsed() -> None:
    url = HTTP_ENDPOINT + "/b/k"
    signed = sign_with(
        lambda c: S3SigV4Auth(c, "s3", REGION), "GET", url, headers={"X-Amz-Meta-Note": "a  b   c"}
    )
    respaced = with_headers(signed.request, x_amz_meta_note="  a b \t c ")
    verify(respaced, signed.params, SECRET_KEY, now=SIGNED_AT, body=None)


# --- non-S3 path normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "", "/a/./b//c/../d", "/x%20y/", "/%7Etilde/é"])
def test_other_services_normalise_and_double_encode_the_path(path: str) -> None:
    url = HTTP_ENDPOINT + quote(path, safe="/%~")
    signed = sign_with(lambda c: SigV4Auth(c, "execute-api", REGION), "GET", url)
    signed.verify()


# --- presigned URLs ---------------------------------------------------------------------------------------


def test_presigned_get_from_boto3() -> None:
    url = presign("s3", "get_object", {"Bucket": "bucket", "Key": "a b/ü+%2F~.txt"}, expires=600)
    signed = presigned_request(url)
    auth = signed.verify(now=SIGNED_AT + timedelta(seconds=599))
    assert auth.presigned
    assert auth.payload_hash == UNSIGNED_PAYLOAD
    assert signed.params.expires == 600


def test_presigned_put_from_boto3_accepts_any_body() -> None:
    url = presign("s3", "put_object", {"Bucket": "bucket", "Key": "upload.bin"}, expires=60)
    signed = presigned_request(url, "PUT")
    assert signed.verify(body=b"whatever the uploader sends").payload_hash == UNSIGNED_PAYLOAD


def test_presigned_put_used_with_another_method_is_refused() -> None:
    url = presign("s3", "put_object", {"Bucket": "bucket", "Key": "upload.bin"})
    assert failure(presigned_request(url, "DELETE")).kind is K.SIGNATURE_MISMATCH


def test_presigned_url_expires() -> None:
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}, expires=600))
    caught = failure(signed, now=SIGNED_AT + timedelta(seconds=601))
    assert caught.kind is K.PRESIGN_EXPIRED
    assert caught.fields["Expires"] == "2026-11-26T10:10:00Z"
    assert caught.to_error("s3").message == "Request has expired"


def test_presigned_url_from_the_future_is_not_yet_valid() -> None:
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}))
    assert failure(signed, now=SIGNED_AT - timedelta(minutes=16)).kind is K.PRESIGN_NOT_YET_VALID


@pytest.mark.parametrize("expires", [604801, 0])
def test_presigned_expiry_must_be_one_second_to_a_week(expires: int) -> None:
    # botocore's pure-Python query signer, since the CRT one refuses to sign X-Amz-Expires=0 at all.
    signer = partial(S3SigV4QueryAuth, service_name="s3", region_name=REGION, expires=expires)
    signed = sign_with(signer, "GET", HTTP_ENDPOINT + "/b/k")
    caught = failure(signed)
    assert caught.kind is K.PRESIGN_TOO_LONG
    assert caught.presigned


def test_presigned_week_is_the_limit() -> None:
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}, expires=604800))
    signed.verify(now=SIGNED_AT + timedelta(days=7))


@pytest.mark.parametrize(
    "change",
    [
        lambda q: q.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200"),
        lambda q: q + "&response-content-type=text%2Fhtml",
        lambda q: q.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Brange"),
    ],
)
def test_tampered_presigned_query_is_refused(change: Callable[[str], str]) -> None:
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}))
    tampered = with_query(signed.request, change(signed.request.query_string))
    assert refused(tampered).kind is K.SIGNATURE_MISMATCH


def test_presigned_wrong_secret() -> None:
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}))
    assert failure(signed, secret="nope").kind is K.SIGNATURE_MISMATCH


def test_presigned_session_token_in_query() -> None:
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}, token=TOKEN))
    assert signed.params.security_token == TOKEN
    assert signed.verify().security_token == TOKEN
    forged = signed.request.query_string.replace("X-Amz-Security-Token=", "X-Amz-Security-Token=x")
    assert refused(with_query(signed.request, forged)).kind is K.SIGNATURE_MISMATCH


def test_presigned_url_refuses_unsigned_amz_headers() -> None:
    signed = presigned_request(
        presign("s3", "put_object", {"Bucket": "b", "Key": "k"}), "PUT", {"x-amz-acl": "x"}
    )
    assert failure(signed).kind is K.HEADERS_NOT_SIGNED


def test_presigned_with_signed_headers_from_botocore_query_signer() -> None:
    url = HTTP_ENDPOINT + "/b/k?versionId=3&x-id=GetObject"
    signed = sign_with(
        lambda c: S3SigV4QueryAuth(c, "s3", REGION, expires=300), "GET", url, headers={"Range": "bytes=0-9"}
    )
    assert signed.params.signed_headers == ("host", "range")
    signed.verify()
    assert refused(with_headers(signed.request, range="bytes=0-99")).kind is K.SIGNATURE_MISMATCH


def test_sts_presigned_get_caller_identity() -> None:
    url = presign("sts", "get_caller_identity", {}, expires=900, token=TOKEN, http_method="GET")
    signed = presigned_request(url)
    auth = signed.verify()
    assert (auth.service, auth.presigned, auth.security_token) == ("sts", True, TOKEN)
    assert failure(signed, now=SIGNED_AT + timedelta(seconds=901)).kind is K.PRESIGN_EXPIRED


def test_non_s3_presigned_without_expires_lives_fifteen_minutes() -> None:
    # awscrt signs query auth without X-Amz-Expires when given no expiry (botocore always sets one).
    request = awscrt.http.HttpRequest(
        "GET",
        "/?Action=GetCallerIdentity&Version=2011-06-15",
        awscrt.http.HttpHeaders([("host", "127.0.0.1:4577")]),
    )
    config = awscrt.auth.AwsSigningConfig(
        algorithm=awscrt.auth.AwsSigningAlgorithm.V4,
        signature_type=awscrt.auth.AwsSignatureType.HTTP_REQUEST_QUERY_PARAMS,
        credentials_provider=awscrt.auth.AwsCredentialsProvider.new_static(ACCESS_KEY, SECRET_KEY),
        region=REGION,
        service="sts",
        date=SIGNED_AT,
    )
    awscrt.auth.aws_sign_request(request, config).result()
    assert "X-Amz-Expires" not in request.path
    signed = presigned_request(HTTP_ENDPOINT + request.path)
    assert signed.params.expires is None
    signed.verify(now=SIGNED_AT + timedelta(minutes=15))
    assert failure(signed, now=SIGNED_AT + timedelta(minutes=15, seconds=1)).kind is K.PRESIGN_EXPIRED


# --- garbled or foreign authentication ------------------------------------------------------------------


def _sts() -> Signed:
    return capture("sts", "get_caller_identity")


@pytest.mark.parametrize(
    "authorization",
    [
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/sts/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/sts, SignedHeaders=host, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/sts/aws5_request, SignedHeaders=host, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=AKID/2026-11-26/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=AKID/20261399/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=/20261126/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126//sts/aws4_request, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/sts/aws4_request, SignedHeaders=, Signature=a",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/sts/aws4_request, SignedHeaders=ho st, Signature=a",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/sts/aws4_request, Signature=a, Signature=b",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/sts/aws4_request, Bogus=1, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential",
    ],
)
def test_garbled_authorization_is_malformed(authorization: str) -> None:
    request = with_headers(_sts().request, authorization=authorization)
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.kind is K.MALFORMED


@pytest.mark.parametrize(
    "authorization",
    [
        "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
        "AWS4-ECDSA-P256-SHA256 Credential=AKID/20261126/s3/aws4_request, SignedHeaders=host, Signature=ab",
        "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig",
    ],
)
def test_other_schemes_are_unsupported(authorization: str) -> None:
    request = with_headers(_sts().request, authorization=authorization)
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.kind is K.UNSUPPORTED
    assert "AWS4-HMAC-SHA256" in caught.value.message


def test_sigv2_query_auth_is_unsupported() -> None:
    request = with_query(_sts().request, "AWSAccessKeyId=AKID&Expires=1795688869&Signature=abc%3D")
    request = with_headers(request, authorization=None)
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.kind is K.UNSUPPORTED


@pytest.mark.parametrize(
    ("x_amz_date", "date"), [(None, None), ("2026-11-26T10:00:00Z", None), (None, "yesterday")]
)
def test_a_missing_or_unreadable_date_is_refused(x_amz_date: str | None, date: str | None) -> None:
    request = with_headers(_sts().request, x_amz_date=x_amz_date, date=date)
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.kind is K.DATE_INVALID


def test_header_and_query_auth_together_are_malformed() -> None:
    signed = _sts()
    request = with_query(signed.request, "X-Amz-Algorithm=AWS4-HMAC-SHA256")
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.kind is K.MALFORMED


@pytest.mark.parametrize(
    "change",
    [
        lambda q: q.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=HMAC"),
        lambda q: q.replace("X-Amz-Date=20261126T100000Z", "X-Amz-Date=2026-11-26"),
        lambda q: q.replace("X-Amz-Date=20261126T100000Z", "X-Amz-Date=20261127T100000Z"),
        lambda q: q.replace("X-Amz-Expires=3600", "X-Amz-Expires=soon"),
        lambda q: q.replace("&X-Amz-Expires=3600", ""),
        lambda q: q.replace("&X-Amz-SignedHeaders=host", ""),
        lambda q: q.replace("%2Faws4_request", "%2Fother"),
    ],
)
def test_garbled_presigned_query_is_malformed(change: Callable[[str], str]) -> None:
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}))
    request = with_query(signed.request, change(signed.request.query_string))
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.kind is K.MALFORMED
    assert caught.value.presigned
    assert caught.value.to_error("s3").code == "AuthorizationQueryParametersError"


def test_presigned_sigv4a_is_unsupported() -> None:
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}))
    query = signed.request.query_string.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")
    with pytest.raises(AuthFailure) as caught:
        parse_auth(with_query(signed.request, query))
    assert caught.value.kind is K.UNSUPPORTED


@pytest.mark.parametrize(
    "name",
    [
        "X-Amz-Signature",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Algorithm",
        "X-Amz-Security-Token",
        "X-Amz-Content-Sha256",
    ],
)
def test_a_repeated_presigned_auth_parameter_is_refused(name: str) -> None:
    # A second copy after a valid URL: the first one verifies, so only refusing the repeat catches it.
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}, token=TOKEN))
    signed.verify()
    query = signed.request.query_string
    if f"{name}=" not in query:  # boto3 does not presign the payload hash; the JS SDK does
        query += f"&{name}=UNSIGNED-PAYLOAD"
    request = with_query(signed.request, query + f"&{name}=second")
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.kind is K.MALFORMED
    assert name in caught.value.message
    assert caught.value.to_error("s3").code == "AuthorizationQueryParametersError"


def test_a_repeated_signature_in_a_percent_encoded_name_is_refused() -> None:
    signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}))
    request = with_query(signed.request, signed.request.query_string + "&X-Amz-%53ignature=" + "0" * 64)
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.kind is K.MALFORMED


def test_a_repeated_presigned_parameter_is_incomplete_signature_for_sts() -> None:
    signed = presigned_request(presign("sts", "get_caller_identity", {}, http_method="GET"))
    request = with_query(signed.request, signed.request.query_string + "&X-Amz-Signature=" + "0" * 64)
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.to_error("sts").code == "IncompleteSignature"


def test_a_repeated_authorization_header_is_malformed() -> None:
    signed = _sts()
    header = signed.request.headers["authorization"]
    items = [*signed.request.headers.items(), ("authorization", header)]
    request = HttpRequest("POST", signed.request.raw_path, "", Headers(items), Body.of(signed.body))
    with pytest.raises(AuthFailure) as caught:
        parse_auth(request)
    assert caught.value.kind is K.MALFORMED


@pytest.mark.parametrize("presigned", [False, True])
def test_a_credential_scoped_to_another_region_is_refused(presigned: bool) -> None:
    if presigned:
        signed = presigned_request(presign("s3", "get_object", {"Bucket": "b", "Key": "k"}))
    else:
        signed = capture("s3", "get_object", {"Bucket": "b", "Key": "k"})
    check_region(signed.params, {REGION}, REGION)
    with pytest.raises(AuthFailure) as caught:
        check_region(signed.params, {"eu-west-1"}, "eu-west-1")
    failure = caught.value
    assert failure.kind is K.WRONG_REGION
    assert failure.presigned is presigned
    assert failure.message == f"the region '{REGION}' is wrong; expecting 'eu-west-1'"


def test_a_region_in_the_accepted_set_passes() -> None:
    signed = capture("iam", "list_users")
    check_region(signed.params, {"eu-west-1", REGION}, "eu-west-1")


def test_verify_needs_an_aware_clock() -> None:
    signed = _sts()
    with pytest.raises(ValueError, match="timezone"):
        signed.verify(now=SIGNED_AT.replace(tzinfo=None))


# --- garbage in: only ever AuthFailure ---------------------------------------------------------------------

_BASE = capture("sts", "get_caller_identity")
_S3_BASE = capture("s3", "get_object", {"Bucket": "b", "Key": "k"})
_FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_latin1 = st.text(alphabet=st.characters(codec="latin-1"), max_size=200)
_pieces = st.sampled_from(
    [
        "AWS4-HMAC-SHA256",
        " ",
        ",",
        "=",
        "/",
        ";",
        "Credential",
        "SignedHeaders",
        "Signature",
        "AKID",
        "20261126",
        "us-east-1",
        "s3",
        "sts",
        "aws4_request",
        "host",
        "x-amz-date",
        "a" * 64,
        "",
        "\t",
        "AWS4-ECDSA-P256-SHA256",
    ]
)
_structured = st.lists(_pieces, max_size=25).map("".join)
_field = st.one_of(_pieces, st.text(alphabet="abcdefhostxz-0123456789;/ ", max_size=20))
# Well-formed in shape, random in content: these get past parsing into verification.
_shaped = st.builds(
    "AWS4-HMAC-SHA256 Credential={}/{}/{}/{}/aws4_request, SignedHeaders={}, Signature={}".format,
    _field,
    st.sampled_from(["20261126", "20261125", "2026112", "99999999"]),
    _field,
    st.sampled_from(["s3", "sts", "iam", "cognito-idp", ""]),
    st.one_of(_field, st.sampled_from(["host", "host;x-amz-date", "host;x-amz-content-sha256;x-amz-date"])),
    st.one_of(_field, st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)),
)


def _only_auth_failures(request: HttpRequest, body: bytes) -> None:
    try:
        params = parse_auth(request)
        if params is not None:
            verify(request, params, SECRET_KEY, now=SIGNED_AT, body=body)
            pytest.fail("a request that was never signed verified")
    except AuthFailure:
        pass


@_FUZZ
@given(
    authorization=st.one_of(_latin1, _structured, _structured.map(lambda s: "AWS4-HMAC-SHA256 " + s), _shaped)
)
def test_garbage_authorization_headers_only_raise_auth_failure(authorization: str) -> None:
    for base in (_BASE, _S3_BASE):
        _only_auth_failures(with_headers(base.request, authorization=authorization), base.body)


_presign_keys = st.sampled_from(
    [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
        "X-Amz-Security-Token",
        "X-Amz-Content-Sha256",
        "AWSAccessKeyId",
        "Signature",
        "x",
    ]
)
_presign_values = st.one_of(
    _latin1, _structured, st.sampled_from(["AWS4-HMAC-SHA256", "20261126T100000Z", "3600"])
)


@_FUZZ
@given(query=st.dictionaries(_presign_keys, _presign_values, max_size=8), raw=st.booleans())
def test_garbage_query_auth_only_raises_auth_failure(query: dict[str, str], raw: bool) -> None:
    encoded = "&".join(f"{k}={v if raw else quote(v, safe='')}" for k, v in query.items())
    request = with_headers(with_query(_S3_BASE.request, encoded), authorization=None)
    _only_auth_failures(request, b"")


@_FUZZ
@given(x_amz_date=st.one_of(st.none(), _latin1), date=st.one_of(st.none(), _latin1))
def test_garbage_dates_only_raise_auth_failure(x_amz_date: str | None, date: str | None) -> None:
    _only_auth_failures(with_headers(_BASE.request, x_amz_date=x_amz_date, date=date), _BASE.body)
