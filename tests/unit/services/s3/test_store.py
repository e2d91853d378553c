"""Buckets and objects in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from hutch.errors import ServiceError
from hutch.services.s3.conditions import check_write
from hutch.services.s3.listing import start_cursor
from hutch.services.s3.model import Bucket, ObjectPart, ObjectRecord, StoredChecksum
from hutch.services.s3.store import S3Store


def record(key: str, blob: str = "a" * 32, **kw: object) -> ObjectRecord:
    base = ObjectRecord(
        bucket="bkt",
        key=key,
        size=3,
        etag="e" * 32,
        last_modified=1_700_000_100,
        blob_id=blob,
        headers={"ContentType": "text/plain"},
        meta={"colour": "blue"},
        tags=(("t", "1"),),
        checksum=StoredChecksum("CRC32", "AAAAAA=="),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_bucket_create_is_idempotent_and_reports_the_existing_one(store: S3Store) -> None:
    existing = store.create_bucket(Bucket("bkt", "eu-west-1", "999999999999", 1))
    assert existing is not None and existing.owner == "123456789012" and existing.region == "us-east-1"
    assert [b.name for b in store.list_buckets(None, None, 10)] == ["bkt"]


def test_list_buckets_pages_by_name_and_prefix(store: S3Store) -> None:
    for name in ("alpha", "beta", "bravo"):
        store.create_bucket(Bucket(name, "us-east-1", "123456789012", 1))
    assert [b.name for b in store.list_buckets(None, "alpha", 2)] == ["beta", "bkt"]
    assert [b.name for b in store.list_buckets("b", None, 10)] == ["beta", "bkt", "bravo"]


def test_object_round_trip_keeps_every_field(store: S3Store) -> None:
    rec = record("dir/file.txt")
    assert store.put_object(rec) == []
    got, parts = store.get_object_and_parts("bkt", "dir/file.txt")
    assert got == rec and parts == []
    assert store.get_object("bkt", "missing") is None


def test_overwrite_returns_the_displaced_blobs(store: S3Store) -> None:
    store.put_object(record("k", "1" * 32))
    assert store.put_object(record("k", "2" * 32)) == ["1" * 32]
    got = store.get_object("bkt", "k")
    assert got is not None and got.blob_id == "2" * 32


def test_replacing_a_multipart_object_frees_every_part_blob(store: S3Store) -> None:
    parts = [ObjectPart(1, 0, 2, "1" * 32, "p1"), ObjectPart(2, 2, 1, "2" * 32, "p2")]
    store.put_object(record("mp", None, parts_count=2), parts)
    got, stored = store.get_object_and_parts("bkt", "mp")
    assert got is not None and got.parts_count == 2 and stored == parts
    assert sorted(store.put_object(record("mp", "3" * 32))) == ["1" * 32, "2" * 32]
    assert store.get_object_and_parts("bkt", "mp")[1] == []


def test_precondition_runs_inside_the_write(store: S3Store) -> None:
    store.put_object(record("k"))
    with pytest.raises(ServiceError) as err:
        store.put_object(record("k", "9" * 32), precondition=lambda cur: check_write(cur, None, "*"))
    assert err.value.code == "PreconditionFailed"
    got = store.get_object("bkt", "k")
    assert got is not None and got.blob_id == "a" * 32


def test_object_in_a_missing_bucket_is_no_such_bucket(store: S3Store) -> None:
    with pytest.raises(ServiceError) as err:
        store.put_object(replace(record("k"), bucket="nope"))
    assert err.value.code == "NoSuchBucket"


def test_delete_object_and_delete_objects_return_freed_blobs(store: S3Store) -> None:
    store.put_object(record("a", "1" * 32))
    store.put_object(record("b", "2" * 32))
    assert store.delete_object("bkt", "a") == ["1" * 32]
    assert store.delete_object("bkt", "a") == []
    assert store.delete_objects("bkt", ["b", "never"]) == ["2" * 32]
    assert store.get_object("bkt", "b") is None


def test_bucket_with_objects_is_not_empty(store: S3Store) -> None:
    store.put_object(record("k"))
    with pytest.raises(ServiceError) as err:
        store.delete_bucket("bkt")
    assert err.value.code == "BucketNotEmpty"
    store.delete_object("bkt", "k")
    assert store.delete_bucket("bkt") == []
    assert store.get_bucket("bkt") is None
    with pytest.raises(ServiceError) as missing:
        store.delete_bucket("bkt")
    assert missing.value.code == "NoSuchBucket"


def test_policy_and_cors_are_stored_on_the_bucket(store: S3Store) -> None:
    assert store.set_bucket_policy("bkt", '{"Statement": []}')
    assert store.set_bucket_cors("bkt", "[]")
    bucket = store.get_bucket("bkt")
    assert bucket is not None and bucket.policy == '{"Statement": []}' and bucket.cors == "[]"
    assert not store.set_bucket_policy("nope", None)


def test_tags_replace_and_clear(store: S3Store) -> None:
    store.put_object(record("k"))
    assert store.set_tags("bkt", "k", [("a", "b"), ("c", "")]) is not None
    got = store.get_object("bkt", "k")
    assert got is not None and got.tags == (("a", "b"), ("c", ""))
    store.set_tags("bkt", "k", None)
    got = store.get_object("bkt", "k")
    assert got is not None and got.tags == ()
    assert store.set_tags("bkt", "missing", []) is None


HOSTILE = ["a", "a\x00b", "a/b", "a\U0001f600", "é", "z", "../../etc/passwd", "/abs", "a" * 1024]


def test_listing_is_in_utf8_byte_order_for_any_key(store: S3Store) -> None:
    for n, key in enumerate(HOSTILE):
        store.put_object(record(key, f"{n:032x}"))
    page = store.list_objects("bkt", prefix=b"", delimiter=None, cursor=None, max_keys=1000)
    assert [r.key for r in page.entries] == sorted(HOSTILE, key=lambda k: k.encode("utf-8"))


def test_listing_with_prefix_and_delimiter_pages(store: S3Store) -> None:
    keys = ["photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg", "photos/top.jpg", "photosx", "zz"]
    for n, key in enumerate(keys):
        store.put_object(record(key, f"{n:032x}"))
    page = store.list_objects(
        "bkt", prefix=b"photos/", delimiter=b"/", cursor=start_cursor(b"photos/", b"/", None), max_keys=2
    )
    assert page.common_prefixes == [b"photos/2024/", b"photos/2025/"]
    assert page.truncated and page.next_cursor is not None
    rest = store.list_objects("bkt", prefix=b"photos/", delimiter=b"/", cursor=page.next_cursor, max_keys=2)
    assert [r.key for r in rest.entries] == ["photos/top.jpg"]
    assert not rest.truncated


def test_referenced_blobs_cover_objects_parts_and_upload_parts(store: S3Store) -> None:
    store.put_object(record("single", "1" * 32))
    store.put_object(record("mp", None, parts_count=1), [ObjectPart(1, 0, 3, "2" * 32, "p")])
    assert store.referenced_blobs(["1" * 32, "2" * 32, "3" * 32]) == {"1" * 32, "2" * 32}
    assert store.referenced_blobs([]) == set()


def test_concurrent_overwrites_displace_every_blob_exactly_once(store: S3Store) -> None:
    blobs = [f"{n:032x}" for n in range(16)]
    displaced: list[str] = []
    lock = threading.Lock()

    def put(blob: str) -> None:
        freed = store.put_object(record("hot", blob))
        with lock:
            displaced.extend(freed)

    threads = [threading.Thread(target=put, args=(b,)) for b in blobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = store.get_object("bkt", "hot")
    assert final is not None
    assert sorted([*displaced, final.blob_id]) == sorted(blobs)  # no blob leaked, none freed twice


def test_inline_object_bytes_round_trip_and_are_replaced_with_the_object(store: S3Store) -> None:
    store.put_object(record("small", None, inline=b"tiny bytes"))
    got = store.get_object("bkt", "small")
    assert got is not None and got.inline == b"tiny bytes" and got.blob_id is None
    # Replacing an inline object frees no blob; replacing it with a blob-backed one drops the inline bytes.
    assert store.put_object(record("small", None, inline=b"other")) == []
    assert store.put_object(record("small", "7" * 32)) == []
    got = store.get_object("bkt", "small")
    assert got is not None and got.inline is None and got.blob_id == "7" * 32
    assert store.put_object(record("small", None, inline=b"")) == ["7" * 32]
    got = store.get_object("bkt", "small")
    assert got is not None and got.inline == b""
    assert store.delete_object("bkt", "small") == []
    assert store.get_object("bkt", "small") is None


@pytest.mark.parametrize(("inclusive", "bounded"), [(False, False), (False, True), (True, True)])
def test_sqlite_listing_seeks_the_primary_key_and_never_sorts(
    store: S3Store, inclusive: bool, bounded: bool
) -> None:
    """Keyset pages stay flat at any bucket size: an index seek in key order, no scan, no sort."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip(reason="EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by table statistics")
    from hutch.services.s3 import statements

    query = statements.LIST_OBJECTS[(inclusive, bounded)]
    params = {"b_bucket": "bkt", "b_after": b"a", "b_upper": b"b", "b_limit": 10}
    compiled = query.compile(dialect=store.engine.dialect)
    values = compiled.construct_params(params)
    args = tuple(values[name] for name in compiled.positiontup or ())
    with store.engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", args))
    assert "SEARCH" in plan and ("PRIMARY KEY" in plan or "sqlite_autoindex_s3_objects" in plan), plan
    assert "TEMP B-TREE" not in plan, plan
