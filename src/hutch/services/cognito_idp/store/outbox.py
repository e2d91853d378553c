"""The outbox: messages the default sender kept instead of sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from hutch.services.cognito_idp.model import from_ms, to_ms
from hutch.services.cognito_idp.tables import outbox


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    pool_id: str
    username: str
    kind: str
    medium: str
    destination: str
    subject: str | None
    body: str
    created: datetime


def add(
    conn: sa.Connection,
    *,
    pool_id: str,
    username: str,
    kind: str,
    medium: str,
    destination: str,
    subject: str | None,
    body: str,
    created: datetime,
) -> None:
    conn.execute(
        outbox.insert().values(
            pool_id=pool_id,
            username=username,
            kind=kind,
            medium=medium,
            destination=destination,
            subject=subject,
            body=body,
            created_ms=to_ms(created),
        )
    )


def recent(
    conn: sa.Connection, *, pool_id: str | None = None, username: str | None = None, limit: int = 50
) -> list[OutboxEntry]:
    """Newest first."""
    query = sa.select(outbox).order_by(outbox.c.id.desc()).limit(limit)
    if pool_id is not None:
        query = query.where(outbox.c.pool_id == pool_id)
    if username is not None:
        query = query.where(outbox.c.username == username)
    return [
        OutboxEntry(
            id=r.id,
            pool_id=r.pool_id,
            username=r.username,
            kind=r.kind,
            medium=r.medium,
            destination=r.destination,
            subject=r.subject,
            body=r.body,
            created=from_ms(r.created_ms),
        )
        for r in conn.execute(query)
    ]


def purge(conn: sa.Connection, older_than: datetime) -> int:
    result = conn.execute(outbox.delete().where(outbox.c.created_ms < to_ms(older_than)))
    return int(result.rowcount or 0)
