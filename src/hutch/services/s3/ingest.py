"""Request bodies into blobs: streamed, hashed on the way, committed only once the body proved intact.

Small bodies are gathered in memory and written, hashed and committed in one worker-thread hop together with
the metadata. Large ones flow through a pipeline of a few reusable blocks: the event loop copies what it
receives into a free block, and two worker threads take every full block in order, one computing the MD5
behind the ETag, the other writing the file and computing the checksum, so the two halves use both cores.
MD5 is the slowest step (it cannot be split), so it gets a thread of its own that never waits on a file
write. Memory stays at PIPELINE_BLOCKS blocks per upload whatever the size.
Nothing is committed before the body iterator has finished without raising (which is when the pipeline has
checked every chunk signature, the payload hash and any checksum trailer).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar

from hutch.auth.checksums import ChecksumAlgorithm
from hutch.blobs import BlobStore, BlobWriter
from hutch.blobs.stages import BlockStages
from hutch.errors import ServiceError
from hutch.services.s3.integrity import ObjectHasher

BLOCK = 1024 * 1024  # bodies declared up to this size are gathered in memory
# Blocks handed to the worker threads: big, so each thread wakes and takes the GIL rarely (a hashing
# thread that has to win the GIL back after every 64 KiB spends its time waiting for the event loop).
PIPELINE_BLOCK = 2 * 1024 * 1024
PIPELINE_BLOCKS = 3  # one being filled while the threads work on the others
# Uploads pipelined at once; more wait their turn (bounding memory at PIPELINE_BLOCK * BLOCKS each).
MAX_PIPELINES = 8
MAX_SINGLE_UPLOAD = 5 * 1024**3  # PutObject and UploadPart
# Objects up to this size live inline in the database (see tables.object_data); parts are always blobs.
INLINE_OBJECT_MAX = 64 * 1024

_pipelines: RunVar[anyio.CapacityLimiter] = RunVar("hutch_s3_ingest_pipelines")


def entity_too_large(limit: int) -> ServiceError:
    return ServiceError(
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
        400,
        fields={"MaxSizeAllowed": str(limit)},
    )


@dataclass
class Received:
    """A body that arrived whole. ``commit`` (in a worker thread) makes it a durable blob."""

    hasher: ObjectHasher
    writer: BlobWriter | None = None  # large bodies: written already, not yet committed
    data: bytes | None = None  # small bodies: still in memory

    @property
    def size(self) -> int:
        return self.hasher.size if self.writer is not None else len(self.data or b"")

    def take_inline(self) -> bytes | None:
        """The bytes, hashed, if the body is small enough to be stored inline (else None: use ``commit``)."""
        if self.writer is not None or self.data is None or len(self.data) > INLINE_OBJECT_MAX:
            return None
        data, self.data = self.data, None
        self.hasher.update(data)
        return data

    def commit(self, store: BlobStore) -> str:
        if self.writer is None:
            data = self.data or b""
            self.hasher.update(data)
            self.writer = store.writer()
            try:
                self.writer.write(data)
            except BaseException:
                self.writer.abort()
                raise
            self.data = None
        try:
            return self.writer.commit()
        except BaseException:
            self.writer.abort()
            raise

    def discard(self) -> None:
        if self.writer is not None:
            self.writer.abort()


async def receive(
    store: BlobStore,
    body: AsyncIterator[bytes] | bytes,
    algorithm: ChecksumAlgorithm | None,
    *,
    declared_length: int | None,
    limit: int = MAX_SINGLE_UPLOAD,
) -> Received:
    """Read the whole body; raise (leaving nothing behind) if it is too large or fails verification."""
    hasher = ObjectHasher(algorithm)
    if isinstance(body, bytes | bytearray):
        if len(body) > limit:
            raise entity_too_large(limit)
        return Received(hasher, data=bytes(body))
    if declared_length is not None and declared_length > limit:
        raise entity_too_large(limit)
    if declared_length is not None and declared_length <= BLOCK:
        gathered = bytearray()
        async for chunk in body:
            gathered += chunk
            if len(gathered) > limit:
                raise entity_too_large(limit)
        return Received(hasher, data=bytes(gathered))
    async with _pipeline_slots():
        return await _pipeline(store, body, hasher, limit)


def _pipeline_slots() -> anyio.CapacityLimiter:
    try:
        return _pipelines.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(MAX_PIPELINES)
        _pipelines.set(limiter)
        return limiter


async def _pipeline(
    store: BlobStore, body: AsyncIterator[bytes], hasher: ObjectHasher, limit: int
) -> Received:
    writer = await anyio.to_thread.run_sync(store.writer)

    def write(block: memoryview) -> None:
        writer.write(block)
        hasher.update_checksum(block)

    stages = BlockStages((hasher.update_etag, write), block_size=PIPELINE_BLOCK, blocks=PIPELINE_BLOCKS)
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(stages.run)
            try:
                await _feed(body, stages, limit)
            except BaseException:
                stages.close(abandon=True)
                raise
            stages.close()
        stages.raise_failure()
    except BaseException as exc:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(writer.abort)
        # A task group wraps failures; hand the caller the error the client should see.
        raise _unwrap(exc) from None
    return Received(hasher, writer=writer)


async def _feed(body: AsyncIterator[bytes], stages: BlockStages, limit: int) -> None:
    """Copy the body into blocks, handing each full one to the stages (the only copy it makes)."""
    total = 0
    block = await stages.take()
    space = memoryview(block.data)
    filled = 0
    async for chunk in body:
        total += len(chunk)
        if total > limit:
            raise entity_too_large(limit)
        rest = memoryview(chunk)
        while rest:
            n = min(len(rest), len(space) - filled)
            space[filled : filled + n] = rest[:n]
            filled += n
            rest = rest[n:]
            if filled == len(space):
                stages.submit(block, filled)
                block = await stages.take()
                space = memoryview(block.data)
                filled = 0
    stages.submit(block, filled)


def _unwrap(exc: BaseException) -> BaseException:
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc
