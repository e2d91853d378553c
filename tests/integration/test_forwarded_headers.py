"""X-Forwarded-For / X-Forwarded-Proto decide aws:SourceIp and aws:SecureTransport only from trusted proxies.

A bucket lets anyone read, but only over HTTPS from 203.0.113.0/24. Over plain HTTP from 127.0.0.1, a
client that claims otherwise in forwarded headers is still refused unless the server was told to trust the
proxy it connects from (--trusted-proxies / HUTCH_TRUSTED_PROXIES).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import httpx
import pytest

from tests.support.server import HutchServer

CLAIMED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


def _root_s3(server: HutchServer) -> Any:
    return boto3.client(
        "s3", endpoint_url=server.endpoint, region_name=server.region, **server.root_credentials()
    )


@contextmanager
def _guarded_object(server: HutchServer) -> Iterator[str]:
    """A bucket + object readable only over HTTPS from 203.0.113.0/24; yields the object's URL."""
    s3 = _root_s3(server)
    bucket = f"fwd-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="doc.txt", Body=b"hello")
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": {
            "Bool": {"aws:SecureTransport": "true"},
            "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
        },
    }
    s3.put_bucket_policy(
        Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    )
    try:
        yield f"{server.endpoint}/{bucket}/doc.txt"
    finally:
        s3.delete_object(Bucket=bucket, Key="doc.txt")
        s3.delete_bucket(Bucket=bucket)


def _explained_context(server: HutchServer, request_id: str) -> dict[str, Any]:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    creds = server.root_credentials()
    request = AWSRequest(method="GET", url=f"{server.endpoint}/_hutch/explain/{request_id}")
    SigV4Auth(
        Credentials(creds["aws_access_key_id"], creds["aws_secret_access_key"]), "sts", server.region
    ).add_auth(request)
    answer = httpx.get(request.url, headers=dict(request.headers.items()))
    assert answer.status_code == 200, answer.text
    record: dict[str, Any] = answer.json()
    return record


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HutchServer]:
    server = HutchServer(
        tmp_path_factory.mktemp("proxied"), extra_args=["--trusted-proxies", "127.0.0.1,::1"]
    ).start()
    yield server
    server.stop()


def test_forwarded_headers_from_an_untrusted_client_change_nothing(hutch: HutchServer) -> None:
    with _guarded_object(hutch) as url:
        claimed = httpx.get(url, headers=CLAIMED)

    assert claimed.status_code == 403
    assert "<Code>AccessDenied</Code>" in claimed.text
    context = json.dumps(_explained_context(hutch, claimed.headers["x-amz-request-id"]))
    assert '"aws:SecureTransport": "false"' in context
    assert '"aws:SourceIp": "127.0.0.1"' in context
    assert "203.0.113.7" not in context


def test_a_trusted_proxy_forwards_the_client_address_and_scheme(behind_proxy: HutchServer) -> None:
    with _guarded_object(behind_proxy) as url:
        plain = httpx.get(url)  # the proxy itself, over HTTP, claims nothing
        forwarded = httpx.get(url, headers=CLAIMED)
        other_network = httpx.get(url, headers={**CLAIMED, "X-Forwarded-For": "198.51.100.1"})

    assert plain.status_code == 403
    assert forwarded.status_code == 200
    assert forwarded.content == b"hello"
    assert other_network.status_code == 403
