"""Durability and resource bounds with a server of our own: kill -9 mid-upload, flat memory, housekeeping."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from tests.support.server import HutchServer

MIB = 1024 * 1024


def client(server: HutchServer, **config: Any) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        region_name=server.region,
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=60, **config),
        **server.root_credentials(),
    )


def blob_files(server: HutchServer) -> list[Path]:
    return [p for p in (server.data_dir / "blobs" / "data").rglob("*") if p.is_file()]


def test_kill_9_during_concurrent_uploads_loses_nothing_acknowledged(tmp_path: Path) -> None:
    server = HutchServer(tmp_path / "crash").start()
    try:
        s3 = client(server)
        s3.create_bucket(Bucket="crash")
        acknowledged: dict[str, str] = {}
        attempted: dict[str, str] = {}
        lock = threading.Lock()
        enough = threading.Event()
        stop = threading.Event()
        sizes = [1024, 100 * 1024, 3 * MIB + 5]

        def upload(worker: int) -> None:
            mine = client(server)
            n = 0
            while not stop.is_set():
                key = f"w{worker}/obj{n}"
                body = os.urandom(sizes[(worker + n) % len(sizes)])
                digest = hashlib.sha256(body).hexdigest()
                with lock:
                    attempted[key] = digest
                try:
                    mine.put_object(Bucket="crash", Key=key, Body=body)
                except (BotoCoreError, ClientError, OSError):
                    return  # the server is gone
                with lock:
                    acknowledged[key] = digest
                    if len(acknowledged) >= 40:
                        enough.set()
                n += 1

        workers = [threading.Thread(target=upload, args=(w,)) for w in range(8)]
        for t in workers:
            t.start()
        assert enough.wait(240), "uploads did not get going"
        server.kill()  # SIGKILL while uploads are in flight
        stop.set()
        for t in workers:
            t.join(120)
        server.start()
        s3 = client(server)
        # No leftover temporary files: the partial uploads were swept at start.
        assert list((server.data_dir / "blobs" / "tmp").iterdir()) == []
        listed = {
            o["Key"]: o["Size"]
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket="crash")
            for o in page.get("Contents", [])
        }
        # Every acknowledged object survived, byte for byte.
        for key, digest in acknowledged.items():
            assert key in listed, f"acknowledged {key} was lost"
            assert hashlib.sha256(s3.get_object(Bucket="crash", Key=key)["Body"].read()).hexdigest() == digest
        # Anything else listed was in flight at the kill, and is complete, never partial.
        for key in set(listed) - set(acknowledged):
            assert key in attempted
            assert (
                hashlib.sha256(s3.get_object(Bucket="crash", Key=key)["Body"].read()).hexdigest()
                == attempted[key]
            )
    finally:
        server.stop()


def peak_rss_kib(server: HutchServer) -> int:
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak RSS from /proc (Linux)")
def test_large_put_and_get_stream_with_flat_memory(tmp_path: Path) -> None:
    server = HutchServer(tmp_path / "mem").start()
    try:
        s3 = client(server)
        signer = client(server, signature_version="s3v4")
        s3.create_bucket(Bucket="mem")
        s3.put_object(Bucket="mem", Key="warm", Body=os.urandom(2 * MIB))  # warm the code paths
        s3.get_object(Bucket="mem", Key="warm")["Body"].read()
        before = peak_rss_kib(server)
        size = 400 * MIB
        block = os.urandom(MIB)

        def body() -> Iterator[bytes]:
            for _ in range(size // MIB):
                yield block

        url = signer.generate_presigned_url("put_object", Params={"Bucket": "mem", "Key": "big"})
        put = httpx.put(url, content=body(), headers={"Content-Length": str(size)}, timeout=600)
        assert put.status_code == 200, put.text
        whole = hashlib.md5()
        for _ in range(size // MIB):
            whole.update(block)
        assert put.headers["etag"] == f'"{whole.hexdigest()}"'
        got = 0
        digest = hashlib.sha256()
        url = signer.generate_presigned_url("get_object", Params={"Bucket": "mem", "Key": "big"})
        with httpx.stream("GET", url, timeout=600) as response:
            for chunk in response.iter_raw(MIB):
                got += len(chunk)
                digest.update(chunk)
        assert got == size
        assert digest.hexdigest() == hashlib.sha256(block * (size // MIB)).hexdigest()
        grown_mib = (peak_rss_kib(server) - before) / 1024
        s3.delete_object(Bucket="mem", Key="big")
        # Buffering the object anywhere would add hundreds of MiB; streaming adds a few blocks.
        assert grown_mib < 48, f"peak RSS grew by {grown_mib:.0f} MiB moving a {size // MIB} MiB object"
    finally:
        server.stop()


def test_abandoned_multipart_uploads_expire_at_the_configured_age(tmp_path: Path) -> None:
    server = HutchServer(tmp_path / "expire").start()
    try:
        s3 = client(server)
        s3.create_bucket(Bucket="mpu")
        upload_id = s3.create_multipart_upload(Bucket="mpu", Key="abandoned")["UploadId"]
        s3.upload_part(
            Bucket="mpu", Key="abandoned", UploadId=upload_id, PartNumber=1, Body=os.urandom(200 * 1024)
        )
        assert len(blob_files(server)) == 1
        server.stop()
        # Restarted with a zero maximum age, the housekeeping pass at start removes it and its parts.
        server.env = {"HUTCH_MULTIPART_MAX_AGE_HOURS": "0"}
        server.start()
        s3 = client(server)
        for _ in range(200):
            if not s3.list_multipart_uploads(Bucket="mpu").get("Uploads"):
                break
            threading.Event().wait(0.1)
        assert s3.list_multipart_uploads(Bucket="mpu").get("Uploads") is None
        assert blob_files(server) == []
    finally:
        server.stop()
