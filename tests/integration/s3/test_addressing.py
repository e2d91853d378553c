"""Virtual-hosted-style addressing (bucket.<host>) and S3 over HTTPS with hutch's own CA."""

from __future__ import annotations

import io
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import httpx
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from tests.integration.s3.conftest import unique_bucket
from tests.support.server import HutchServer


class _Raw(io.BytesIO):
    def stream(self, *args: Any, **kwargs: Any) -> Iterator[bytes]:
        yield self.read()


def loopback_client(hutch: HutchServer) -> Any:
    """A boto3 client addressing buckets virtual-host style (http://<bucket>.localhost:PORT/key).

    *.localhost does not resolve here, so requests are delivered to 127.0.0.1 with their Host header intact,
    which is all a DNS entry would do.
    """
    client = boto3.client(
        "s3",
        endpoint_url=f"http://localhost:{hutch.port}",
        region_name=hutch.region,
        config=Config(s3={"addressing_style": "virtual"}, retries={"max_attempts": 1}),
        **hutch.root_credentials(),
    )

    def deliver(request: Any, **_: Any) -> AWSResponse:
        url = urlsplit(request.url)
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        headers["Host"] = url.netloc
        target = f"http://127.0.0.1:{hutch.port}{url.path}" + (f"?{url.query}" if url.query else "")
        response = httpx.request(request.method, target, headers=headers, content=body or b"")
        return AWSResponse(request.url, response.status_code, dict(response.headers), _Raw(response.content))

    client.meta.events.register_first("before-send.s3", deliver)
    return client


def test_virtual_hosted_requests_reach_the_bucket(hutch: HutchServer, s3: Any) -> None:
    vhost = loopback_client(hutch)
    bucket = unique_bucket("vhost")
    s3.create_bucket(Bucket=bucket)
    try:
        put = vhost.put_object(Bucket=bucket, Key="dir/file.txt", Body=b"virtually hosted")
        assert put["ResponseMetadata"]["HTTPHeaders"].get("x-amz-request-id")
        assert vhost.get_object(Bucket=bucket, Key="dir/file.txt")["Body"].read() == b"virtually hosted"
        assert [o["Key"] for o in vhost.list_objects_v2(Bucket=bucket)["Contents"]] == ["dir/file.txt"]
        # Path style sees the same object.
        assert s3.get_object(Bucket=bucket, Key="dir/file.txt")["Body"].read() == b"virtually hosted"
        vhost.delete_object(Bucket=bucket, Key="dir/file.txt")
    finally:
        s3.delete_bucket(Bucket=bucket)


def test_virtual_hosted_cors_headers(hutch: HutchServer, s3: Any) -> None:
    bucket = unique_bucket("vcors")
    s3.create_bucket(Bucket=bucket)
    try:
        s3.put_bucket_cors(
            Bucket=bucket,
            CORSConfiguration={
                "CORSRules": [{"AllowedOrigins": ["https://web.example"], "AllowedMethods": ["GET"]}]
            },
        )
        r = httpx.options(
            f"http://127.0.0.1:{hutch.port}/any/key",
            headers={
                "Host": f"{bucket}.localhost:{hutch.port}",
                "Origin": "https://web.example",
                "Access-Control-Request-Method": "GET",
            },
        )
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://web.example"
        actual = httpx.get(
            f"http://127.0.0.1:{hutch.port}/missing",
            headers={"Host": f"{bucket}.localhost:{hutch.port}", "Origin": "https://web.example"},
        )
        assert actual.headers.get("access-control-allow-origin") == "https://web.example"
    finally:
        s3.delete_bucket_cors(Bucket=bucket)
        s3.delete_bucket(Bucket=bucket)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HutchServer]:
    server = HutchServer(tmp_path_factory.mktemp("hutch-tls"), tls=True).start()
    yield server
    server.stop()


def test_s3_over_https_with_the_generated_ca(tls_server: HutchServer, tmp_path: Path) -> None:
    assert tls_server.ca_bundle is not None
    client = boto3.client(
        "s3",
        endpoint_url=tls_server.endpoint,
        region_name=tls_server.region,
        verify=tls_server.ca_bundle,
        config=Config(retries={"max_attempts": 1}),
        **tls_server.root_credentials(),
    )
    bucket = unique_bucket("tls")
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="secure.txt", Body=b"over TLS")
    assert client.get_object(Bucket=bucket, Key="secure.txt")["Body"].read() == b"over TLS"
    signer = boto3.client(
        "s3",
        endpoint_url=tls_server.endpoint,
        region_name=tls_server.region,
        verify=tls_server.ca_bundle,
        config=Config(signature_version="s3v4"),
        **tls_server.root_credentials(),
    )
    url = signer.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "secure.txt"})
    assert url.startswith("https://")
    assert (
        httpx.get(url, verify=ssl.create_default_context(cafile=tls_server.ca_bundle)).content == b"over TLS"
    )
