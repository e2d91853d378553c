"""Request bodies into blobs: nothing committed unless the body arrived whole and verified."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from hutch.auth.checksums import ChecksumAlgorithm
from hutch.blobs.fs import FsBlobStore
from hutch.errors import ServiceError
from hutch.services.s3 import ingest


class Boom(Exception):
    pass


async def chunks(data: bytes, size: int, fail_at_end: bool = False) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]
    if fail_at_end:
        raise Boom("trailer checksum mismatch")


@pytest.fixture
def store(tmp_path: Path) -> FsBlobStore:
    return FsBlobStore(tmp_path / "blobs")


def files(store: FsBlobStore) -> list[Path]:
    return [p for p in store.root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("size", [0, 10, ingest.BLOCK, 3 * ingest.BLOCK + 17])
def test_received_body_commits_to_an_identical_blob(store: FsBlobStore, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)

    async def go() -> ingest.Received:
        return await ingest.receive(
            store, chunks(data, 65536), ChecksumAlgorithm.SHA256, declared_length=size
        )

    received = anyio.run(go)
    blob_id = received.commit(store)
    assert store.open(blob_id).read(0, size + 1) == data
    assert received.hasher.md5() == hashlib.md5(data).digest()
    assert received.hasher.size == size


def test_small_bodies_can_stay_inline(store: FsBlobStore) -> None:
    async def go() -> ingest.Received:
        return await ingest.receive(store, chunks(b"tiny", 2), None, declared_length=4)

    received = anyio.run(go)
    assert received.take_inline() == b"tiny"
    assert received.hasher.md5() == hashlib.md5(b"tiny").digest()
    assert files(store) == []


@pytest.mark.parametrize("size", [100, 3 * ingest.BLOCK])
def test_a_body_that_fails_verification_leaves_nothing(store: FsBlobStore, size: int) -> None:
    async def go() -> None:
        await ingest.receive(store, chunks(b"z" * size, 65536, fail_at_end=True), None, declared_length=size)

    with pytest.raises(Boom):
        anyio.run(go)
    assert files(store) == []


def test_too_large_declared_or_streamed(store: FsBlobStore) -> None:
    async def declared() -> None:
        await ingest.receive(store, chunks(b"", 1), None, declared_length=11, limit=10)

    with pytest.raises(ServiceError) as err:
        anyio.run(declared)
    assert err.value.code == "EntityTooLarge"

    async def streamed() -> None:
        await ingest.receive(
            store, chunks(b"y" * (2 * ingest.BLOCK), 65536), None, declared_length=None, limit=ingest.BLOCK
        )

    with pytest.raises(ServiceError):
        anyio.run(streamed)
    assert files(store) == []
