"""The identity-pool cache never keeps a value read before a change that committed meanwhile."""

from __future__ import annotations

from hutch.services.cognito_identity.pool_cache import PoolCache


def test_values_are_kept_until_a_change() -> None:
    cache: PoolCache[str] = PoolCache()
    reads: list[str] = []

    def load(pool_id: str) -> str:
        reads.append(pool_id)
        return f"{pool_id}@{len(reads)}"

    assert cache.get("p", load) == "p@1"
    assert cache.get("p", load) == "p@1"
    cache.changed()
    assert cache.get("p", load) == "p@2"
    assert reads == ["p", "p"]


def test_a_read_overtaken_by_a_change_is_not_kept() -> None:
    cache: PoolCache[str] = PoolCache()
    versions = iter(["old", "new"])

    def load_racing_a_write(pool_id: str) -> str:
        value = next(versions)
        if value == "old":
            cache.changed()  # the write commits while this (stale) read is in flight
        return value

    assert cache.get("p", load_racing_a_write) == "old"  # this caller saw the old state...
    assert cache.get("p", load_racing_a_write) == "new"  # ...but nobody after it does


def test_missing_pools_are_not_remembered_and_size_is_bounded() -> None:
    cache: PoolCache[str] = PoolCache(max_entries=2)
    assert cache.get("gone", lambda _: None) is None
    assert cache.get("gone", lambda _: "created") == "created"
    for name in ("a", "b", "c"):
        cache.get(name, lambda pool_id: pool_id)
    assert len(cache._entries) <= 2
