"""Object bytes behind a small interface, so S3 metadata and S3 bytes can live in different places.

A blob is an immutable byte string named by a random id; nothing about it (path, name) comes from an S3 key.
Life of a blob: ``store.writer()`` → ``write()`` … → ``commit()`` (durable: fsynced and atomically named)
→ readable with ``open()`` → ``delete()``. A writer that is never committed leaves only a temporary file,
which ``sweep_temporary()`` removes at start.

The local-filesystem implementation is ``hutch.blobs.fs.FsBlobStore``; ``open_blob_store`` picks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

# 128 random bits as hex: a blob id is validated against this before it is ever turned into a path.
BLOB_ID = re.compile(r"^[0-9a-f]{32}$")


class BlobNotFound(Exception):
    """The blob does not exist (never written, or deleted)."""


class BlobWriter(Protocol):
    """A blob being written. Bytes are invisible to readers until ``commit`` returns."""

    @property
    def size(self) -> int: ...

    def write(self, data: bytes | bytearray | memoryview) -> None: ...

    def commit(self) -> str:
        """Make the bytes durable under a new blob id and return it. The writer is finished afterwards."""
        ...

    def abort(self) -> None:
        """Throw the bytes away. Safe to call after commit (does nothing) or twice."""
        ...


class BlobReader(Protocol):
    """An open blob: random-access reads that keep working even if the blob is deleted meanwhile."""

    @property
    def size(self) -> int: ...

    def read(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``offset`` (fewer only at the end of the blob)."""
        ...

    def close(self) -> None: ...


class BlobStore(Protocol):
    def writer(self) -> BlobWriter: ...

    def open(self, blob_id: str) -> BlobReader:
        """Open a committed blob for reading; raises BlobNotFound."""
        ...

    def delete(self, blob_id: str) -> None:
        """Remove a blob; a missing blob is not an error. Open readers keep their view."""
        ...

    def exists(self, blob_id: str) -> bool: ...

    def sweep_temporary(self) -> int:
        """Remove writers' leftovers (a crash mid-upload). Call before serving; returns how many."""
        ...

    def blob_ids(self, older_than: float) -> Iterator[str]:
        """Every committed blob whose bytes were last written before ``older_than`` (epoch seconds)."""
        ...


def open_blob_store(data_dir: Path) -> BlobStore:
    """The blob store for a data directory (local files under ``<data_dir>/blobs``)."""
    from hutch.blobs.fs import FsBlobStore

    return FsBlobStore(data_dir / "blobs")
