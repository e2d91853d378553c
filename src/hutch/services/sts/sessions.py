"""Temporary credentials: issued for a role, stored with everything their principal needs, looked up by key.

An access key id is ``ASIA`` + 16 random characters, the secret is random, and the session token is an opaque
random string bound to that key: only its SHA-256 is stored, and a presented token is compared with it in
constant time. So a token that is altered, or moved to another key, is refused (InvalidClientTokenId); a key
presented without its token is refused too. Expired sessions are kept a day longer so their keys answer
ExpiredToken rather than "unknown key", then purged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from hutch import ids
from hutch.auth.credentials import Credential
from hutch.auth.principal import Principal, RoleSession
from hutch.services.sts import store
from hutch.store.engine import read, write

if TYPE_CHECKING:
    from hutch.runtime import Runtime

EXPIRED_KEPT = timedelta(days=1)
PURGE_EVERY_SECONDS = 15 * 60
MAX_CACHED = 50_000


@dataclass(frozen=True)
class IssuedCredentials:
    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration: datetime
    assumed_role_arn: str
    assumed_role_id: str  # AROA...:session-name


@dataclass(frozen=True)
class SessionCredential(Credential):
    """A temporary credential: its session token is checked against the stored hash."""

    token_hash: str = ""

    def token_matches(self, presented: str | None) -> bool:
        if not presented:
            return False
        return hmac.compare_digest(token_hash(presented), self.token_hash)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def assumed_role_arn(account: str, role_name: str, session_name: str) -> str:
    """The session's ARN: no role path, as AWS writes it."""
    return f"arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}"


def principal_of(session: store.StoredSession, account: str) -> Principal:
    role_name = session.role_arn.rsplit("/", 1)[-1]
    role_session = RoleSession(
        role_arn=session.role_arn,
        role_id=session.role_id,
        role_name=role_name,
        session_name=session.session_name,
        issued_at=session.issued_at,
        expires_at=session.expires_at,
        session_policies=session.session_policies,
        context=session.context,
        tags=session.tags,
        source_identity=session.source_identity,
        federated_provider=session.federated_provider,
    )
    return Principal(
        kind="assumed-role",
        arn=assumed_role_arn(account, role_name, session.session_name),
        account=account,
        user_id=f"{session.role_id}:{session.session_name}",
        name=role_name,
        access_key_id=session.access_key_id,
        session=role_session,
        tags=session.tags,
    )


class Sessions:
    """Issues sessions and answers for their keys (a CredentialSource)."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._cache: dict[str, SessionCredential] = {}
        self._lock = threading.Lock()

    def issue(
        self,
        *,
        role_id: str,
        role_arn: str,
        session_name: str,
        duration: timedelta,
        session_policies: Sequence[str] = (),
        context: Mapping[str, str | Sequence[str]] | None = None,
        tags: Mapping[str, str] | None = None,
        source_identity: str | None = None,
        federated_provider: str | None = None,
    ) -> IssuedCredentials:
        now = self.rt.now().replace(microsecond=0)
        token = secrets.token_urlsafe(96)
        session = store.StoredSession(
            access_key_id=ids.access_key_id("ASIA"),
            secret_access_key=ids.secret_access_key(),
            token_hash=token_hash(token),
            role_id=role_id,
            role_arn=role_arn,
            session_name=session_name,
            issued_at=now,
            expires_at=now + duration,
            session_policies=tuple(session_policies),
            context={k: v if isinstance(v, str) else tuple(v) for k, v in (context or {}).items()},
            tags=dict(tags or {}),
            source_identity=source_identity,
            federated_provider=federated_provider,
        )
        self.rt.group.run(lambda conn: store.insert(conn, session))
        # Remembered now: the client's first request with these keys needs no database read.
        principal = self._remember(session).principal
        return IssuedCredentials(
            access_key_id=session.access_key_id,
            secret_access_key=session.secret_access_key,
            session_token=token,
            expiration=session.expires_at,
            assumed_role_arn=principal.arn,
            assumed_role_id=principal.user_id,
        )

    def cached_access_key(self, access_key_id: str) -> Credential | None:
        return self._cache.get(access_key_id)

    def lookup_access_key(self, access_key_id: str) -> Credential | None:
        if not access_key_id.startswith("ASIA"):
            return None
        cached = self._cache.get(access_key_id)
        if cached is not None:
            return cached
        with read(self.rt.engine) as conn:
            session = store.get(conn, access_key_id)
        if session is None:
            return None
        return self._remember(session)

    def _remember(self, session: store.StoredSession) -> SessionCredential:
        credential = SessionCredential(
            access_key_id=session.access_key_id,
            secret_access_key=session.secret_access_key,
            principal=principal_of(session, self.rt.account_id),
            expires_at=session.expires_at,
            token_hash=session.token_hash,
        )
        with self._lock:
            if len(self._cache) >= MAX_CACHED:
                self._cache.clear()
            self._cache[session.access_key_id] = credential
        return credential

    def purge(self) -> None:
        """Housekeeping: forget sessions that expired more than a day ago."""
        cutoff = self.rt.now() - EXPIRED_KEPT
        with write(self.rt.engine) as conn:
            store.purge_expired(conn, cutoff)
        with self._lock:
            for key in [
                k for k, c in self._cache.items() if c.expires_at is not None and c.expires_at < cutoff
            ]:
                del self._cache[key]
