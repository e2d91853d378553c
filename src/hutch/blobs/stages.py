"""A byte stream from the event loop through worker threads in big reusable blocks; every stage sees every
block, in order, each stage in a thread of its own.

Used for uploads: one stage writes the blob, another hashes the same bytes, so a large body keeps two
cores busy with one copy of its bytes (the event loop's, into the block). A fixed set of blocks cycles
(free → filled by the loop → read by every stage → free again), so memory stays bounded and no block is
allocated per megabyte. A stage thread waits for its next block on a plain queue without waking the event
loop; the loop is woken only when it is waiting for a free block. The blocks are anonymous memory maps, so
their memory goes back to the system as soon as the stream ends (a freed multi-MiB heap block may not).

A stage that raises stops every stage (the rest of the stream is skipped); ``take`` and ``raise_failure``
hand the error to the feeding side.
"""

from __future__ import annotations

import asyncio
import contextlib
import mmap
import queue
import threading
from collections.abc import Callable, Sequence

import anyio
import anyio.to_thread

Stage = Callable[[memoryview], None]


class Block:
    __slots__ = ("data", "length", "pending")

    def __init__(self, size: int) -> None:
        self.data = mmap.mmap(-1, size)
        self.length = 0
        self.pending = 0  # stages that have yet to finish with it


class BlockStages:
    """``take`` a free block, fill it, ``submit`` it; ``run`` the stages beside that; ``close`` at the end.

    Call ``take``/``submit``/``close`` from the event loop; ``run`` in a task of the same task group, which
    returns once every stage has seen every submitted block (or skipped them after a failure).
    """

    def __init__(self, stages: Sequence[Stage], *, block_size: int, blocks: int) -> None:
        self._loop = asyncio.get_running_loop()  # hutch serves on asyncio (uvicorn)
        self._stages = tuple(stages)
        self._inboxes: tuple[queue.SimpleQueue[Block | None], ...] = tuple(
            queue.SimpleQueue() for _ in self._stages
        )
        self._free = [Block(block_size) for _ in range(blocks)]
        self._lock = threading.Lock()
        self._waiter: asyncio.Future[None] | None = None
        self._failure: BaseException | None = None
        self._abandoned = False
        self._closed = False

    # -- the feeding side (event loop) ------------------------------------------------------------------

    async def take(self) -> Block:
        """A free block to fill; waits while the stages still hold every block. Raises a stage's failure."""
        while True:
            with self._lock:
                failure = self._failure
                if failure is None and self._free:
                    return self._free.pop()
                waiter = None
                if failure is None:
                    waiter = self._waiter = self._loop.create_future()
            if failure is not None:
                raise failure
            assert waiter is not None
            await waiter

    def submit(self, block: Block, length: int) -> None:
        """Hand the first ``length`` bytes of ``block`` to every stage (an empty block goes back unused)."""
        if length == 0:
            with self._lock:
                self._free.append(block)
            return
        block.length = length
        block.pending = len(self._inboxes)
        for inbox in self._inboxes:
            inbox.put(block)

    def close(self, *, abandon: bool = False) -> None:
        """No more blocks. ``abandon``: the stream failed, so the stages skip what is still queued."""
        if abandon:
            self._abandoned = True
        if self._closed:
            return
        self._closed = True
        for inbox in self._inboxes:
            inbox.put(None)

    def raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    # -- the stages (worker threads) --------------------------------------------------------------------

    async def run(self) -> None:
        """Every stage in a worker thread of its own until ``close``. The threads have their own limiter so
        a stage never waits for a thread that a stalled stream elsewhere is holding."""
        limiter = anyio.CapacityLimiter(len(self._stages))
        async with anyio.create_task_group() as tasks:
            for stage, inbox in zip(self._stages, self._inboxes, strict=True):
                tasks.start_soon(self._run_stage, stage, inbox, limiter)

    async def _run_stage(
        self, stage: Stage, inbox: queue.SimpleQueue[Block | None], limiter: anyio.CapacityLimiter
    ) -> None:
        await anyio.to_thread.run_sync(self._work, stage, inbox, limiter=limiter)

    def _work(self, stage: Stage, inbox: queue.SimpleQueue[Block | None]) -> None:
        while (block := inbox.get()) is not None:
            if self._failure is None and not self._abandoned:
                try:
                    with memoryview(block.data) as whole, whole[: block.length] as view:
                        stage(view)
                except BaseException as exc:
                    self._fail(exc)
            self._release(block)

    def _release(self, block: Block) -> None:
        with self._lock:
            block.pending -= 1
            if block.pending:
                return
            self._free.append(block)
            waiter, self._waiter = self._waiter, None
        self._wake(waiter)

    def _fail(self, exc: BaseException) -> None:
        with self._lock:
            if self._failure is None:
                self._failure = exc
            waiter, self._waiter = self._waiter, None
        self._wake(waiter)

    def _wake(self, waiter: asyncio.Future[None] | None) -> None:
        if waiter is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is waiting any more
            self._loop.call_soon_threadsafe(_resolve, waiter)


def _resolve(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
