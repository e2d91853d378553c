"""Groups and group membership."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from hutch.services.cognito_idp.model import Group, User, from_ms, to_ms
from hutch.services.cognito_idp.store.users import subs_in
from hutch.services.cognito_idp.tables import group_members, groups


def _group(row: Any) -> Group:
    m = row._mapping
    return Group(
        pool_id=m["pool_id"],
        name=m["name"],
        description=m["description"],
        role_arn=m["role_arn"],
        precedence=m["precedence"],
        created=from_ms(m["created_ms"]),
        modified=from_ms(m["modified_ms"]),
    )


def insert_group(conn: sa.Connection, group: Group) -> bool:
    """False when a group of that name already exists in the pool."""
    try:
        with conn.begin_nested():
            conn.execute(
                groups.insert().values(
                    pool_id=group.pool_id,
                    name=group.name,
                    description=group.description,
                    role_arn=group.role_arn,
                    precedence=group.precedence,
                    created_ms=to_ms(group.created),
                    modified_ms=to_ms(group.modified),
                )
            )
    except IntegrityError:
        return False
    return True


def get_group(conn: sa.Connection, pool_id: str, name: str) -> Group | None:
    row = conn.execute(sa.select(groups).where(groups.c.pool_id == pool_id, groups.c.name == name)).first()
    return _group(row) if row is not None else None


def list_groups(conn: sa.Connection, pool_id: str, after: str | None, limit: int) -> list[Group]:
    query = sa.select(groups).where(groups.c.pool_id == pool_id).order_by(groups.c.name).limit(limit)
    if after is not None:
        query = query.where(groups.c.name > after)
    return [_group(r) for r in conn.execute(query)]


def update_group(conn: sa.Connection, group: Group) -> None:
    conn.execute(
        groups.update()
        .where(groups.c.pool_id == group.pool_id, groups.c.name == group.name)
        .values(
            description=group.description,
            role_arn=group.role_arn,
            precedence=group.precedence,
            modified_ms=to_ms(group.modified),
        )
    )


def delete_group(conn: sa.Connection, pool_id: str, name: str) -> None:
    conn.execute(
        group_members.delete().where(group_members.c.pool_id == pool_id, group_members.c.group_name == name)
    )
    conn.execute(groups.delete().where(groups.c.pool_id == pool_id, groups.c.name == name))


def add_member(conn: sa.Connection, pool_id: str, name: str, sub: str) -> None:
    """Idempotent, as AdminAddUserToGroup is."""
    exists = conn.execute(
        sa.select(group_members.c.sub).where(
            group_members.c.pool_id == pool_id, group_members.c.group_name == name, group_members.c.sub == sub
        )
    ).first()
    if exists is None:
        try:
            with conn.begin_nested():
                conn.execute(group_members.insert().values(pool_id=pool_id, group_name=name, sub=sub))
        except IntegrityError:
            pass  # added concurrently: the membership exists, which is what was asked


def remove_member(conn: sa.Connection, pool_id: str, name: str, sub: str) -> None:
    conn.execute(
        group_members.delete().where(
            group_members.c.pool_id == pool_id, group_members.c.group_name == name, group_members.c.sub == sub
        )
    )


_GROUPS_OF = (
    sa.select(groups)
    .join(
        group_members,
        sa.and_(group_members.c.pool_id == groups.c.pool_id, group_members.c.group_name == groups.c.name),
    )
    .order_by(groups.c.name)
)
# Every sign-in asks for all of a user's groups: that statement is built once (see ``users``).
_ALL_GROUPS_OF = _GROUPS_OF.where(group_members.c.sub == sa.bindparam("sub"))


def groups_of(
    conn: sa.Connection, sub: str, after: str | None = None, limit: int | None = None
) -> list[Group]:
    if after is None and limit is None:
        return [_group(r) for r in conn.execute(_ALL_GROUPS_OF, {"sub": sub})]
    query = _GROUPS_OF.where(group_members.c.sub == sub)
    if after is not None:
        query = query.where(groups.c.name > after)
    if limit is not None:
        query = query.limit(limit)
    return [_group(r) for r in conn.execute(query)]


def members(conn: sa.Connection, pool_id: str, name: str, after: str | None, limit: int) -> list[User]:
    """A page of a group's members, ordered by sub (the page token)."""
    query = (
        sa.select(group_members.c.sub)
        .where(group_members.c.pool_id == pool_id, group_members.c.group_name == name)
        .order_by(group_members.c.sub)
        .limit(limit)
    )
    if after is not None:
        query = query.where(group_members.c.sub > after)
    subs = [r.sub for r in conn.execute(query)]
    found = {u.sub: u for u in subs_in(conn, subs)}
    return [found[s] for s in subs if s in found]
