"""Deleting blobs a reader still holds: deferred until the last pin goes, deleted as a whole set."""

from __future__ import annotations

from pathlib import Path

import pytest

from hutch.blobs.fs import FsBlobStore
from hutch.blobs.pins import BlobPins


@pytest.fixture
def store(tmp_path: Path) -> FsBlobStore:
    return FsBlobStore(tmp_path / "blobs")


def _blob(store: FsBlobStore, data: bytes) -> str:
    writer = store.writer()
    writer.write(data)
    return writer.commit()


def test_unpinned_blobs_are_deleted_at_once(store: FsBlobStore) -> None:
    pins = BlobPins(store)
    a, b = _blob(store, b"a"), _blob(store, b"b")
    pins.discard([a, b])
    assert not store.exists(a) and not store.exists(b)


def test_a_pinned_set_waits_for_its_last_reader(store: FsBlobStore) -> None:
    pins = BlobPins(store)
    a, b = _blob(store, b"a"), _blob(store, b"b")
    first = pins.pin([b])
    second = pins.pin([b])
    pins.discard([a, b])
    # Deferred as a whole: even the unpinned member stays, so a reader of the set finds all of it.
    assert store.exists(a) and store.exists(b)
    assert pins.pinned(a)
    pins.unpin(first)
    assert store.exists(a) and store.exists(b)
    pins.unpin(second)
    assert not store.exists(a) and not store.exists(b)
    assert not pins.pinned(a)


def test_unpinning_without_a_pending_delete_keeps_the_blob(store: FsBlobStore) -> None:
    pins = BlobPins(store)
    a = _blob(store, b"a")
    pins.unpin(pins.pin([a]))
    assert store.exists(a)
