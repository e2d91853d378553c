"""Claims of user-pool ID tokens already verified, so a sign-in's GetId and GetCredentialsForIdentity (and
every credential refresh) do not pay for the same signature check and revocation lookup again.

Used only for app clients whose ServerSideTokenCheck is off: AWS then accepts a token until it expires even
after its user signs out, so remembering that this exact token verified changes nothing an AWS client could
observe. An entry lives until the token's ``exp`` and at most ``max_age`` (so a deleted user pool's tokens
stop working soon after). The cache is keyed by the whole token string: a token that differs in any byte is
verified from scratch.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any


class VerifiedTokenCache:
    def __init__(self, max_entries: int = 10_000, max_age_seconds: float = 300.0) -> None:
        self.max_entries = max_entries
        self.max_age_seconds = max_age_seconds
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, Mapping[str, Any]]] = OrderedDict()

    def get(self, token: str, now: datetime) -> Mapping[str, Any] | None:
        current = now.timestamp()
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                return None
            if current >= entry[0]:
                del self._entries[token]
                return None
            self._entries.move_to_end(token)
            return entry[1]

    def put(self, token: str, claims: Mapping[str, Any], now: datetime) -> None:
        exp = claims.get("exp")
        if not isinstance(exp, int | float):
            return
        until = min(float(exp), now.timestamp() + self.max_age_seconds)
        with self._lock:
            self._entries[token] = (until, claims)
            self._entries.move_to_end(token)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
