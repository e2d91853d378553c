"""Presigned GET and PUT URLs fetched with a plain HTTP client; expiry and tampering."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.support.server import HutchServer


def test_presigned_get_and_put(s3v4: Any, bucket: str) -> None:
    put_url = s3v4.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "up/file.txt"}, ExpiresIn=300
    )
    assert httpx.put(put_url, content=b"sent with a presigned URL").status_code == 200
    get_url = s3v4.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": "up/file.txt"}, ExpiresIn=300
    )
    got = httpx.get(get_url)
    assert got.status_code == 200 and got.content == b"sent with a presigned URL"
    ranged = httpx.get(get_url, headers={"Range": "bytes=0-3"})
    assert ranged.status_code == 206 and ranged.content == b"sent"


def test_presigned_get_with_response_overrides(s3v4: Any, bucket: str) -> None:
    s3v4.put_object(Bucket=bucket, Key="doc.pdf", Body=b"%PDF")
    url = s3v4.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket,
            "Key": "doc.pdf",
            "ResponseContentDisposition": 'attachment; filename="x.pdf"',
        },
    )
    assert httpx.get(url).headers["content-disposition"] == 'attachment; filename="x.pdf"'


def test_expired_presigned_url_is_refused(s3v4: Any, bucket: str) -> None:
    s3v4.put_object(Bucket=bucket, Key="soon", Body=b"x")
    url = s3v4.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "soon"}, ExpiresIn=1)
    time.sleep(2.5)
    response = httpx.get(url)
    assert response.status_code == 403
    assert b"<Code>AccessDenied</Code>" in response.content and b"expired" in response.content


def test_tampered_presigned_url_is_refused(s3v4: Any, bucket: str, hutch: HutchServer) -> None:
    s3v4.put_object(Bucket=bucket, Key="a", Body=b"a")
    s3v4.put_object(Bucket=bucket, Key="b", Body=b"b")
    url = s3v4.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "a"})
    response = httpx.get(url.replace(f"/{bucket}/a?", f"/{bucket}/b?"))
    assert response.status_code == 403 and b"SignatureDoesNotMatch" in response.content


def test_presigned_put_body_lands_byte_for_byte(s3v4: Any, bucket: str) -> None:
    payload = bytes(range(256)) * 4000
    url = s3v4.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "bin"})
    assert httpx.put(url, content=payload).status_code == 200
    assert s3v4.get_object(Bucket=bucket, Key="bin")["Body"].read() == payload
