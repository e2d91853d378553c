"""The local-file blob store: invisible until committed, durable names, reads that survive deletes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from hutch.blobs import BLOB_ID, BlobNotFound, open_blob_store
from hutch.blobs.fs import FsBlobStore


@pytest.fixture
def store(tmp_path: Path) -> FsBlobStore:
    return FsBlobStore(tmp_path / "blobs")


def _committed_files(store: FsBlobStore) -> list[Path]:
    return [p for p in store.data_dir.rglob("*") if p.is_file()]


def test_committed_blob_reads_back_byte_identical(store: FsBlobStore) -> None:
    writer = store.writer()
    writer.write(b"hello ")
    writer.write(memoryview(b"world"))
    assert writer.size == 11
    blob_id = writer.commit()
    assert BLOB_ID.match(blob_id)
    reader = store.open(blob_id)
    assert reader.size == 11
    assert reader.read(0, 100) == b"hello world"
    assert reader.read(6, 3) == b"wor"
    assert reader.read(11, 5) == b""
    reader.close()


def test_uncommitted_bytes_are_invisible_and_abort_leaves_nothing(store: FsBlobStore) -> None:
    writer = store.writer()
    writer.write(b"partial")
    assert _committed_files(store) == []
    writer.abort()
    assert list(store.tmp_dir.iterdir()) == []
    assert _committed_files(store) == []


def test_blob_path_comes_from_the_random_id_only(store: FsBlobStore) -> None:
    writer = store.writer()
    writer.write(b"x")
    blob_id = writer.commit()
    (path,) = _committed_files(store)
    assert path.name == blob_id
    assert path.parent.parent == store.data_dir
    assert path.resolve().is_relative_to(store.root.resolve())


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/abs", "ABCDEF" * 6, "0" * 31, "g" * 32, "a\x00" * 16])
def test_ids_that_are_not_blob_ids_never_become_paths(store: FsBlobStore, bad: str) -> None:
    with pytest.raises(BlobNotFound):
        store.open(bad)
    assert not store.exists(bad)
    store.delete(bad)  # a no-op, never an unlink outside the store


def test_open_reader_survives_delete(store: FsBlobStore) -> None:
    writer = store.writer()
    writer.write(b"still readable")
    blob_id = writer.commit()
    reader = store.open(blob_id)
    store.delete(blob_id)
    assert not store.exists(blob_id)
    assert reader.read(0, 100) == b"still readable"
    reader.close()
    with pytest.raises(BlobNotFound):
        store.open(blob_id)


def test_sweep_removes_leftover_temporary_files_only(store: FsBlobStore) -> None:
    kept = store.writer()
    kept.write(b"done")
    kept_id = kept.commit()
    crashed = store.writer()
    crashed.write(b"half an upload")
    # A crash: the writer is never committed nor aborted.
    assert store.sweep_temporary() == 1
    assert list(store.tmp_dir.iterdir()) == []
    assert store.open(kept_id).read(0, 10) == b"done"


def test_blob_ids_lists_only_blobs_older_than_the_cutoff(store: FsBlobStore) -> None:
    old = store.writer()
    old.write(b"old")
    old_id = old.commit()
    past = time.time() - 7200
    os.utime(store.path_for(old_id), (past, past))
    new = store.writer()
    new.write(b"new")
    new_id = new.commit()
    found = set(store.blob_ids(time.time() - 3600))
    assert old_id in found
    assert new_id not in found


def test_commit_is_atomic_rename_of_an_fsynced_file(
    store: FsBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    writer = store.writer()
    writer.write(b"durable")
    writer.commit()
    # The file and then its directory were fsynced.
    assert len(synced) >= 2


def test_open_blob_store_uses_the_data_dir(tmp_path: Path) -> None:
    store = open_blob_store(tmp_path)
    writer = store.writer()
    writer.write(b"a")
    blob_id = writer.commit()
    assert (tmp_path / "blobs" / "data" / blob_id[:2] / blob_id).is_file()
