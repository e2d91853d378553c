"""The only code that reads or writes the identity-pool tables.

Every method is one transaction. Linking logins to identities (GetId, GetCredentialsForIdentity, developer
identities) first plans on a read snapshot and returns without writing when nothing changes — the common case
of a known user signing in again — and otherwise re-plans and applies inside one write transaction, retried
once if a concurrent writer linked the same new login first (the unique index on logins decides the race).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hutch.services.cognito_identity import errors
from hutch.services.cognito_identity.linking import LinkPlan, is_proof, plan_links
from hutch.services.cognito_identity.model import (
    Identity,
    IdentityPool,
    IdentityState,
    Login,
    PrincipalTagMap,
    mappings_from_api,
    mappings_to_api,
)
from hutch.services.cognito_identity.pool_cache import PoolCache
from hutch.services.cognito_identity.tables import (
    identities,
    identity_pools,
    logins,
    principal_tag_maps,
    signing_keys,
)
from hutch.store.engine import read, write

Planner = Callable[[Identity | None, dict[Login, Identity]], LinkPlan]
ACTIVE_KEY = 1

# The hot path's statements, built once: GetId and GetCredentialsForIdentity run a handful of these each.
_POOL = sa.select(identity_pools).where(identity_pools.c.id == sa.bindparam("pool_id"))
_TAG_MAPS = sa.select(principal_tag_maps).where(principal_tag_maps.c.pool_id == sa.bindparam("pool_id"))
_HELD = logins.alias("held")
# An identity and its logins in one statement (one row per login; one row with NULLs when it has none).
_IDENTITY_AND_LOGINS = (
    sa.select(identities, _HELD.c.provider, _HELD.c.subject)
    .outerjoin(_HELD, _HELD.c.identity_id == identities.c.id)
    .where(identities.c.id == sa.bindparam("identity_id"))
    .order_by(_HELD.c.linked_ms, _HELD.c.provider)
)
_OWNING = logins.alias("owning")
# The identity holding one login, with all its logins: GetId for a known user is this one indexed read.
_OWNER_AND_LOGINS = (
    sa.select(identities, _HELD.c.provider, _HELD.c.subject)
    .select_from(_OWNING)
    .join(identities, identities.c.id == _OWNING.c.identity_id)
    .outerjoin(_HELD, _HELD.c.identity_id == identities.c.id)
    .where(
        _OWNING.c.pool_id == sa.bindparam("pool_id"),
        _OWNING.c.provider == sa.bindparam("provider"),
        _OWNING.c.subject == sa.bindparam("subject"),
    )
    .order_by(_HELD.c.linked_ms, _HELD.c.provider)
)
_LOGINS_OF = (
    sa.select(logins.c.identity_id, logins.c.provider, logins.c.subject)
    .where(logins.c.identity_id.in_(sa.bindparam("identity_ids", expanding=True)))
    .order_by(logins.c.linked_ms, logins.c.provider)
)


@dataclass(frozen=True)
class PoolView:
    """A pool with its principal tag maps, read together."""

    pool: IdentityPool
    tag_maps: Mapping[str, PrincipalTagMap]


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def _when(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class IdentityStore:
    def __init__(self, engine: Engine, region: str) -> None:
        self.engine = engine
        self.region = region
        # Pools with their tag maps; every write below that changes either calls self._pools.changed().
        self._pools: PoolCache[PoolView] = PoolCache()

    def new_identity_id(self) -> str:
        return f"{self.region}:{uuid.uuid4()}"

    # ---- pools --------------------------------------------------------------------------------------------

    def insert_pool(self, pool: IdentityPool, now: datetime) -> None:
        with self._pool_write() as conn:
            conn.execute(
                identity_pools.insert().values(**_pool_row(pool), created_ms=_ms(now), modified_ms=_ms(now))
            )

    def get_pool(self, pool_id: str) -> IdentityPool | None:
        view = self.pool_view(pool_id)
        return view.pool if view is not None else None

    def pool_view(self, pool_id: str) -> PoolView | None:
        return self._pools.get(pool_id, self._read_pool_view)

    def _read_pool_view(self, pool_id: str) -> PoolView | None:
        with read(self.engine) as conn:
            return _pool_view(conn, pool_id)

    @contextmanager
    def _pool_write(self) -> Iterator[sa.Connection]:
        """A write transaction that changes pools or tag maps: cached pools are dropped once it is over."""
        try:
            with write(self.engine) as conn:
                yield conn
        finally:
            self._pools.changed()

    def identity_view(self, identity_id: str) -> tuple[Identity, PoolView] | None:
        """An identity with its logins (one read), and its pool."""
        with read(self.engine) as conn:
            identity = _load_identities(conn, [identity_id]).get(identity_id)
        view = self.pool_view(identity.pool_id) if identity is not None else None
        return (identity, view) if identity is not None and view is not None else None

    def update_pool(
        self, pool_id: str, change: Callable[[IdentityPool], IdentityPool], now: datetime
    ) -> IdentityPool | None:
        """Apply ``change`` to the pool's current value atomically; None when the pool does not exist."""
        with self._pool_write() as conn:
            row = conn.execute(sa.select(identity_pools).where(identity_pools.c.id == pool_id)).first()
            if row is None:
                return None
            updated = change(_pool_from_row(row))
            conn.execute(
                identity_pools.update()
                .where(identity_pools.c.id == pool_id)
                .values(**_pool_row(updated), modified_ms=_ms(now))
            )
        return updated

    def delete_pool(self, pool_id: str) -> bool:
        with self._pool_write() as conn:
            # Logins reference identities, not the pool: remove them explicitly before the cascade.
            conn.execute(logins.delete().where(logins.c.pool_id == pool_id))
            conn.execute(identities.delete().where(identities.c.pool_id == pool_id))
            conn.execute(principal_tag_maps.delete().where(principal_tag_maps.c.pool_id == pool_id))
            deleted = conn.execute(identity_pools.delete().where(identity_pools.c.id == pool_id)).rowcount
        return bool(deleted)

    def list_pools(self, limit: int, after: str | None) -> tuple[list[tuple[str, str]], str | None]:
        query = sa.select(identity_pools.c.id, identity_pools.c.name).order_by(identity_pools.c.id)
        if after is not None:
            query = query.where(identity_pools.c.id > after)
        with read(self.engine) as conn:
            rows = conn.execute(query.limit(limit + 1)).all()
        page = [(r.id, r.name) for r in rows[:limit]]
        return page, (page[-1][0] if len(rows) > limit else None)

    def get_tag_map(self, pool_id: str, provider: str) -> PrincipalTagMap | None:
        with read(self.engine) as conn:
            row = conn.execute(
                sa.select(principal_tag_maps).where(
                    principal_tag_maps.c.pool_id == pool_id, principal_tag_maps.c.provider == provider
                )
            ).first()
        return PrincipalTagMap(bool(row.use_defaults), json.loads(row.tags)) if row is not None else None

    def put_tag_map(self, pool_id: str, provider: str, tag_map: PrincipalTagMap) -> None:
        key = (principal_tag_maps.c.pool_id == pool_id, principal_tag_maps.c.provider == provider)
        values = {"use_defaults": tag_map.use_defaults, "tags": _dump(dict(tag_map.tags))}
        with self._pool_write() as conn:
            if conn.execute(principal_tag_maps.update().where(*key).values(**values)).rowcount == 0:
                conn.execute(principal_tag_maps.insert().values(pool_id=pool_id, provider=provider, **values))

    # ---- identities ---------------------------------------------------------------------------------------

    def get_identity(self, identity_id: str) -> Identity | None:
        with read(self.engine) as conn:
            found = _load_identities(conn, [identity_id])
        return found.get(identity_id)

    def link(
        self,
        pool_id: str,
        target: Identity | None,
        presented: Sequence[Login],
        *,
        developer_provider: str | None,
        allow_unauthenticated: bool,
        now: datetime,
    ) -> Identity:
        """The identity the ``presented`` logins (verified by the caller) resolve to, linking or merging as
        needed. ``target`` is the identity named in the call, as the caller read it (None for GetId)."""

        def planner(current: Identity | None, owners: dict[Login, Identity]) -> LinkPlan:
            return plan_links(
                target=current,
                presented=presented,
                owners=owners,
                developer_provider=developer_provider,
                allow_unauthenticated=allow_unauthenticated,
            )

        # A known user presenting their own logins: nothing to look up, nothing to change.
        own = _own_logins(target, presented)
        if own is not None and target is not None and not planner(target, own).changes_anything:
            return target
        target_id = target.identity_id if target is not None else None
        with read(self.engine) as conn:
            current, owners = _load_involved(conn, pool_id, target_id, presented)
            plan = planner(current, owners)
            if not plan.changes_anything:
                assert plan.identity_id is not None
                for known in (current, *owners.values()):
                    if known is not None and known.identity_id == plan.identity_id:
                        return known
                return _load_identities(conn, [plan.identity_id])[plan.identity_id]
        for attempt in (1, 2):
            try:
                with write(self.engine) as conn:
                    current, owners = _load_involved(conn, pool_id, target_id, presented)
                    identity_id = self._apply(conn, pool_id, planner(current, owners), _ms(now))
                    return _load_identities(conn, [identity_id])[identity_id]
            except sa.exc.IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _apply(self, conn: sa.Connection, pool_id: str, plan: LinkPlan, now_ms: int) -> str:
        identity_id = plan.identity_id
        if identity_id is None:
            identity_id = self.new_identity_id()
            conn.execute(
                identities.insert().values(
                    id=identity_id, pool_id=pool_id, state=plan.state, created_ms=now_ms, modified_ms=now_ms
                )
            )
        else:
            conn.execute(
                identities.update()
                .where(identities.c.id == identity_id)
                .values(state=plan.state, modified_ms=now_ms)
            )
        if plan.merge:
            conn.execute(
                logins.update().where(logins.c.identity_id.in_(plan.merge)).values(identity_id=identity_id)
            )
            conn.execute(
                identities.update()
                .where(identities.c.id.in_(plan.merge))
                .values(state="disabled", modified_ms=now_ms)
            )
        if plan.add:
            conn.execute(
                logins.insert(),
                [
                    {
                        "pool_id": pool_id,
                        "provider": login.provider,
                        "subject": login.subject,
                        "identity_id": identity_id,
                        "linked_ms": now_ms,
                    }
                    for login in plan.add
                ],
            )
        return identity_id

    def list_identities(
        self, pool_id: str, limit: int, after: str | None, hide_disabled: bool
    ) -> tuple[list[Identity], str | None]:
        query = sa.select(identities.c.id).where(identities.c.pool_id == pool_id).order_by(identities.c.id)
        if after is not None:
            query = query.where(identities.c.id > after)
        if hide_disabled:
            query = query.where(identities.c.state != "disabled")
        with read(self.engine) as conn:
            ids = list(conn.execute(query.limit(limit + 1)).scalars())
            found = _load_identities(conn, ids[:limit])
        page = [found[i] for i in ids[:limit]]
        return page, (ids[limit - 1] if len(ids) > limit else None)

    def delete_identities(self, identity_ids: Iterable[str]) -> None:
        ids = list(dict.fromkeys(identity_ids))
        with write(self.engine) as conn:
            conn.execute(logins.delete().where(logins.c.identity_id.in_(ids)))
            conn.execute(identities.delete().where(identities.c.id.in_(ids)))

    def pools_of(self, identity_ids: Iterable[str]) -> dict[str, str]:
        """identity id -> pool id, for the identities that exist."""
        with read(self.engine) as conn:
            rows = conn.execute(
                sa.select(identities.c.id, identities.c.pool_id).where(
                    identities.c.id.in_(list(identity_ids))
                )
            ).all()
        return {r.id: r.pool_id for r in rows}

    def unlink(self, identity_id: str, remove: Sequence[Login], now: datetime) -> Identity:
        """Remove ``remove`` from the identity; with no login left it becomes disabled (inaccessible)."""
        with write(self.engine) as conn:
            for login in remove:
                conn.execute(
                    logins.delete().where(
                        logins.c.identity_id == identity_id,
                        logins.c.provider == login.provider,
                        logins.c.subject == login.subject,
                    )
                )
            left = conn.execute(
                sa.select(sa.func.count()).select_from(logins).where(logins.c.identity_id == identity_id)
            ).scalar_one()
            state: IdentityState = "authenticated" if left else "disabled"
            conn.execute(
                identities.update()
                .where(identities.c.id == identity_id)
                .values(state=state, modified_ms=_ms(now))
            )
            return _load_identities(conn, [identity_id])[identity_id]

    def owner_of(self, pool_id: str, login: Login) -> Identity | None:
        with read(self.engine) as conn:
            owners = _owners(conn, pool_id, [login])
        return owners.get(login)

    def merge_into(self, pool_id: str, source_id: str, destination_id: str, now: datetime) -> None:
        """Move every login of ``source_id`` to ``destination_id`` and disable the source."""
        with write(self.engine) as conn:
            conn.execute(
                logins.update()
                .where(logins.c.pool_id == pool_id, logins.c.identity_id == source_id)
                .values(identity_id=destination_id)
            )
            conn.execute(
                identities.update()
                .where(identities.c.id == source_id)
                .values(state="disabled", modified_ms=_ms(now))
            )
            conn.execute(
                identities.update()
                .where(identities.c.id == destination_id)
                .values(state="authenticated", modified_ms=_ms(now))
            )

    # ---- the OpenID signing key ---------------------------------------------------------------------------

    def signing_key(self, generate: Callable[[], tuple[str, str]], now: datetime) -> tuple[str, str]:
        """This installation's (kid, private key PEM), generated on first use; the first server to store one
        wins a race and every other server uses that one."""
        query = sa.select(signing_keys.c.kid, signing_keys.c.private_pem).where(
            signing_keys.c.slot == ACTIVE_KEY
        )
        with read(self.engine) as conn:
            row = conn.execute(query).first()
        if row is not None:
            return row.kid, row.private_pem
        kid, pem = generate()
        try:
            with write(self.engine) as conn:
                conn.execute(
                    signing_keys.insert().values(
                        slot=ACTIVE_KEY, kid=kid, private_pem=pem, created_ms=_ms(now)
                    )
                )
        except sa.exc.IntegrityError:
            pass  # another server stored its key first
        with read(self.engine) as conn:
            row = conn.execute(query).one()
        return row.kid, row.private_pem


def _pool_row(pool: IdentityPool) -> dict[str, Any]:
    return {
        "id": pool.pool_id,
        "name": pool.name,
        "allow_unauthenticated": pool.allow_unauthenticated,
        "allow_classic_flow": pool.allow_classic_flow,
        "developer_provider_name": pool.developer_provider_name,
        "configuration": _dump(pool.configuration()),
        "roles": _dump(dict(pool.roles)),
        "role_mappings": _dump(mappings_to_api(pool.role_mappings)),
        "tags": _dump(dict(pool.tags)),
    }


def _pool_from_row(row: sa.Row[Any]) -> IdentityPool:
    pool = IdentityPool(
        pool_id=row.id,
        name=row.name,
        allow_unauthenticated=bool(row.allow_unauthenticated),
        allow_classic_flow=None if row.allow_classic_flow is None else bool(row.allow_classic_flow),
        developer_provider_name=row.developer_provider_name,
        tags=json.loads(row.tags),
        roles=json.loads(row.roles),
        role_mappings=mappings_from_api(json.loads(row.role_mappings)),
        created_at=_when(row.created_ms),
    )
    return pool.with_configuration(json.loads(row.configuration))


def _pool_view(conn: sa.Connection, pool_id: str) -> PoolView | None:
    row = conn.execute(_POOL, {"pool_id": pool_id}).first()
    if row is None:
        return None
    tag_maps = {
        r.provider: PrincipalTagMap(bool(r.use_defaults), json.loads(r.tags))
        for r in conn.execute(_TAG_MAPS, {"pool_id": pool_id})
    }
    return PoolView(_pool_from_row(row), tag_maps)


def _own_logins(target: Identity | None, presented: Sequence[Login]) -> dict[Login, Identity] | None:
    """The owners map when every presented login already belongs to ``target`` (or proves it), else None."""
    if target is None or not presented:
        return None
    held = set(target.logins)
    for login in presented:
        if not (login in held or (is_proof(login) and login.subject == target.identity_id)):
            return None
    return dict.fromkeys(presented, target)


def _load_identities(conn: sa.Connection, ids: Sequence[str]) -> dict[str, Identity]:
    if not ids:
        return {}
    if len(ids) == 1:
        return _identities_with_logins(conn.execute(_IDENTITY_AND_LOGINS, {"identity_id": ids[0]}))
    rows = conn.execute(sa.select(identities).where(identities.c.id.in_(list(ids)))).all()
    linked: dict[str, list[Login]] = {}
    for r in conn.execute(_LOGINS_OF, {"identity_ids": list(ids)}):
        linked.setdefault(r.identity_id, []).append(Login(r.provider, r.subject))
    return {
        r.id: Identity(
            identity_id=r.id,
            pool_id=r.pool_id,
            state=r.state,
            logins=tuple(linked.get(r.id, ())),
            created_at=_when(r.created_ms),
            modified_at=_when(r.modified_ms),
        )
        for r in rows
    }


def _identities_with_logins(rows: Iterable[sa.Row[Any]]) -> dict[str, Identity]:
    """Identities from rows of (identity columns, provider, subject), in the rows' login order."""
    found: dict[str, tuple[sa.Row[Any], list[Login]]] = {}
    for r in rows:
        held = found.setdefault(r.id, (r, []))[1]
        if r.provider is not None:
            held.append(Login(r.provider, r.subject))
    return {
        identity_id: Identity(
            identity_id=r.id,
            pool_id=r.pool_id,
            state=r.state,
            logins=tuple(held),
            created_at=_when(r.created_ms),
            modified_at=_when(r.modified_ms),
        )
        for identity_id, (r, held) in found.items()
    }


def _owners(conn: sa.Connection, pool_id: str, presented: Sequence[Login]) -> dict[Login, Identity]:
    """The identities holding each presented login; a proof (this service's token) is held by its identity."""
    owner_ids: dict[Login, str] = {}
    found: dict[str, Identity] = {}
    real = [login for login in presented if not is_proof(login)]
    if len(real) == 1:
        params = {"pool_id": pool_id, "provider": real[0].provider, "subject": real[0].subject}
        found = _identities_with_logins(conn.execute(_OWNER_AND_LOGINS, params))
        for identity_id in found:
            owner_ids[real[0]] = identity_id
    elif real:
        condition = sa.or_(
            *(
                sa.and_(logins.c.provider == login.provider, logins.c.subject == login.subject)
                for login in real
            )
        )
        for r in conn.execute(
            sa.select(logins.c.provider, logins.c.subject, logins.c.identity_id).where(
                logins.c.pool_id == pool_id, condition
            )
        ):
            owner_ids[Login(r.provider, r.subject)] = r.identity_id
    for login in presented:
        if is_proof(login):
            owner_ids[login] = login.subject
    missing = [i for i in dict.fromkeys(owner_ids.values()) if i not in found]
    found.update(_load_identities(conn, missing))
    owners: dict[Login, Identity] = {}
    for login, identity_id in owner_ids.items():
        identity = found.get(identity_id)
        if identity is None or identity.pool_id != pool_id:
            # A proof for an identity that no longer exists (deleted) or belongs to another pool.
            raise errors.invalid_login_token("Identity in the token does not exist in this identity pool.")
        owners[login] = identity
    return owners


def _load_involved(
    conn: sa.Connection, pool_id: str, target_id: str | None, presented: Sequence[Login]
) -> tuple[Identity | None, dict[Login, Identity]]:
    target = None
    if target_id is not None:
        target = _load_identities(conn, [target_id]).get(target_id)
        if target is None or target.pool_id != pool_id:
            raise errors.identity_not_found(target_id)
    return target, _owners(conn, pool_id, presented)
