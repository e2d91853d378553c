"""Fixtures for S3 against a live hutch: clients (root, presigning, anonymous), a fresh bucket per test."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from tests.support.server import HutchServer

_counter = itertools.count(1)


def unique_bucket(prefix: str = "bkt") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}-{next(_counter)}"


def empty_bucket(s3: Any, bucket: str) -> None:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
    for up in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=bucket, Key=up["Key"], UploadId=up["UploadId"])


@pytest.fixture(scope="module")
def s3(client_factory: Any) -> Any:
    return client_factory("s3")


@pytest.fixture(scope="module")
def s3v4(hutch: HutchServer) -> Any:
    """A root client whose presigned URLs use SigV4 (botocore presigns SigV2 by default for us-east-1)."""
    return boto3.client(
        "s3",
        endpoint_url=hutch.endpoint,
        region_name=hutch.region,
        config=Config(signature_version="s3v4", retries={"max_attempts": 1}),
        **hutch.root_credentials(),
    )


@pytest.fixture(scope="module")
def anonymous(hutch: HutchServer) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=hutch.endpoint,
        region_name=hutch.region,
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}),
    )


@pytest.fixture
def bucket(s3: Any) -> Iterator[str]:
    name = unique_bucket()
    s3.create_bucket(Bucket=name)
    yield name
    empty_bucket(s3, name)
    s3.delete_bucket(Bucket=name)


@pytest.fixture(scope="module")
def hutch_data_dir(hutch: HutchServer) -> Any:
    return hutch.data_dir


@pytest.fixture(scope="module")
def raw_put(hutch: HutchServer) -> Any:
    """PUT an object signed by botocore but sent without any checksum header (a plain, older client)."""
    import httpx
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    creds = hutch.root_credentials()
    credentials = Credentials(creds["aws_access_key_id"], creds["aws_secret_access_key"])

    def put(bucket: str, key: str, body: bytes) -> httpx.Response:
        url = f"{hutch.endpoint}/{bucket}/{key}"
        request = AWSRequest(
            method="PUT", url=url, data=body, headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}
        )
        S3SigV4Auth(credentials, "s3", hutch.region).add_auth(request)
        response = httpx.put(url, content=body, headers=dict(request.headers.items()))
        assert response.status_code == 200, response.text
        return response

    return put
