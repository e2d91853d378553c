"""Users, their attributes and the aliases that sign them in.

Every sign-in looks a user up by an indexed key (username_key, or an alias primary key); nothing here
scans a pool's users except ListUsers, which pages through an index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from hutch.services.cognito_idp.model import User, from_ms, to_ms
from hutch.services.cognito_idp.tables import aliases, user_attributes, users

LOOKUP_CHARS = 256


def lookup_of(value: str) -> str:
    """The indexed, case-folded prefix ListUsers filters on; matches are re-checked against the value."""
    return value.lower()[:LOOKUP_CHARS]


def _user(row: Any, attributes: Mapping[str, str]) -> User:
    m = row._mapping
    history = tuple((str(s), str(v)) for s, v in json.loads(m["password_history"] or "[]"))
    return User(
        sub=m["sub"],
        pool_id=m["pool_id"],
        username=m["username"],
        status=m["status"],
        enabled=bool(m["enabled"]),
        created=from_ms(m["created_ms"]),
        modified=from_ms(m["modified_ms"]),
        attributes=dict(attributes),
        salt=m["salt"],
        verifier=m["verifier"],
        password_set=from_ms(m["password_set_ms"]) if m["password_set_ms"] is not None else None,
        password_history=history,
        failed_attempts=int(m["failed_attempts"]),
        last_failure=from_ms(m["last_failure_ms"]) if m["last_failure_ms"] is not None else None,
        locked_until=from_ms(m["locked_until_ms"]) if m["locked_until_ms"] is not None else None,
    )


# The statements every sign-in runs, built once: SQLAlchemy then reuses their compiled form and cache key
# instead of rebuilding both per call (which cost more than SQLite's own work for these lookups).
_ONE_USER = sa.select(
    users, user_attributes.c.name.label("attribute_name"), user_attributes.c.value.label("attribute_value")
).outerjoin(user_attributes, user_attributes.c.sub == users.c.sub)
_BY_KEY = _ONE_USER.where(
    users.c.pool_id == sa.bindparam("pool_id"), users.c.username_key == sa.bindparam("username_key")
)
_BY_SUB = _ONE_USER.where(users.c.sub == sa.bindparam("sub"))
_SUB_FOR_ALIAS = sa.select(aliases.c.sub).where(
    aliases.c.pool_id == sa.bindparam("pool_id"),
    aliases.c.kind == sa.bindparam("kind"),
    aliases.c.alias_key == sa.bindparam("alias_key"),
)


def _one_user(conn: sa.Connection, statement: sa.Select[Any], params: dict[str, str]) -> User | None:
    """The user a prebuilt ``_ONE_USER`` statement finds, with its attributes (one row per attribute)."""
    rows = conn.execute(statement, params).all()
    if not rows:
        return None
    attributes = {r.attribute_name: r.attribute_value for r in rows if r.attribute_name is not None}
    return _user(rows[0], attributes)


def _attributes_of(conn: sa.Connection, subs: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {s: {} for s in subs}
    if not subs:
        return out
    query = sa.select(user_attributes.c.sub, user_attributes.c.name, user_attributes.c.value).where(
        user_attributes.c.sub.in_(subs)
    )
    for sub, name, value in conn.execute(query):
        out[sub][name] = value
    return out


def _with_attributes(conn: sa.Connection, rows: list[Any]) -> list[User]:
    attrs = _attributes_of(conn, [r.sub for r in rows])
    return [_user(r, attrs[r.sub]) for r in rows]


def insert_user(conn: sa.Connection, user: User, username_key: str) -> bool:
    """Insert the user (without attributes). False if the username is taken in the pool."""
    try:
        with conn.begin_nested():
            conn.execute(
                users.insert().values(
                    sub=user.sub,
                    pool_id=user.pool_id,
                    username=user.username,
                    username_key=username_key,
                    status=user.status,
                    enabled=user.enabled,
                    created_ms=to_ms(user.created),
                    modified_ms=to_ms(user.modified),
                    salt=user.salt,
                    verifier=user.verifier,
                    password_set_ms=to_ms(user.password_set) if user.password_set else None,
                    password_history=json.dumps([]),
                )
            )
    except IntegrityError:
        return False
    return True


def get_by_key(conn: sa.Connection, pool_id: str, username_key: str) -> User | None:
    return _one_user(conn, _BY_KEY, {"pool_id": pool_id, "username_key": username_key})


def get_by_sub(conn: sa.Connection, sub: str) -> User | None:
    return _one_user(conn, _BY_SUB, {"sub": sub})


def sub_for_alias(conn: sa.Connection, pool_id: str, kind: str, alias_key: str) -> str | None:
    params = {"pool_id": pool_id, "kind": kind, "alias_key": alias_key}
    value = conn.execute(_SUB_FOR_ALIAS, params).scalar_one_or_none()
    return str(value) if value is not None else None


def claim_alias(conn: sa.Connection, pool_id: str, kind: str, alias_key: str, sub: str) -> str | None:
    """Point the alias at ``sub``. Returns the sub of another user that already holds it (nothing changed),
    or None on success."""
    holder = sub_for_alias(conn, pool_id, kind, alias_key)
    if holder == sub:
        return None
    if holder is not None:
        return holder
    try:
        with conn.begin_nested():
            conn.execute(aliases.insert().values(pool_id=pool_id, kind=kind, alias_key=alias_key, sub=sub))
    except IntegrityError:
        return sub_for_alias(conn, pool_id, kind, alias_key) or "?"
    return None


def release_alias(conn: sa.Connection, pool_id: str, kind: str, alias_key: str) -> None:
    conn.execute(
        aliases.delete().where(
            aliases.c.pool_id == pool_id, aliases.c.kind == kind, aliases.c.alias_key == alias_key
        )
    )


def aliases_of(conn: sa.Connection, sub: str) -> dict[str, str]:
    """kind -> alias_key currently pointing at the user."""
    query = sa.select(aliases.c.kind, aliases.c.alias_key).where(aliases.c.sub == sub)
    return {str(kind): str(key) for kind, key in conn.execute(query)}


def set_attributes(conn: sa.Connection, pool_id: str, sub: str, changes: Mapping[str, str | None]) -> None:
    """Set (value) or delete (None) attributes of a user."""
    for name, value in changes.items():
        conn.execute(
            user_attributes.delete().where(user_attributes.c.sub == sub, user_attributes.c.name == name)
        )
        if value is not None:
            conn.execute(
                user_attributes.insert().values(
                    sub=sub, name=name, pool_id=pool_id, value=value, lookup=lookup_of(value)
                )
            )


def update_user(conn: sa.Connection, sub: str, **fields: Any) -> None:
    """Update columns of the users row; datetimes are converted to milliseconds."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("modified", "password_set", "last_failure", "locked_until"):
            values[f"{name}_ms"] = to_ms(value) if value is not None else None
        elif name == "password_history":
            values[name] = json.dumps([list(p) for p in value])
        else:
            values[name] = value
    conn.execute(users.update().where(users.c.sub == sub).values(**values))


def delete_user(conn: sa.Connection, sub: str) -> None:
    conn.execute(users.delete().where(users.c.sub == sub))


@dataclass(frozen=True)
class UserQuery:
    """One ListUsers filter, mapped to where it is stored: ``column`` is a users column (``enabled`` takes
    "enabled" / "disabled") or None for the attribute ``attribute``; exact or ``prefix`` match."""

    attribute: str | None
    column: str | None
    value: str
    prefix: bool


def list_users(
    conn: sa.Connection,
    pool_id: str,
    after_key: str | None,
    limit: int,
    query: UserQuery | None = None,
) -> tuple[list[User], str | None]:
    """A page of users ordered by username_key, and the last key scanned (for the next page).

    The page can hold fewer than ``limit`` users when attribute matches are refined by the caller; the
    next page then continues after the last key scanned."""
    stmt = sa.select(users).where(users.c.pool_id == pool_id)
    if query is not None:
        stmt = _apply_filter(stmt, pool_id, query)
    if after_key is not None:
        stmt = stmt.where(users.c.username_key > after_key)
    rows = list(conn.execute(stmt.order_by(users.c.username_key).limit(limit)))
    last = rows[-1].username_key if len(rows) == limit else None
    return _with_attributes(conn, rows), last


def _apply_filter(stmt: Any, pool_id: str, query: UserQuery) -> Any:
    if query.column == "enabled":
        return stmt.where(users.c.enabled == (query.value == "enabled"))
    if query.column is not None:
        column = users.c[query.column]
        if query.prefix:
            return stmt.where(column.startswith(query.value, autoescape=True))
        return stmt.where(column == query.value)
    lookup = lookup_of(query.value)
    condition = (
        user_attributes.c.lookup.startswith(lookup, autoescape=True)
        if query.prefix or len(query.value) > LOOKUP_CHARS
        else user_attributes.c.lookup == lookup
    )
    matching = sa.select(user_attributes.c.sub).where(
        user_attributes.c.pool_id == pool_id, user_attributes.c.name == query.attribute, condition
    )
    return stmt.where(users.c.sub.in_(matching))


def subs_in(conn: sa.Connection, subs: Iterable[str]) -> list[User]:
    wanted = list(subs)
    if not wanted:
        return []
    rows = list(conn.execute(sa.select(users).where(users.c.sub.in_(wanted)).order_by(users.c.username_key)))
    return _with_attributes(conn, rows)
