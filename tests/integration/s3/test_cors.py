"""CORS: browser preflights answered from the bucket's rules, and Access-Control-* on actual responses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.server import HutchServer

ORIGIN = "https://app.example.com"


@pytest.fixture
def cors_bucket(s3: Any, bucket: str) -> str:
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": [ORIGIN],
                    "AllowedMethods": ["GET", "PUT", "HEAD"],
                    "AllowedHeaders": ["content-type", "x-amz-*", "authorization"],
                    "ExposeHeaders": ["ETag", "x-amz-request-id"],
                    "MaxAgeSeconds": 600,
                }
            ]
        },
    )
    return bucket


def preflight(hutch: HutchServer, path: str, **headers: str) -> httpx.Response:
    return httpx.options(f"{hutch.endpoint}{path}", headers=headers)


def test_allowed_preflight(hutch: HutchServer, cors_bucket: str) -> None:
    r = preflight(
        hutch,
        f"/{cors_bucket}/uploads/photo.jpg",
        Origin=ORIGIN,
        **{
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "Content-Type, X-Amz-Date, Authorization",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == ORIGIN
    assert "PUT" in r.headers["access-control-allow-methods"]
    assert r.headers["access-control-allow-headers"] == "content-type, x-amz-date, authorization"
    assert r.headers["access-control-max-age"] == "600"
    assert r.headers["access-control-expose-headers"] == "ETag, x-amz-request-id"
    assert "Origin" in r.headers["vary"]


@pytest.mark.parametrize(
    ("origin", "method", "headers"),
    [
        ("https://evil.example", "PUT", ""),
        (ORIGIN, "DELETE", ""),
        (ORIGIN, "PUT", "x-custom-header"),
    ],
)
def test_refused_preflight_is_s3s_cors_response(
    hutch: HutchServer, cors_bucket: str, origin: str, method: str, headers: str
) -> None:
    extra = {"Access-Control-Request-Headers": headers} if headers else {}
    r = preflight(
        hutch, f"/{cors_bucket}/k", Origin=origin, **{"Access-Control-Request-Method": method}, **extra
    )
    assert r.status_code == 403
    assert b"<Code>CORSResponse</Code>" in r.content
    assert b"This CORS request is not allowed" in r.content
    assert "access-control-allow-origin" not in r.headers


def test_preflight_without_cors_configuration(hutch: HutchServer, bucket: str) -> None:
    r = preflight(hutch, f"/{bucket}/k", Origin=ORIGIN, **{"Access-Control-Request-Method": "GET"})
    assert r.status_code == 403 and b"CORS is not enabled for this bucket" in r.content


def test_preflight_without_origin_is_bad_request(hutch: HutchServer, cors_bucket: str) -> None:
    r = preflight(hutch, f"/{cors_bucket}/k", **{"Access-Control-Request-Method": "GET"})
    assert r.status_code == 400


def test_actual_responses_carry_cors_headers_for_matching_origins(
    hutch: HutchServer, s3: Any, cors_bucket: str
) -> None:
    s3.put_bucket_policy(
        Bucket=cors_bucket,
        Policy=f'{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{cors_bucket}/*"}}]}}',
    )
    s3.put_object(Bucket=cors_bucket, Key="pic", Body=b"img")
    allowed = httpx.get(f"{hutch.endpoint}/{cors_bucket}/pic", headers={"Origin": ORIGIN})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert allowed.headers["access-control-expose-headers"] == "ETag, x-amz-request-id"
    other = httpx.get(f"{hutch.endpoint}/{cors_bucket}/pic", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    denied = httpx.get(f"{hutch.endpoint}/{cors_bucket}/missing-and-denied", headers={"Origin": ORIGIN})
    # Errors carry CORS headers too, so a browser app can read S3's error.
    assert denied.headers.get("access-control-allow-origin") == ORIGIN


@pytest.mark.parametrize("base", ["localhost", "s3.localhost"])
def test_virtual_hosted_responses_carry_the_buckets_cors_headers(
    hutch: HutchServer, s3: Any, cors_bucket: str, base: str
) -> None:
    s3.put_bucket_policy(
        Bucket=cors_bucket,
        Policy=f'{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{cors_bucket}/*"}}]}}',
    )
    s3.put_object(Bucket=cors_bucket, Key="pic", Body=b"img")
    got = httpx.get(
        f"{hutch.endpoint}/pic", headers={"Origin": ORIGIN, "Host": f"{cors_bucket}.{base}:{hutch.port}"}
    )
    assert got.status_code == 200 and got.content == b"img"
    assert got.headers["access-control-allow-origin"] == ORIGIN
