"""Blobs as files under one root directory.

    <root>/tmp/<id>.tmp          a writer's bytes, until commit
    <root>/data/<id[:2]>/<id>    committed blobs (256 fan-out directories, created up front)

Commit is: fsync the file, rename it into data/ (atomic on one filesystem), fsync that directory. Only then
may a caller record the blob id anywhere. A large blob's pages are handed to the disk as they are written
(see writeback.py), so that fsync mostly confirms work already done. Readers hold an open descriptor, so a
delete (unlink) never cuts off a read already in progress. Every path is built from a validated random id,
never from caller-supplied text.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from hutch.blobs import BLOB_ID, BlobNotFound
from hutch.blobs.writeback import start_writeback

_FANOUT_DIGITS = 2
# Written bytes not yet handed to the disk; past this much, writing them back starts (see writeback.py).
WRITEBACK_STEP = 8 * 1024 * 1024
_O_BINARY = getattr(os, "O_BINARY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FsBlobWriter:
    def __init__(self, store: FsBlobStore) -> None:
        self._store = store
        self._id = secrets.token_hex(16)
        self._tmp = store.tmp_dir / f"{self._id}.tmp"
        self._fd: int | None = os.open(
            self._tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY | _O_CLOEXEC, 0o600
        )
        self._size = 0
        self._written_back = 0  # bytes before this offset have been handed to the disk
        self._done = False

    @property
    def size(self) -> int:
        return self._size

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._fd is None:
            raise ValueError("blob writer is closed")
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
            self._size += written
        if self._size - self._written_back >= WRITEBACK_STEP:
            start_writeback(self._fd, self._written_back, self._size - self._written_back)
            self._written_back = self._size

    def commit(self) -> str:
        if self._fd is None or self._done:
            raise ValueError("blob writer is closed")
        fd, self._fd = self._fd, None
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        final = self._store.path_for(self._id)
        try:
            os.replace(self._tmp, final)
        except FileNotFoundError:
            # Someone removed the fan-out directory; recreate it (and make that durable too).
            final.parent.mkdir(parents=True, exist_ok=True)
            _fsync_dir(final.parent.parent)
            os.replace(self._tmp, final)
        _fsync_dir(final.parent)
        self._done = True
        return self._id

    def abort(self) -> None:
        if self._done:
            return
        self._done = True
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._tmp)


class FsBlobReader:
    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd
        self._size = os.fstat(fd).st_size

    @property
    def size(self) -> int:
        return self._size

    def read(self, offset: int, length: int) -> bytes:
        if self._fd is None:
            raise ValueError("blob reader is closed")
        if length <= 0 or offset >= self._size:
            return b""
        length = min(length, self._size - offset)
        first = os.pread(self._fd, length, offset)
        if len(first) == length or not first:
            return first
        # Short reads are legal for pread; finish the request.
        parts = [first]
        got = len(first)
        while got < length:
            more = os.pread(self._fd, length - got, offset + got)
            if not more:
                break
            parts.append(more)
            got += len(more)
        return b"".join(parts)

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __del__(self) -> None:
        # A reader dropped without close (a client that vanished mid-download) must not leak its descriptor.
        self.close()


class FsBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp_dir = root / "tmp"
        self.data_dir = root / "data"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        created = False
        for n in range(16**_FANOUT_DIGITS):
            d = self.data_dir / f"{n:0{_FANOUT_DIGITS}x}"
            if not d.is_dir():
                d.mkdir(exist_ok=True)
                created = True
        if created:
            _fsync_dir(self.data_dir)
            _fsync_dir(root)

    def path_for(self, blob_id: str) -> Path:
        if not BLOB_ID.match(blob_id):
            raise BlobNotFound(blob_id)
        return self.data_dir / blob_id[:_FANOUT_DIGITS] / blob_id

    def writer(self) -> FsBlobWriter:
        return FsBlobWriter(self)

    def open(self, blob_id: str) -> FsBlobReader:
        try:
            fd = os.open(self.path_for(blob_id), os.O_RDONLY | _O_BINARY | _O_CLOEXEC)
        except FileNotFoundError:
            raise BlobNotFound(blob_id) from None
        return FsBlobReader(fd)

    def exists(self, blob_id: str) -> bool:
        try:
            return self.path_for(blob_id).is_file()
        except BlobNotFound:
            return False

    def delete(self, blob_id: str) -> None:
        with contextlib.suppress(FileNotFoundError, BlobNotFound):
            os.unlink(self.path_for(blob_id))

    def sweep_temporary(self) -> int:
        removed = 0
        for entry in os.scandir(self.tmp_dir):
            if entry.is_file(follow_symlinks=False) and entry.name.endswith(".tmp"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed += 1
        return removed

    def blob_ids(self, older_than: float) -> Iterator[str]:
        for n in range(16**_FANOUT_DIGITS):
            d = self.data_dir / f"{n:0{_FANOUT_DIGITS}x}"
            try:
                entries = list(os.scandir(d))
            except FileNotFoundError:
                continue
            for entry in entries:
                if not BLOB_ID.match(entry.name):
                    continue
                try:
                    if entry.stat(follow_symlinks=False).st_mtime < older_than:
                        yield entry.name
                except FileNotFoundError:
                    continue
