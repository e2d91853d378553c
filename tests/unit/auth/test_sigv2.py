"""SigV2 (S3 only): botocore's HmacV1Auth / HmacV1QueryAuth and boto3's default presigned URLs are the oracle."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from unittest import mock

import boto3
import pytest
from botocore.auth import HmacV1Auth, HmacV1QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.auth.sigv2 import V2Params, parse_auth_v2, verify_v2

from .oracle import ACCESS_KEY, SECRET_KEY, wire_request

ENDPOINT = "http://127.0.0.1:4577"


def header_signed(method: str, path: str, headers: dict[str, str] | None = None, token: str | None = None):
    req = AWSRequest(method=method, url=ENDPOINT + path, headers=dict(headers or {}))
    HmacV1Auth(Credentials(ACCESS_KEY, SECRET_KEY, token)).add_auth(req)
    return wire_request(req.method, req.url, req.headers)


def check(request, secret: str = SECRET_KEY, now: datetime | None = None):
    params = parse_auth_v2(request)
    assert isinstance(params, V2Params)
    return verify_v2(
        request, params, secret, now=now or datetime.now(UTC), path_style_raw_path=request.raw_path
    )


@pytest.mark.parametrize(
    "path",
    [
        "/bucket/key",
        "/bucket/a%20b/c%2Bd%C3%A9.txt",
        "/bucket?uploads",
        "/bucket/k?uploadId=abc&partNumber=2",
        "/bucket/k?tagging",
        "/bucket?list-type=2&prefix=a%2Fb",
    ],
)
def test_header_signatures_from_botocore_verify(path: str) -> None:
    auth = check(header_signed("GET", path, {"x-amz-meta-Color": " blue ", "Content-Type": "text/plain"}))
    assert auth.access_key_id == ACCESS_KEY and auth.service == "s3" and not auth.presigned


def test_wrong_secret_is_signature_mismatch() -> None:
    with pytest.raises(AuthFailure) as err:
        check(header_signed("PUT", "/bucket/key"), secret="another secret")
    assert err.value.kind is AuthFailureKind.SIGNATURE_MISMATCH


def test_tampered_subresource_or_header_fails() -> None:
    signed = header_signed("GET", "/bucket/key?versionId=1", {"x-amz-meta-a": "1"})
    tampered = wire_request("GET", ENDPOINT + "/bucket/key?versionId=2", dict(signed.headers.items()))
    with pytest.raises(AuthFailure):
        check(tampered)
    headers = dict(signed.headers.items())
    headers["x-amz-meta-a"] = "2"
    with pytest.raises(AuthFailure):
        check(wire_request("GET", ENDPOINT + "/bucket/key?versionId=1", headers))


def test_session_token_is_signed_and_reported() -> None:
    auth = check(header_signed("GET", "/bucket/key", token="tok3n"))
    assert auth.security_token == "tok3n"


def test_header_auth_outside_fifteen_minutes_is_skew() -> None:
    req = AWSRequest(method="GET", url=ENDPOINT + "/bucket/key")
    with mock.patch.object(HmacV1Auth, "_get_date", lambda self: formatdate(time.time() - 3600, usegmt=True)):
        HmacV1Auth(Credentials(ACCESS_KEY, SECRET_KEY)).add_auth(req)
    with pytest.raises(AuthFailure) as err:
        check(wire_request("GET", req.url, req.headers))
    assert err.value.kind is AuthFailureKind.SKEW


def test_boto3_default_presigned_url_verifies_until_it_expires() -> None:
    s3 = boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "bucket", "Key": "dir/a b.txt"}, ExpiresIn=60
    )
    assert "AWSAccessKeyId=" in url  # boto3's default for S3 presigning is still SigV2
    request = wire_request("GET", url)
    auth = check(request)
    assert auth.presigned
    with pytest.raises(AuthFailure) as err:
        check(request, now=datetime.now(UTC) + timedelta(seconds=120))
    assert err.value.kind is AuthFailureKind.PRESIGN_EXPIRED


def test_presigned_put_with_session_token_and_content_type() -> None:
    s3 = boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token="sess",
    )
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": "b", "Key": "k", "ContentType": "image/png"}
    )
    auth = check(wire_request("PUT", url, {"Content-Type": "image/png"}))
    assert auth.security_token == "sess"
    with pytest.raises(AuthFailure):
        check(wire_request("PUT", url, {"Content-Type": "text/html"}))


def test_presigned_url_valid_beyond_seven_days_is_refused() -> None:
    req = AWSRequest(method="GET", url=ENDPOINT + "/b/k")
    HmacV1QueryAuth(Credentials(ACCESS_KEY, SECRET_KEY), expires=8 * 86400).add_auth(req)
    with pytest.raises(AuthFailure) as err:
        check(wire_request("GET", req.url))
    assert err.value.kind is AuthFailureKind.PRESIGN_TOO_LONG


@pytest.mark.parametrize(
    "header",
    ["AWS ", "AWS nocolon", "AWS :sig", "AWS key:"],
)
def test_garbled_v2_header_is_malformed(header: str) -> None:
    with pytest.raises(AuthFailure) as err:
        parse_auth_v2(wire_request("GET", ENDPOINT + "/b/k", {"Authorization": header}))
    assert err.value.kind is AuthFailureKind.MALFORMED


def test_v4_and_unsigned_requests_are_not_v2() -> None:
    assert parse_auth_v2(wire_request("GET", ENDPOINT + "/b/k")) is None
    assert (
        parse_auth_v2(wire_request("GET", ENDPOINT + "/b/k", {"Authorization": "AWS4-HMAC-SHA256 x"})) is None
    )
