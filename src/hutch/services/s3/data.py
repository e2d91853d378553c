"""Reading an object's bytes: the blobs behind a byte range, pinned while they are read, streamed in chunks.

An object is one blob (single PUT, copy) or one blob per part (multipart). A read pins the blobs it needs,
then opens the first; if that one is already gone an overwrite won the race, and the caller re-reads the
metadata and tries again (``open_object`` returns None). Pinned blobs outlive any delete until unpinned.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import anyio.to_thread

from hutch.blobs import BlobNotFound, BlobReader, BlobStore
from hutch.blobs.pins import BlobPins
from hutch.services.s3.conditions import ByteRange
from hutch.services.s3.model import ObjectPart, ObjectRecord

# Response chunks: large enough for sequential throughput, small enough that memory stays flat.
STREAM_CHUNK = 1024 * 1024
# Bodies up to this size are read whole in the handler's thread and sent as one buffer.
INLINE_LIMIT = 256 * 1024


@dataclass(frozen=True)
class Segment:
    blob_id: str
    offset: int  # within the blob
    length: int


def segments_for(record: ObjectRecord, parts: Sequence[ObjectPart], span: ByteRange | None) -> list[Segment]:
    """The blob pieces that make up ``span`` (None: the whole object) of ``record``, in order."""
    if record.size == 0:
        return []
    start, end = (span.start, span.end) if span is not None else (0, record.size - 1)
    if record.blob_id is not None:
        return [Segment(record.blob_id, start, end - start + 1)]
    out: list[Segment] = []
    for part in parts:
        part_end = part.start + part.size - 1
        if part.size == 0 or part_end < start or part.start > end:
            continue
        lo = max(start, part.start)
        hi = min(end, part_end)
        out.append(Segment(part.blob_id, lo - part.start, hi - lo + 1))
    return out


class OpenObject:
    """Pinned, opened blob segments read front to back. Thread-safe close; closes itself when dropped."""

    def __init__(
        self, store: BlobStore, pins: BlobPins, segments: list[Segment], first: BlobReader | None
    ) -> None:
        self._store = store
        self._pins = pins
        self._segments = segments
        self._pinned = tuple(s.blob_id for s in segments)
        self._index = 0
        self._pos = segments[0].offset if segments else 0
        self._reader = first
        self._lock = threading.Lock()
        self._closed = False
        self.remaining = sum(s.length for s in segments)

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes, from at most one segment; b"" at the end."""
        with self._lock:
            if self._closed or self.remaining <= 0:
                return b""
            seg = self._segments[self._index]
            end = seg.offset + seg.length
            if self._pos >= end:
                self._index += 1
                seg = self._segments[self._index]
                if self._reader is not None:
                    self._reader.close()
                self._reader = self._store.open(seg.blob_id)  # pinned: present
                self._pos = seg.offset
                end = seg.offset + seg.length
            assert self._reader is not None
            data = self._reader.read(self._pos, min(n, end - self._pos))
            if not data:
                raise OSError(f"blob {seg.blob_id} is shorter than its metadata says")
            self._pos += len(data)
            self.remaining -= len(data)
            return data

    def read_all(self) -> bytes:
        out = bytearray()
        while True:
            chunk = self.read(STREAM_CHUNK)
            if not chunk:
                return bytes(out)
            out += chunk

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        self._pins.unpin(self._pinned)

    def __del__(self) -> None:
        self.close()


def open_object(store: BlobStore, pins: BlobPins, segments: list[Segment]) -> OpenObject | None:
    """Pin and open ``segments``; None when the object's blobs were deleted under us (re-read metadata)."""
    if not segments:
        return OpenObject(store, pins, [], None)
    pins.pin(s.blob_id for s in segments)
    try:
        first = store.open(segments[0].blob_id)
    except BlobNotFound:
        pins.unpin(tuple(s.blob_id for s in segments))
        return None
    return OpenObject(store, pins, segments, first)


class ObjectStream:
    """A response body: the open object read in worker threads, one chunk at a time."""

    def __init__(self, opened: OpenObject, chunk: int = STREAM_CHUNK) -> None:
        self._opened = opened
        self._chunk = chunk

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        try:
            data = await anyio.to_thread.run_sync(self._opened.read, self._chunk)
        except BaseException:
            self._opened.close()
            raise
        if not data:
            self._opened.close()
            raise StopAsyncIteration
        return data

    def close(self) -> None:
        self._opened.close()

    async def aclose(self) -> None:
        """For a sender that stops early (the client went away): release the blobs now."""
        self._opened.close()
