"""Deleting blobs that someone may still be reading.

An object made of several blobs (a completed multipart upload) is read one blob after another, so a reader
cannot simply open everything up front. Instead a reader *pins* the object's blobs before it opens the first
one, and a delete of a pinned set waits until the last pin goes. Sets are deleted all at once under the same
lock as pinning, so a reader that finds the first blob of its set present knows the rest will stay until it
unpins. (A reader that finds the first blob gone lost a race with an overwrite and re-reads the metadata.)

This is per process: the local-file store is only ever used by one hutch process at a time.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable

from hutch.blobs import BlobStore

log = logging.getLogger("hutch.blobs")


class BlobPins:
    def __init__(self, store: BlobStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._pins: Counter[str] = Counter()
        # Sets whose deletion waits for readers; each is deleted whole when none of its blobs is pinned.
        self._deferred: list[frozenset[str]] = []

    def pin(self, blob_ids: Iterable[str]) -> tuple[str, ...]:
        ids = tuple(blob_ids)
        with self._lock:
            self._pins.update(ids)
        return ids

    def unpin(self, blob_ids: tuple[str, ...]) -> None:
        ready: list[frozenset[str]] = []
        with self._lock:
            self._pins.subtract(blob_ids)
            for blob_id in blob_ids:
                if self._pins[blob_id] <= 0:
                    del self._pins[blob_id]
            if self._deferred:
                still: list[frozenset[str]] = []
                for group in self._deferred:
                    (still if any(b in self._pins for b in group) else ready).append(group)
                self._deferred = still
            for group in ready:
                self._delete_all(group)

    def discard(self, blob_ids: Iterable[str]) -> None:
        """Delete these blobs now, or as soon as no reader has any of them pinned."""
        group = frozenset(blob_ids)
        if not group:
            return
        with self._lock:
            if any(b in self._pins for b in group):
                self._deferred.append(group)
                return
            self._delete_all(group)

    def pinned(self, blob_id: str) -> bool:
        with self._lock:
            return blob_id in self._pins or any(blob_id in g for g in self._deferred)

    def _delete_all(self, group: frozenset[str]) -> None:
        for blob_id in group:
            try:
                self._store.delete(blob_id)
            except OSError:
                # Left behind, it is an unreferenced blob: the orphan sweep removes it later.
                log.warning("could not delete blob %s", blob_id, exc_info=True)
