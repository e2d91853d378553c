"""Blocks through worker-thread stages: every stage sees every byte in order; a failure stops them all."""

from __future__ import annotations

import threading

import anyio
import pytest

from hutch.blobs.stages import BlockStages


async def _stream(stages: BlockStages, pieces: list[bytes]) -> None:
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(stages.run)
        try:
            for piece in pieces:
                block = await stages.take()
                block.data[: len(piece)] = piece
                stages.submit(block, len(piece))
        except BaseException:
            stages.close(abandon=True)  # as ingest does: the stage threads must be told to stop
            raise
        stages.close()
    stages.raise_failure()


def test_every_stage_sees_every_block_in_order_with_few_blocks() -> None:
    seen: dict[str, list[bytes]] = {"a": [], "b": []}
    threads: dict[str, set[int]] = {"a": set(), "b": set()}

    def stage(name: str):  # type: ignore[no-untyped-def]
        def take(view: memoryview) -> None:
            seen[name].append(bytes(view))
            threads[name].add(threading.get_ident())

        return take

    pieces = [bytes([i]) * (1 + i % 7) for i in range(200)]

    async def go() -> None:
        stages = BlockStages((stage("a"), stage("b")), block_size=16, blocks=2)
        await _stream(stages, pieces)

    anyio.run(go)
    assert seen["a"] == pieces and seen["b"] == pieces
    assert len(threads["a"]) == 1 and len(threads["b"]) == 1 and threads["a"] != threads["b"]


def test_a_failing_stage_stops_the_stream_and_reaches_the_feeder() -> None:
    written: list[bytes] = []

    def fails_on_third(view: memoryview) -> None:
        if view[0] == 3:
            raise OSError("disk full")

    async def go() -> None:
        stages = BlockStages((fails_on_third, lambda v: written.append(bytes(v))), block_size=4, blocks=2)
        await _stream(stages, [bytes([i]) * 4 for i in range(1, 100)])

    with pytest.raises(BaseException) as exc:
        anyio.run(go)
    error = exc.value
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    assert isinstance(error, OSError) and str(error) == "disk full"
    assert len(written) < 99  # the rest of the stream was not processed


def test_empty_blocks_are_not_handed_on() -> None:
    calls: list[int] = []

    async def go() -> None:
        stages = BlockStages((lambda v: calls.append(len(v)),), block_size=8, blocks=1)
        await _stream(stages, [b"", b"abc", b""])

    anyio.run(go)
    assert calls == [3]
