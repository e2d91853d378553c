"""The S3 service object: CORS for the pipeline, abandoned-upload expiry, orphan blob collection."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hutch.config import Config
from hutch.runtime import Runtime
from hutch.services.s3 import cors
from hutch.services.s3.model import Bucket, ObjectRecord, Upload, UploadPart
from hutch.services.s3.service import S3Service
from hutch.wire.http import Body, Headers, HttpRequest, HttpResponse


@pytest.fixture
def rt(tmp_path: Path) -> Iterator[Runtime]:
    runtime = Runtime(Config(data_dir=tmp_path / "data"))
    yield runtime
    runtime.close()


@pytest.fixture
def svc(rt: Runtime) -> S3Service:
    service: S3Service = rt.services["s3"]
    service.store.create_bucket(Bucket("site", rt.region, rt.account_id, 1))
    rules = [
        {
            "AllowedOrigins": ["https://app.example"],
            "AllowedMethods": ["GET", "PUT"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
        }
    ]
    service.store.set_bucket_cors("site", cors.dump(rules))
    return service


def request(method: str, path: str, host: str = "127.0.0.1:4577", **headers: str) -> HttpRequest:
    items = [("host", host), *((k.replace("_", "-"), v) for k, v in headers.items())]
    return HttpRequest(method, path, "", Headers(items), Body.of(b""))


def test_preflight_answers_from_the_rules(svc: S3Service) -> None:
    ok = svc.cors_preflight(
        request(
            "OPTIONS", "/site/a/b.txt", origin="https://app.example", access_control_request_method="PUT"
        ),
        "rid",
    )
    assert ok.status == 200 and ok.header("Access-Control-Allow-Origin") == "https://app.example"
    refused = svc.cors_preflight(
        request("OPTIONS", "/site/a", origin="https://evil.example", access_control_request_method="PUT"),
        "rid",
    )
    assert refused.status == 403 and b"CORSResponse" in bytes(refused.body)  # type: ignore[arg-type]
    missing = svc.cors_preflight(
        request("OPTIONS", "/nobucket/a", origin="https://app.example", access_control_request_method="GET"),
        "rid",
    )
    assert missing.status == 404


def test_actual_response_headers_by_path_or_virtual_host(svc: S3Service) -> None:
    path_style = HttpResponse(200)
    svc.add_cors_headers(request("GET", "/site/x", origin="https://app.example"), path_style)
    assert path_style.header("Access-Control-Allow-Origin") == "https://app.example"
    assert path_style.header("Access-Control-Expose-Headers") == "ETag"
    virtual = HttpResponse(200)
    svc.add_cors_headers(
        request("GET", "/x", host="site.localhost:4577", origin="https://app.example"), virtual
    )
    assert virtual.header("Access-Control-Allow-Origin") == "https://app.example"
    other = HttpResponse(200)
    svc.add_cors_headers(request("DELETE", "/site/x", origin="https://app.example"), other)
    assert other.header("Access-Control-Allow-Origin") is None


def test_bucket_cache_is_dropped_when_this_node_changes_the_bucket(svc: S3Service) -> None:
    assert svc.bucket("site").policy is None
    svc.store.set_bucket_policy("site", '{"x": 1}')
    svc.forget_bucket("site")
    assert svc.bucket("site").policy == '{"x": 1}'


def _part_blob(svc: S3Service, data: bytes) -> str:
    writer = svc.blobs.writer()
    writer.write(data)
    return writer.commit()


def test_expire_uploads_removes_old_uploads_and_their_parts(
    svc: S3Service, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)
    old, fresh = _part_blob(svc, b"old part"), _part_blob(svc, b"fresh part")
    svc.uploads.create(Upload("old", "site", "k", int((now - timedelta(days=8)).timestamp()), "arn", "id"))
    svc.uploads.create(Upload("fresh", "site", "k", int(now.timestamp()), "arn", "id"))
    svc.uploads.put_part("old", UploadPart(1, 8, old, "e", 0))
    svc.uploads.put_part("fresh", UploadPart(1, 10, fresh, "e", 0))
    assert svc.expire_uploads() == 1
    assert svc.uploads.get("old") is None and svc.uploads.get("fresh") is not None
    assert not svc.blobs.exists(old) and svc.blobs.exists(fresh)
    # Time moves on: the fresh one goes too.
    monkeypatch.setattr(rt, "now", lambda: now + timedelta(days=8))
    assert svc.expire_uploads() == 1
    assert not svc.blobs.exists(fresh)


def test_max_age_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HUTCH_MULTIPART_MAX_AGE_HOURS", "2")
    runtime = Runtime(Config(data_dir=tmp_path / "env"))
    try:
        assert runtime.services["s3"].multipart_max_age == 7200
    finally:
        runtime.close()


def test_collect_orphans_deletes_only_old_unreferenced_blobs(svc: S3Service) -> None:
    kept = _part_blob(svc, b"object bytes")
    svc.store.put_object(ObjectRecord("site", "k", 12, "e", 1, kept))
    orphan = _part_blob(svc, b"crashed before its metadata committed")
    young = _part_blob(svc, b"still being committed")
    past = time.time() - 7200
    for blob_id in (kept, orphan):
        os.utime(svc.blobs.path_for(blob_id), (past, past))  # type: ignore[attr-defined]
    assert svc.collect_orphans(grace_seconds=3600) == 1
    assert svc.blobs.exists(kept) and svc.blobs.exists(young)
    assert not svc.blobs.exists(orphan)


def test_start_sweeps_temporary_files(tmp_path: Path) -> None:
    first = Runtime(Config(data_dir=tmp_path / "sweep"))
    writer = first.services["s3"].blobs.writer()
    writer.write(b"half an upload")  # never committed: a crash
    first.close()
    second = Runtime(Config(data_dir=tmp_path / "sweep"))
    try:
        assert list((tmp_path / "sweep" / "blobs" / "tmp").iterdir()) == []
    finally:
        second.close()
