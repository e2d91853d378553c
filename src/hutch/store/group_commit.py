"""Group commit: many small write transactions from many threads share one commit, hence one fsync.

SQLite commits one transaction at a time and each durable commit costs an fsync (milliseconds on real
disks), so a server that commits every small write on its own is bounded by the disk, not the CPU. Here
writers hand their work to one committer thread; whatever arrived while the previous commit was being
synced runs in the next transaction, each unit inside its own SAVEPOINT (a failing unit rolls back alone
and gets its exception), and every caller is released only after the shared COMMIT — so an acknowledged
write is still on disk before it is acknowledged. PostgreSQL runs concurrent writers itself; there each
unit simply gets its own transaction.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hutch.store.engine import write

T = TypeVar("T")
Unit = Callable[[sa.Connection], object]

MAX_BATCH = 256


class GroupCommit:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._grouped = engine.dialect.name == "sqlite"
        self._queue: queue.SimpleQueue[tuple[Unit, Future[object]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    def run(self, unit: Callable[[sa.Connection], T]) -> T:
        """Run ``unit(conn)`` in a write transaction; return its result once the transaction has committed."""
        if not self._grouped or threading.current_thread() is self._thread:
            # PostgreSQL; or a unit that itself asks for a write (it would wait on its own thread).
            with write(self.engine) as conn:
                return unit(conn)
        future: Future[object] = Future()
        self._ensure_thread()
        self._queue.put((unit, future))
        return future.result()  # type: ignore[return-value]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=30)

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        with self._lock:
            if self._closed:
                raise RuntimeError("the store is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="hutch-group-commit", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(item)
            self._commit(batch)

    def _commit(self, batch: list[tuple[Unit, Future[object]]]) -> None:
        outcomes: list[tuple[Future[object], object, BaseException | None]] = []
        try:
            with write(self.engine) as conn:
                for unit, future in batch:
                    savepoint = conn.begin_nested()
                    try:
                        result = unit(conn)
                    except BaseException as exc:  # the unit's own failure: undo it alone
                        savepoint.rollback()
                        outcomes.append((future, None, exc))
                    else:
                        savepoint.commit()
                        outcomes.append((future, result, None))
        except BaseException as exc:  # the shared commit failed: nobody's work is durable
            for _, future in batch:
                future.set_exception(exc)
            return
        for future, result, error in outcomes:
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)
