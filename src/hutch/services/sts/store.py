"""The only code that reads or writes STS's table of sessions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from hutch.services.sts.tables import sessions


@dataclass(frozen=True)
class StoredSession:
    """Everything a temporary credential carries into the requests it signs."""

    access_key_id: str
    secret_access_key: str
    token_hash: str
    role_id: str
    role_arn: str
    session_name: str
    issued_at: datetime
    expires_at: datetime
    session_policies: tuple[str, ...]
    context: dict[str, str | tuple[str, ...]]
    tags: dict[str, str]
    source_identity: str | None
    federated_provider: str | None


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _session(row: Any) -> StoredSession:
    context = {k: v if isinstance(v, str) else tuple(v) for k, v in json.loads(row.context).items()}
    return StoredSession(
        access_key_id=row.access_key_id,
        secret_access_key=row.secret,
        token_hash=row.token_hash,
        role_id=row.role_id,
        role_arn=row.role_arn,
        session_name=row.session_name,
        issued_at=_utc(row.issued_at),
        expires_at=_utc(row.expires_at),
        session_policies=tuple(json.loads(row.session_policies)),
        context=context,
        tags=dict(json.loads(row.tags)),
        source_identity=row.source_identity,
        federated_provider=row.federated_provider,
    )


# Built once: executing the same statement object reuses SQLAlchemy's compiled form (a per-call
# ``.values(...)`` would build, key and look up a new statement every time).
_INSERT = sessions.insert()


def insert(conn: sa.Connection, s: StoredSession) -> None:
    conn.execute(
        _INSERT,
        {
            "access_key_id": s.access_key_id,
            "secret": s.secret_access_key,
            "token_hash": s.token_hash,
            "role_id": s.role_id,
            "role_arn": s.role_arn,
            "session_name": s.session_name,
            "issued_at": s.issued_at,
            "expires_at": s.expires_at,
            "session_policies": json.dumps(list(s.session_policies)),
            "context": json.dumps({k: v if isinstance(v, str) else list(v) for k, v in s.context.items()}),
            "tags": json.dumps(s.tags),
            "source_identity": s.source_identity,
            "federated_provider": s.federated_provider,
        },
    )


def get(conn: sa.Connection, access_key_id: str) -> StoredSession | None:
    row = conn.execute(sa.select(sessions).where(sessions.c.access_key_id == access_key_id)).first()
    return _session(row) if row else None


def purge_expired(conn: sa.Connection, before: datetime) -> int:
    """Forget sessions that expired before ``before``; returns how many."""
    return int(conn.execute(sessions.delete().where(sessions.c.expires_at < before)).rowcount or 0)
