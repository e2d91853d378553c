"""Multipart uploads and parts in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.s3.model import ObjectPart, ObjectRecord, Upload, UploadPart
from hutch.services.s3.store import S3Store
from hutch.services.s3.upload_store import PartChanged, UploadStore


def upload(upload_id: str, key: str = "k", initiated: int = 100) -> Upload:
    return Upload(
        upload_id,
        "bkt",
        key,
        initiated,
        "arn:aws:iam::123456789012:root",
        "123456789012",
        {"ContentType": "text/plain"},
        {"m": "v"},
        (("t", "v"),),
        "CRC32",
        "COMPOSITE",
    )


def part(number: int, blob: str, etag: str = "e") -> UploadPart:
    return UploadPart(number, 5, blob, etag, 200, "AAAAAA==")


def test_upload_round_trip(uploads: UploadStore) -> None:
    up = upload("u1")
    uploads.create(up)
    assert uploads.get("u1") == up
    assert uploads.get("u2") is None


def test_upload_in_missing_bucket_is_no_such_bucket(uploads: UploadStore) -> None:
    with pytest.raises(ServiceError) as err:
        uploads.create(Upload("u1", "nope", "k", 1, "a", "b"))
    assert err.value.code == "NoSuchBucket"


def test_reuploading_a_part_returns_the_old_blob(uploads: UploadStore) -> None:
    uploads.create(upload("u1"))
    assert uploads.put_part("u1", part(1, "1" * 32)) == []
    assert uploads.put_part("u1", part(1, "2" * 32)) == ["1" * 32]
    assert [p.blob_id for p in uploads.parts("u1")] == ["2" * 32]


def test_part_of_unknown_upload_is_no_such_upload(uploads: UploadStore) -> None:
    with pytest.raises(ServiceError) as err:
        uploads.put_part("nope", part(1, "1" * 32))
    assert err.value.code == "NoSuchUpload"


def test_parts_page_by_number(uploads: UploadStore) -> None:
    uploads.create(upload("u1"))
    for n in (3, 1, 2, 10):
        uploads.put_part("u1", part(n, f"{n:032x}"))
    assert [p.number for p in uploads.parts("u1", after=1, limit=2)] == [2, 3]
    assert [p.number for p in uploads.parts("u1", after=3)] == [10]


def test_completing_moves_parts_into_the_object_and_frees_the_rest(
    store: S3Store, uploads: UploadStore
) -> None:
    uploads.create(upload("u1"))
    for n in (1, 2, 3):
        uploads.put_part("u1", part(n, f"{n:032x}"))
    rec = ObjectRecord("bkt", "k", 10, "x-2", 300, None, parts_count=2)
    parts = [ObjectPart(1, 0, 5, f"{1:032x}", "e"), ObjectPart(3, 5, 5, f"{3:032x}", "e")]
    freed = store.put_object(rec, parts, extra=uploads.finish("u1", {1: f"{1:032x}", 3: f"{3:032x}"}))
    assert freed == [f"{2:032x}"]
    assert uploads.get("u1") is None
    assert uploads.parts("u1") == []
    assert store.get_object_and_parts("bkt", "k")[1] == parts


def test_completing_after_a_part_was_replaced_fails_and_changes_nothing(
    store: S3Store, uploads: UploadStore
) -> None:
    uploads.create(upload("u1"))
    uploads.put_part("u1", part(1, "1" * 32))
    step = uploads.finish("u1", {1: "0" * 32})
    with pytest.raises(PartChanged):
        store.put_object(
            ObjectRecord("bkt", "k", 5, "x-1", 1, None, parts_count=1),
            [ObjectPart(1, 0, 5, "0" * 32, "e")],
            extra=step,
        )
    assert store.get_object("bkt", "k") is None
    assert uploads.get("u1") is not None


def test_completing_an_aborted_upload_is_no_such_upload(store: S3Store, uploads: UploadStore) -> None:
    uploads.create(upload("u1"))
    uploads.put_part("u1", part(1, "1" * 32))
    assert uploads.abort("u1") == ["1" * 32]
    assert uploads.abort("u1") is None
    with pytest.raises(ServiceError) as err:
        store.put_object(
            ObjectRecord("bkt", "k", 5, "x-1", 1, None, parts_count=1),
            [ObjectPart(1, 0, 5, "1" * 32, "e")],
            extra=uploads.finish("u1", {1: "1" * 32}),
        )
    assert err.value.code == "NoSuchUpload"


def test_bucket_deletion_takes_unfinished_uploads_with_it(store: S3Store, uploads: UploadStore) -> None:
    uploads.create(upload("u1"))
    uploads.put_part("u1", part(1, "1" * 32))
    assert store.delete_bucket("bkt") == ["1" * 32]
    assert uploads.get("u1") is None


def test_initiated_before_finds_old_uploads(uploads: UploadStore) -> None:
    uploads.create(upload("old", initiated=10))
    uploads.create(upload("new", initiated=1000))
    assert uploads.initiated_before(500) == ["old"]


def test_list_uploads_orders_by_key_then_id_and_pages(uploads: UploadStore) -> None:
    for uid, key in [("01", "a/x"), ("02", "a/x"), ("03", "a/y"), ("04", "b"), ("05", "c/z")]:
        uploads.create(upload(uid, key))
    first = uploads.list_uploads(
        "bkt", prefix=b"", delimiter=None, key_marker=None, upload_id_marker=None, max_uploads=2
    )
    assert [u.upload_id for u in first.uploads] == ["01", "02"]
    assert first.truncated and (first.next_key_marker, first.next_upload_id_marker) == ("a/x", "02")
    second = uploads.list_uploads(
        "bkt", prefix=b"", delimiter=None, key_marker=b"a/x", upload_id_marker="02", max_uploads=2
    )
    assert [u.upload_id for u in second.uploads] == ["03", "04"]


def test_list_uploads_groups_by_delimiter_and_skips_a_prefix_marker(uploads: UploadStore) -> None:
    for uid, key in [("01", "a/x"), ("02", "a/y"), ("03", "b"), ("04", "c/z")]:
        uploads.create(upload(uid, key))
    page = uploads.list_uploads(
        "bkt", prefix=b"", delimiter=b"/", key_marker=None, upload_id_marker=None, max_uploads=10
    )
    assert page.common_prefixes == [b"a/", b"c/"]
    assert [u.key for u in page.uploads] == ["b"]
    after = uploads.list_uploads(
        "bkt", prefix=b"", delimiter=b"/", key_marker=b"a/", upload_id_marker=None, max_uploads=10
    )
    assert after.common_prefixes == [b"c/"]
