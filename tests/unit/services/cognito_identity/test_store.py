"""The store on every backend hutch supports: pools round-trip, logins map to one identity even under races."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from hutch.services.cognito_identity.model import (
    CognitoProvider,
    IdentityPool,
    Login,
    MappingRule,
    PrincipalTagMap,
    RoleMapping,
)
from hutch.services.cognito_identity.store import IdentityStore
from hutch.store import engine as store_engine

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
UP = "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool"


@pytest.fixture
def store(database_url: str) -> Iterator[IdentityStore]:
    engine = store_engine.create_engine(database_url)
    store_engine.migrate(engine)
    yield IdentityStore(engine, "us-east-1")
    engine.dispose()


def a_pool(pool_id: str = "us-east-1:00000000-0000-0000-0000-000000000001") -> IdentityPool:
    return IdentityPool(
        pool_id=pool_id,
        name="app",
        allow_unauthenticated=True,
        allow_classic_flow=False,
        cognito_providers=(CognitoProvider(UP, "client", True),),
        supported_login_providers={"accounts.google.com": "g-app"},
        developer_provider_name="login.example.app",
        tags={"team": "a"},
        roles={"authenticated": "arn:aws:iam::123456789012:role/a"},
        role_mappings={
            f"{UP}:client": RoleMapping(
                "Rules", "Deny", (MappingRule("custom:d", "Equals", "x", "arn:aws:iam::123456789012:role/x"),)
            )
        },
    )


def link(store: IdentityStore, pool_id: str, target: str | None, *logins: Login) -> str:
    current = store.get_identity(target) if target is not None else None
    return store.link(
        pool_id, current, list(logins), developer_provider=None, allow_unauthenticated=True, now=NOW
    ).identity_id


def test_a_pool_round_trips_every_setting(store: IdentityStore) -> None:
    pool = a_pool()
    store.insert_pool(pool, NOW)
    loaded = store.get_pool(pool.pool_id)
    assert loaded is not None
    assert loaded.to_api() == pool.to_api()
    assert loaded.role_mappings == pool.role_mappings and loaded.roles == pool.roles
    assert loaded.created_at == NOW


def test_update_applies_a_change_atomically_and_missing_pools_give_none(store: IdentityStore) -> None:
    pool = a_pool()
    store.insert_pool(pool, NOW)
    from dataclasses import replace

    updated = store.update_pool(pool.pool_id, lambda p: replace(p, name="renamed"), NOW)
    assert updated is not None and store.get_pool(pool.pool_id).name == "renamed"  # type: ignore[union-attr]
    assert store.update_pool("us-east-1:missing", lambda p: p, NOW) is None


def test_list_pools_pages_through_all_of_them(store: IdentityStore) -> None:
    ids = [f"us-east-1:00000000-0000-0000-0000-00000000000{i}" for i in range(5)]
    for pool_id in ids:
        store.insert_pool(a_pool(pool_id), NOW)
    seen, after = [], None
    while True:
        page, after = store.list_pools(2, after)
        seen += [i for i, _ in page]
        if after is None:
            break
    assert seen == sorted(ids)


def test_the_same_login_always_maps_to_the_same_identity(store: IdentityStore) -> None:
    pool = a_pool()
    store.insert_pool(pool, NOW)
    first = link(store, pool.pool_id, None, Login(UP, "alice"))
    assert link(store, pool.pool_id, None, Login(UP, "alice")) == first
    assert link(store, pool.pool_id, None, Login(UP, "bob")) != first
    assert first.startswith("us-east-1:")


def test_concurrent_first_sign_ins_of_one_user_get_one_identity(store: IdentityStore) -> None:
    pool = a_pool()
    store.insert_pool(pool, NOW)
    results: list[str] = []
    errors: list[BaseException] = []

    def sign_in() -> None:
        try:
            results.append(link(store, pool.pool_id, None, Login(UP, "racer")))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sign_in) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1
    listed, _ = store.list_identities(pool.pool_id, 60, None, hide_disabled=False)
    assert len(listed) == 1


def test_merging_moves_logins_and_disables_the_merged_identity(store: IdentityStore) -> None:
    pool = a_pool()
    store.insert_pool(pool, NOW)
    guest = link(store, pool.pool_id, None)
    alice = link(store, pool.pool_id, None, Login(UP, "alice"))
    assert link(store, pool.pool_id, guest, Login(UP, "alice")) == alice
    assert store.get_identity(guest).state == "disabled"  # type: ignore[union-attr]
    visible, _ = store.list_identities(pool.pool_id, 60, None, hide_disabled=True)
    assert [i.identity_id for i in visible] == [alice]


def test_unlinking_the_last_login_disables_the_identity(store: IdentityStore) -> None:
    pool = a_pool()
    store.insert_pool(pool, NOW)
    alice = link(store, pool.pool_id, None, Login(UP, "alice"))
    identity = store.unlink(alice, [Login(UP, "alice")], NOW)
    assert identity.state == "disabled" and identity.logins == ()
    # The login is free again: next time it is seen it is a new identity.
    assert link(store, pool.pool_id, None, Login(UP, "alice")) != alice


def test_deleting_a_pool_deletes_its_identities_and_logins(store: IdentityStore) -> None:
    pool = a_pool()
    store.insert_pool(pool, NOW)
    store.put_tag_map(pool.pool_id, UP, PrincipalTagMap(True))
    alice = link(store, pool.pool_id, None, Login(UP, "alice"))
    assert store.delete_pool(pool.pool_id)
    assert store.get_identity(alice) is None
    assert store.get_tag_map(pool.pool_id, UP) is None
    assert not store.delete_pool(pool.pool_id)


def test_tag_maps_are_replaced_per_provider(store: IdentityStore) -> None:
    pool = a_pool()
    store.insert_pool(pool, NOW)
    store.put_tag_map(pool.pool_id, UP, PrincipalTagMap(False, {"a": "sub"}))
    store.put_tag_map(pool.pool_id, UP, PrincipalTagMap(False, {"b": "aud"}))
    assert store.get_tag_map(pool.pool_id, UP) == PrincipalTagMap(False, {"b": "aud"})


def test_the_signing_key_is_generated_once_and_then_reused(store: IdentityStore) -> None:
    made: list[int] = []

    def generate() -> tuple[str, str]:
        made.append(1)
        return f"kid{len(made)}", f"pem{len(made)}"

    assert store.signing_key(generate, NOW) == ("kid1", "pem1")
    assert store.signing_key(generate, NOW) == ("kid1", "pem1")
    assert len(made) == 1


def test_two_servers_installing_a_key_at_once_both_use_the_first_stored(store: IdentityStore) -> None:
    def generate_while_another_server_wins() -> tuple[str, str]:
        # The other server generates, stores and returns its key between our read and our insert.
        assert store.signing_key(lambda: ("kid-other", "pem-other"), NOW) == ("kid-other", "pem-other")
        return "kid-mine", "pem-mine"

    assert store.signing_key(generate_while_another_server_wins, NOW) == ("kid-other", "pem-other")
