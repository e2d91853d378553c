"""Reading objects: which blob pieces a range needs, and reads that survive concurrent replacement."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from hutch.blobs.fs import FsBlobStore
from hutch.blobs.pins import BlobPins
from hutch.services.s3.conditions import ByteRange
from hutch.services.s3.data import ObjectStream, Segment, open_object, segments_for
from hutch.services.s3.model import ObjectPart, ObjectRecord


def multipart(sizes: list[int]) -> tuple[ObjectRecord, list[ObjectPart]]:
    parts, start = [], 0
    for n, size in enumerate(sizes, 1):
        parts.append(ObjectPart(n, start, size, f"{n:032x}", "e"))
        start += size
    return ObjectRecord("b", "k", start, "x-2", 0, None, parts_count=len(sizes)), parts


def test_single_blob_segments() -> None:
    record = ObjectRecord("b", "k", 10, "e", 0, "a" * 32)
    assert segments_for(record, [], None) == [Segment("a" * 32, 0, 10)]
    assert segments_for(record, [], ByteRange(3, 4)) == [Segment("a" * 32, 3, 2)]


def test_range_across_parts_takes_the_right_slices() -> None:
    record, parts = multipart([4, 4, 4])
    assert segments_for(record, parts, ByteRange(2, 9)) == [
        Segment(f"{1:032x}", 2, 2),
        Segment(f"{2:032x}", 0, 4),
        Segment(f"{3:032x}", 0, 2),
    ]
    assert segments_for(record, parts, ByteRange(4, 7)) == [Segment(f"{2:032x}", 0, 4)]
    assert segments_for(record, parts, None) == [Segment(f"{n:032x}", 0, 4) for n in (1, 2, 3)]


def test_empty_object_and_empty_parts_have_no_segments() -> None:
    assert segments_for(ObjectRecord("b", "k", 0, "e", 0, "a" * 32), [], None) == []
    record, parts = multipart([3, 0])
    assert segments_for(record, parts, None) == [Segment(f"{1:032x}", 0, 3)]


@pytest.fixture
def store(tmp_path: Path) -> FsBlobStore:
    return FsBlobStore(tmp_path / "blobs")


def put(store: FsBlobStore, data: bytes) -> str:
    writer = store.writer()
    writer.write(data)
    return writer.commit()


def test_open_object_reads_across_blobs_and_unpins(store: FsBlobStore) -> None:
    pins = BlobPins(store)
    a, b = put(store, b"hello "), put(store, b"world")
    opened = open_object(store, pins, [Segment(a, 0, 6), Segment(b, 0, 5)])
    assert opened is not None
    assert opened.read_all() == b"hello world"
    assert pins.pinned(a)
    opened.close()
    assert not pins.pinned(a)


def test_a_discard_during_a_read_waits_for_the_reader(store: FsBlobStore) -> None:
    pins = BlobPins(store)
    a, b = put(store, b"first part|"), put(store, b"second part")
    opened = open_object(store, pins, [Segment(a, 0, 11), Segment(b, 0, 11)])
    assert opened is not None
    assert opened.read(11) == b"first part|"
    pins.discard([a, b])  # the object was overwritten meanwhile
    assert opened.read(100) == b"second part"  # the second blob was opened after the discard
    opened.close()
    assert not store.exists(a) and not store.exists(b)


def test_open_object_reports_blobs_deleted_before_the_pin(store: FsBlobStore) -> None:
    pins = BlobPins(store)
    a = put(store, b"gone")
    pins.discard([a])
    assert open_object(store, pins, [Segment(a, 0, 4)]) is None
    assert not pins.pinned(a)


def test_object_stream_yields_bounded_chunks_then_releases(store: FsBlobStore) -> None:
    pins = BlobPins(store)
    data = bytes(range(256)) * 100
    a = put(store, data)
    opened = open_object(store, pins, [Segment(a, 100, 20_000)])
    assert opened is not None

    async def drain() -> list[bytes]:
        return [chunk async for chunk in ObjectStream(opened, chunk=4096)]

    chunks = anyio.run(drain)
    assert b"".join(chunks) == data[100:20_100]
    assert max(len(c) for c in chunks) <= 4096
    assert not pins.pinned(a)
