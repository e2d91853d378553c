"""IAM users, their inline policies and their access keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hutch.services.iam import tables as t
from hutch.services.iam.model import AccessKey, InlinePolicy, User, user_arn
from hutch.services.iam.store.common import tags_from, tags_json, utc


def _user(row: Any, account: str) -> User:
    return User(
        id=row.id,
        name=row.name,
        path=row.path,
        arn=user_arn(account, row.path, row.name),
        boundary_arn=row.boundary_arn,
        tags=tags_from(row.tags),
        created_at=utc(row.created_at),
    )


def insert(conn: sa.Connection, user: User) -> None:
    conn.execute(
        t.users.insert().values(
            id=user.id,
            name=user.name,
            name_key=user.name.lower(),
            path=user.path,
            boundary_arn=user.boundary_arn,
            tags=tags_json(user.tags),
            created_at=user.created_at,
        )
    )


def by_name(conn: sa.Connection, name: str, account: str) -> User | None:
    row = conn.execute(sa.select(t.users).where(t.users.c.name_key == name.lower())).first()
    return _user(row, account) if row else None


def by_id(conn: sa.Connection, user_id: str, account: str) -> User | None:
    row = conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).first()
    return _user(row, account) if row else None


def listing(conn: sa.Connection, account: str, path_prefix: str = "/") -> list[User]:
    query = sa.select(t.users).order_by(t.users.c.name_key)
    if path_prefix != "/":
        query = query.where(t.users.c.path.startswith(path_prefix, autoescape=True))
    return [_user(row, account) for row in conn.execute(query)]


def update(conn: sa.Connection, user_id: str, **values: Any) -> None:
    if "tags" in values:
        values["tags"] = tags_json(values["tags"])
    conn.execute(t.users.update().where(t.users.c.id == user_id).values(**values))


def delete(conn: sa.Connection, user_id: str) -> None:
    conn.execute(t.user_policies.delete().where(t.user_policies.c.user_id == user_id))
    conn.execute(t.users.delete().where(t.users.c.id == user_id))


# ---- inline policies -------------------------------------------------------------------------------------


def inline_policies(conn: sa.Connection, user_id: str) -> list[InlinePolicy]:
    rows = conn.execute(
        sa.select(t.user_policies.c.name, t.user_policies.c.document)
        .where(t.user_policies.c.user_id == user_id)
        .order_by(t.user_policies.c.name_key)
    )
    return [InlinePolicy(row.name, row.document) for row in rows]


def inline_policy(conn: sa.Connection, user_id: str, name: str) -> InlinePolicy | None:
    row = conn.execute(
        sa.select(t.user_policies.c.name, t.user_policies.c.document).where(
            t.user_policies.c.user_id == user_id, t.user_policies.c.name_key == name.lower()
        )
    ).first()
    return InlinePolicy(row.name, row.document) if row else None


def put_inline_policy(conn: sa.Connection, user_id: str, name: str, document: str) -> None:
    key = name.lower()
    done = conn.execute(
        t.user_policies.update()
        .where(t.user_policies.c.user_id == user_id, t.user_policies.c.name_key == key)
        .values(document=document)
    )
    if done.rowcount == 0:
        conn.execute(
            t.user_policies.insert().values(user_id=user_id, name_key=key, name=name, document=document)
        )


def delete_inline_policy(conn: sa.Connection, user_id: str, name: str) -> bool:
    done = conn.execute(
        t.user_policies.delete().where(
            t.user_policies.c.user_id == user_id, t.user_policies.c.name_key == name.lower()
        )
    )
    return bool(done.rowcount)


# ---- access keys -----------------------------------------------------------------------------------------


def _key(row: Any) -> AccessKey:
    return AccessKey(
        access_key_id=row.access_key_id,
        user_id=row.user_id,
        user_name=row.name,
        secret_access_key=row.secret,
        status=row.status,
        created_at=utc(row.created_at),
    )


def _keys_query() -> sa.Select[Any]:
    return sa.select(t.access_keys, t.users.c.name).join(t.users, t.users.c.id == t.access_keys.c.user_id)


def insert_access_key(
    conn: sa.Connection, access_key_id: str, user_id: str, secret: str, created_at: datetime
) -> None:
    conn.execute(
        t.access_keys.insert().values(
            access_key_id=access_key_id,
            user_id=user_id,
            secret=secret,
            status="Active",
            created_at=created_at,
        )
    )


def access_keys(conn: sa.Connection, user_id: str) -> list[AccessKey]:
    rows = conn.execute(
        _keys_query().where(t.access_keys.c.user_id == user_id).order_by(t.access_keys.c.created_at)
    )
    return [_key(row) for row in rows]


def access_key(conn: sa.Connection, access_key_id: str) -> AccessKey | None:
    row = conn.execute(_keys_query().where(t.access_keys.c.access_key_id == access_key_id)).first()
    return _key(row) if row else None


def set_access_key_status(conn: sa.Connection, access_key_id: str, status: str) -> None:
    conn.execute(
        t.access_keys.update().where(t.access_keys.c.access_key_id == access_key_id).values(status=status)
    )


def delete_access_key(conn: sa.Connection, access_key_id: str) -> None:
    conn.execute(t.access_keys.delete().where(t.access_keys.c.access_key_id == access_key_id))
