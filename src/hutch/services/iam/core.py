"""What every part of the IAM service shares: the runtime, transactions, and the change counter.

Authorization caches (a principal's policy set, a user's access keys) are valid for one ``generation``;
every IAM write bumps it, so a change is in force for the very next request. (One process for now: with
several nodes this becomes a shared counter.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from hutch.store.engine import read, write

if TYPE_CHECKING:
    from hutch.runtime import Runtime


class IamCore:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.account = rt.account_id
        self._generation = 0
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    @property
    def generation(self) -> int:
        return self._generation

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every IAM write (e.g. to drop a cache that depends on IAM)."""
        self._listeners.append(listener)

    def now(self) -> datetime:
        return self.rt.now().replace(microsecond=0)

    @contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        with read(self.rt.engine) as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """A write transaction; the generation moves once it has committed (or failed: harmless)."""
        try:
            with write(self.rt.engine) as conn:
                yield conn
        finally:
            with self._lock:
                self._generation += 1
            for listener in self._listeners:
                listener()
