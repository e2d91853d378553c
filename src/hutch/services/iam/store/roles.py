"""Roles and their inline policies."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hutch.services.iam import tables as t
from hutch.services.iam.model import InlinePolicy, Role, Tags, role_arn
from hutch.services.iam.store.common import tags_from, tags_json, utc


def _role(row: Any, account: str) -> Role:
    return Role(
        id=row.id,
        name=row.name,
        path=row.path,
        arn=role_arn(account, row.path, row.name),
        trust_policy=row.trust_policy,
        description=row.description,
        max_session_duration=row.max_session_duration,
        boundary_arn=row.boundary_arn,
        tags=tags_from(row.tags),
        created_at=utc(row.created_at),
    )


def insert(conn: sa.Connection, role: Role) -> None:
    conn.execute(
        t.roles.insert().values(
            id=role.id,
            name=role.name,
            name_key=role.name.lower(),
            path=role.path,
            trust_policy=role.trust_policy,
            description=role.description,
            max_session_duration=role.max_session_duration,
            boundary_arn=role.boundary_arn,
            tags=tags_json(role.tags),
            created_at=role.created_at,
        )
    )


def by_name(conn: sa.Connection, name: str, account: str) -> Role | None:
    row = conn.execute(sa.select(t.roles).where(t.roles.c.name_key == name.lower())).first()
    return _role(row, account) if row else None


def by_id(conn: sa.Connection, role_id: str, account: str) -> Role | None:
    row = conn.execute(sa.select(t.roles).where(t.roles.c.id == role_id)).first()
    return _role(row, account) if row else None


def listing(conn: sa.Connection, account: str, path_prefix: str = "/") -> list[Role]:
    query = sa.select(t.roles).order_by(t.roles.c.name_key)
    if path_prefix != "/":
        query = query.where(t.roles.c.path.startswith(path_prefix, autoescape=True))
    return [_role(row, account) for row in conn.execute(query)]


def update(conn: sa.Connection, role_id: str, **values: Any) -> None:
    if "tags" in values:
        values["tags"] = tags_json(values["tags"])
    conn.execute(t.roles.update().where(t.roles.c.id == role_id).values(**values))


def set_tags(conn: sa.Connection, role_id: str, tags: Tags) -> None:
    update(conn, role_id, tags=tags)


def delete(conn: sa.Connection, role_id: str) -> None:
    conn.execute(t.role_policies.delete().where(t.role_policies.c.role_id == role_id))
    conn.execute(t.roles.delete().where(t.roles.c.id == role_id))


def count(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(t.roles)).scalar_one())


# ---- inline policies -------------------------------------------------------------------------------------


def inline_policies(conn: sa.Connection, role_id: str) -> list[InlinePolicy]:
    rows = conn.execute(
        sa.select(t.role_policies.c.name, t.role_policies.c.document)
        .where(t.role_policies.c.role_id == role_id)
        .order_by(t.role_policies.c.name_key)
    )
    return [InlinePolicy(row.name, row.document) for row in rows]


def inline_policy(conn: sa.Connection, role_id: str, name: str) -> InlinePolicy | None:
    row = conn.execute(
        sa.select(t.role_policies.c.name, t.role_policies.c.document).where(
            t.role_policies.c.role_id == role_id, t.role_policies.c.name_key == name.lower()
        )
    ).first()
    return InlinePolicy(row.name, row.document) if row else None


def put_inline_policy(conn: sa.Connection, role_id: str, name: str, document: str) -> None:
    key = name.lower()
    done = conn.execute(
        t.role_policies.update()
        .where(t.role_policies.c.role_id == role_id, t.role_policies.c.name_key == key)
        .values(document=document)
    )
    if done.rowcount == 0:
        conn.execute(
            t.role_policies.insert().values(role_id=role_id, name_key=key, name=name, document=document)
        )


def delete_inline_policy(conn: sa.Connection, role_id: str, name: str) -> bool:
    done = conn.execute(
        t.role_policies.delete().where(
            t.role_policies.c.role_id == role_id, t.role_policies.c.name_key == name.lower()
        )
    )
    return bool(done.rowcount)
