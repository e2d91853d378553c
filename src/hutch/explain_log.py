"""Recent authorization decisions by request id, bounded, for `hutch explain` and /_hutch/explain."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

DEFAULT_CAPACITY = 10_000


class ExplainLog:
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._capacity = capacity
        self._records: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._last_denied: str | None = None
        self._lock = threading.Lock()

    def record(self, request_id: str, entry: dict[str, Any], *, denied: bool) -> None:
        with self._lock:
            existing = self._records.get(request_id)
            if existing is None:
                self._records[request_id] = {"request_id": request_id, "decisions": [entry], "denied": denied}
            else:
                existing["decisions"].append(entry)
                existing["denied"] = existing["denied"] or denied
            if denied:
                self._last_denied = request_id
            while len(self._records) > self._capacity:
                old, _ = self._records.popitem(last=False)
                if old == self._last_denied:
                    self._last_denied = None

    def get(self, request_id: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._records.get(request_id)
            return dict(found) if found else None

    def last_denied(self) -> dict[str, Any] | None:
        with self._lock:
            if self._last_denied is None:
                return None
            found = self._records.get(self._last_denied)
            return dict(found) if found else None
