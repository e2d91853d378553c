"""Access keys → secrets and principals: root keys, IAM user keys, and STS temporary credentials.

The auth layer does not own these keys: IAM and STS register themselves as CredentialSources, so this module
never reads another service's tables.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from hutch.auth.principal import Principal


@dataclass(frozen=True)
class Credential:
    access_key_id: str
    secret_access_key: str
    principal: Principal
    # Temporary credentials only: the session token that must accompany the key, and when it stops working.
    session_token: str | None = None
    expires_at: datetime | None = None

    def token_matches(self, presented: str | None) -> bool:
        if self.session_token is None:
            return presented is None or presented == ""
        if not presented:
            return False
        return hmac.compare_digest(self.session_token.encode(), presented.encode())

    def expired(self, now: datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        return (now or datetime.now(UTC)) >= self.expires_at


class CredentialSource(Protocol):
    def lookup_access_key(self, access_key_id: str) -> Credential | None: ...

    def cached_access_key(self, access_key_id: str) -> Credential | None:
        """The credential if this source holds it in memory right now (no I/O), else None (ask
        ``lookup_access_key``). Lets the event loop authenticate a known key without a worker-thread hop."""
        ...


class StaticCredentials:
    """A fixed set of keys: the root credentials of this installation."""

    def __init__(self, credentials: list[Credential]) -> None:
        self._by_key = {c.access_key_id: c for c in credentials}

    def lookup_access_key(self, access_key_id: str) -> Credential | None:
        return self._by_key.get(access_key_id)

    cached_access_key = lookup_access_key


class CredentialChain:
    def __init__(self, sources: list[CredentialSource] | None = None) -> None:
        self._sources: list[CredentialSource] = list(sources or [])

    def add(self, source: CredentialSource) -> None:
        self._sources.append(source)

    def lookup_access_key(self, access_key_id: str) -> Credential | None:
        for source in self._sources:
            found = source.lookup_access_key(access_key_id)
            if found is not None:
                return found
        return None

    def cached_access_key(self, access_key_id: str) -> Credential | None:
        """A credential some source already holds in memory; None means "look it up" (it may still exist)."""
        for source in self._sources:
            found = source.cached_access_key(access_key_id)
            if found is not None:
                return found
        return None
