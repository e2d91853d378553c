"""Request bodies into blobs: streamed, hashed on the way, committed only once the body proved intact.

Small bodies are gathered in memory and written, hashed and committed in one worker-thread hop together with
the metadata. Large ones flow through a bounded pipeline: the event loop receives into one block while worker
threads hash and write the previous ones, so at most a few blocks are in memory whatever the size.
Nothing is committed before the body iterator has finished without raising (which is when the pipeline has
checked every chunk signature, the payload hash and any checksum trailer).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import anyio
import anyio.abc
import anyio.to_thread

from hutch.auth.checksums import ChecksumAlgorithm
from hutch.blobs import BlobStore, BlobWriter
from hutch.errors import ServiceError
from hutch.services.s3.integrity import ObjectHasher

BLOCK = 1024 * 1024
MAX_SINGLE_UPLOAD = 5 * 1024**3  # PutObject and UploadPart
# Objects up to this size live inline in the database (see tables.object_data); parts are always blobs.
INLINE_OBJECT_MAX = 64 * 1024


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
    return await _pipeline(store, body, hasher, limit)


async def _pipeline(
    store: BlobStore, body: AsyncIterator[bytes], hasher: ObjectHasher, limit: int
) -> Received:
    writer = await anyio.to_thread.run_sync(store.writer)
    # Hashing (MD5 for the ETag) and writing each take a core at large sizes; they run in parallel
    # worker threads, each in block order, each fed through its own one-block channel.
    hash_in, hash_out = anyio.create_memory_object_stream[bytes](1)
    write_in, write_out = anyio.create_memory_object_stream[bytes](1)

    async def consume(blocks: anyio.abc.ObjectReceiveStream[bytes], step: Callable[[bytes], None]) -> None:
        async with blocks:
            async for block in blocks:
                await anyio.to_thread.run_sync(step, block)

    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(consume, hash_out, hasher.update)
            tasks.start_soon(consume, write_out, writer.write)
            async with hash_in, write_in:
                buffer = bytearray()
                total = 0
                async for chunk in body:
                    total += len(chunk)
                    if total > limit:
                        raise entity_too_large(limit)
                    buffer += chunk
                    if len(buffer) >= BLOCK:
                        block = bytes(buffer)
                        buffer.clear()
                        await hash_in.send(block)
                        await write_in.send(block)
                if buffer:
                    block = bytes(buffer)
                    await hash_in.send(block)
                    await write_in.send(block)
    except BaseException as exc:
        await anyio.to_thread.run_sync(writer.abort)
        # A task group wraps failures; hand the caller the error the client should see.
        raise _unwrap(exc) from None
    return Received(hasher, writer=writer)


def _unwrap(exc: BaseException) -> BaseException:
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc
