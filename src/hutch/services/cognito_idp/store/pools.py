"""User pools, their signing keys and their app clients."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from hutch.services.cognito_idp.model import AppClient, UserPool, from_ms, to_ms
from hutch.services.cognito_idp.tables import app_clients, signing_keys, user_pools, users

# Statements that run on every sign-in, built once (see ``users``).
_CLIENT_WITH_POOL = (
    sa.select(
        *app_clients.c,
        user_pools.c.name.label("pool_name"),
        user_pools.c.created_ms.label("pool_created_ms"),
        user_pools.c.modified_ms.label("pool_modified_ms"),
        user_pools.c.settings.label("pool_settings"),
        user_pools.c.decoy_secret,
    )
    .join(user_pools, user_pools.c.id == app_clients.c.pool_id)
    .where(app_clients.c.client_id == sa.bindparam("client_id"))
)
_SIGNING_KIDS = (
    sa.select(signing_keys.c.kid, signing_keys.c.token_use)
    .where(signing_keys.c.pool_id == sa.bindparam("pool_id"))
    .order_by(signing_keys.c.created_ms, signing_keys.c.kid)
)
_FIND_KEY = sa.select(signing_keys.c.pool_id, signing_keys.c.token_use, signing_keys.c.private_pem).where(
    signing_keys.c.kid == sa.bindparam("kid")
)


def _pool(row: Any) -> UserPool:
    m = row._mapping
    return UserPool(
        id=m["id"],
        name=m["name"],
        created=from_ms(m["created_ms"]),
        modified=from_ms(m["modified_ms"]),
        settings=json.loads(m["settings"]),
        decoy_secret=bytes.fromhex(m["decoy_secret"]),
    )


def insert_pool(conn: sa.Connection, pool: UserPool) -> None:
    conn.execute(
        user_pools.insert().values(
            id=pool.id,
            name=pool.name,
            created_ms=to_ms(pool.created),
            modified_ms=to_ms(pool.modified),
            settings=json.dumps(pool.settings, sort_keys=True),
            decoy_secret=pool.decoy_secret.hex(),
        )
    )


def get_pool(conn: sa.Connection, pool_id: str) -> UserPool | None:
    row = conn.execute(sa.select(user_pools).where(user_pools.c.id == pool_id)).first()
    return _pool(row) if row is not None else None


def list_pools(conn: sa.Connection, after: str | None, limit: int) -> list[UserPool]:
    query = sa.select(user_pools).order_by(user_pools.c.id).limit(limit)
    if after is not None:
        query = query.where(user_pools.c.id > after)
    return [_pool(r) for r in conn.execute(query)]


def update_pool(conn: sa.Connection, pool: UserPool) -> None:
    conn.execute(
        user_pools.update()
        .where(user_pools.c.id == pool.id)
        .values(
            name=pool.name,
            modified_ms=to_ms(pool.modified),
            settings=json.dumps(pool.settings, sort_keys=True),
        )
    )


def delete_pool(conn: sa.Connection, pool_id: str) -> None:
    # Every other table hangs off the pool (or its users) with ON DELETE CASCADE, except the few whose
    # rows are keyed by pool id alone; clear those explicitly.
    from hutch.services.cognito_idp.tables import challenges, outbox

    conn.execute(challenges.delete().where(challenges.c.pool_id == pool_id))
    conn.execute(outbox.delete().where(outbox.c.pool_id == pool_id))
    conn.execute(user_pools.delete().where(user_pools.c.id == pool_id))


def count_users(conn: sa.Connection, pool_id: str) -> int:
    query = sa.select(sa.func.count()).select_from(users).where(users.c.pool_id == pool_id)
    return int(conn.execute(query).scalar_one())


# --- signing keys --------------------------------------------------------------------------------------


def insert_key(
    conn: sa.Connection, kid: str, pool_id: str, token_use: str, pem: str, created_ms: int
) -> None:
    conn.execute(
        signing_keys.insert().values(
            kid=kid, pool_id=pool_id, token_use=token_use, private_pem=pem, created_ms=created_ms
        )
    )


def keys_for_pool(conn: sa.Connection, pool_id: str) -> list[tuple[str, str, str]]:
    """(kid, token_use, private_pem) of every key of the pool, oldest first."""
    query = (
        sa.select(signing_keys.c.kid, signing_keys.c.token_use, signing_keys.c.private_pem)
        .where(signing_keys.c.pool_id == pool_id)
        .order_by(signing_keys.c.created_ms, signing_keys.c.kid)
    )
    return [(r.kid, r.token_use, r.private_pem) for r in conn.execute(query)]


def signing_kids(conn: sa.Connection, pool_id: str) -> list[tuple[str, str]]:
    """(kid, token_use) of every key of the pool, oldest first (no key material: that is cached)."""
    return [(r.kid, r.token_use) for r in conn.execute(_SIGNING_KIDS, {"pool_id": pool_id})]


def find_key(conn: sa.Connection, kid: str) -> tuple[str, str, str] | None:
    """(pool_id, token_use, private_pem) for ``kid``."""
    row = conn.execute(_FIND_KEY, {"kid": kid}).first()
    return (row.pool_id, row.token_use, row.private_pem) if row is not None else None


# --- app clients ---------------------------------------------------------------------------------------


def _client(row: Any) -> AppClient:
    m = row._mapping
    return AppClient(
        client_id=m["client_id"],
        pool_id=m["pool_id"],
        name=m["name"],
        secret=m["secret"],
        settings=json.loads(m["settings"]),
        created=from_ms(m["created_ms"]),
        modified=from_ms(m["modified_ms"]),
    )


def insert_client(conn: sa.Connection, client: AppClient) -> None:
    conn.execute(
        app_clients.insert().values(
            client_id=client.client_id,
            pool_id=client.pool_id,
            name=client.name,
            secret=client.secret,
            settings=json.dumps(client.settings, sort_keys=True),
            created_ms=to_ms(client.created),
            modified_ms=to_ms(client.modified),
        )
    )


def get_client(conn: sa.Connection, client_id: str) -> AppClient | None:
    row = conn.execute(sa.select(app_clients).where(app_clients.c.client_id == client_id)).first()
    return _client(row) if row is not None else None


def client_with_pool(conn: sa.Connection, client_id: str) -> tuple[AppClient, UserPool] | None:
    """An app client and its pool in one query (every public operation starts with both)."""
    row = conn.execute(_CLIENT_WITH_POOL, {"client_id": client_id}).first()
    if row is None:
        return None
    m = row._mapping
    pool = UserPool(
        id=m["pool_id"],
        name=m["pool_name"],
        created=from_ms(m["pool_created_ms"]),
        modified=from_ms(m["pool_modified_ms"]),
        settings=json.loads(m["pool_settings"]),
        decoy_secret=bytes.fromhex(m["decoy_secret"]),
    )
    return _client(row), pool


def list_clients(conn: sa.Connection, pool_id: str, after: str | None, limit: int) -> list[AppClient]:
    query = (
        sa.select(app_clients)
        .where(app_clients.c.pool_id == pool_id)
        .order_by(app_clients.c.client_id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(app_clients.c.client_id > after)
    return [_client(r) for r in conn.execute(query)]


def update_client(conn: sa.Connection, client: AppClient) -> None:
    conn.execute(
        app_clients.update()
        .where(app_clients.c.client_id == client.client_id)
        .values(
            name=client.name,
            secret=client.secret,
            settings=json.dumps(client.settings, sort_keys=True),
            modified_ms=to_ms(client.modified),
        )
    )


def delete_client(conn: sa.Connection, client_id: str) -> None:
    conn.execute(app_clients.delete().where(app_clients.c.client_id == client_id))
