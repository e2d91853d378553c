"""Identity pools as last read, so GetId and GetCredentialsForIdentity do not read the pool on every call.

A pool's configuration (trusted providers, roles, role mappings, principal tag maps) changes only through this
service's own writes, which all go through ``IdentityStore``; each of them calls ``changed()`` once its
transaction has committed. ``changed()`` moves the generation and empties the cache, and an entry is only kept
if the generation did not move while it was being read — so a value read before a change can never be stored
after it, and every change is in force for the very next request. (One process, like IAM's caches.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")

MAX_CACHED = 10_000


class PoolCache(Generic[V]):
    def __init__(self, max_entries: int = MAX_CACHED) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._generation = 0
        self._entries: dict[str, V] = {}

    def get(self, pool_id: str, load: Callable[[str], V | None]) -> V | None:
        """The cached value, else ``load(pool_id)`` (kept unless a change happened meanwhile). A missing pool
        (None) is not remembered: creating it needs no invalidation then."""
        found = self._entries.get(pool_id)
        if found is not None:
            return found
        generation = self._generation
        loaded = load(pool_id)
        if loaded is not None:
            with self._lock:
                if self._generation == generation:
                    if len(self._entries) >= self.max_entries:
                        self._entries.clear()
                    self._entries[pool_id] = loaded
        return loaded

    def changed(self) -> None:
        """A pool or its tag maps changed (call after the write committed)."""
        with self._lock:
            self._generation += 1
            self._entries.clear()
