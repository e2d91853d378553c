"""The same S3 workflow on each database backend (SQLite, PostgreSQL), with a server of its own."""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from tests.support.server import HutchServer


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[HutchServer]:
    hutch = HutchServer(tmp_path / "data", env={"HUTCH_DATABASE_URL": database_url}).start()
    yield hutch
    hutch.stop()


def test_workflow_on_each_backend(server: HutchServer, tmp_path: Path) -> None:
    s3: Any = boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        region_name=server.region,
        config=Config(retries={"max_attempts": 1}, max_pool_connections=16),
        **server.root_credentials(),
    )
    s3.create_bucket(Bucket="backend")
    keys = ["a", "a\x00b", "a/b", "é", "z", "日本/語"]
    for key in keys:
        s3.put_object(Bucket="backend", Key=key, Body=key.encode())
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket="backend")["Contents"]]
    assert listed == sorted(keys, key=lambda k: k.encode("utf-8"))
    # Concurrent overwrites of one key: exactly one wins, nothing is lost or left behind.
    bodies = [os.urandom(100_000) for _ in range(12)]
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        list(pool.map(lambda b: s3.put_object(Bucket="backend", Key="hot", Body=b), bodies))
    final = s3.get_object(Bucket="backend", Key="hot")["Body"].read()
    assert final in bodies
    blobs = [p for p in (server.data_dir / "blobs" / "data").rglob("*") if p.is_file()]
    assert len(blobs) == 1  # the eleven displaced blobs were deleted
    data = os.urandom(11 * 1024 * 1024)
    (tmp_path / "f").write_bytes(data)
    s3.upload_file(
        str(tmp_path / "f"),
        "backend",
        "multi",
        Config=TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20),
    )
    assert (
        hashlib.sha256(s3.get_object(Bucket="backend", Key="multi")["Body"].read()).digest()
        == hashlib.sha256(data).digest()
    )
    for key in [*keys, "hot", "multi"]:
        s3.delete_object(Bucket="backend", Key=key)
    s3.delete_bucket(Bucket="backend")
