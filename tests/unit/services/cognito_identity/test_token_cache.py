from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hutch.services.cognito_identity.token_cache import VerifiedTokenCache

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)


def claims(exp_in: int) -> dict[str, int]:
    return {"exp": int(NOW.timestamp()) + exp_in}


def test_an_entry_lives_until_the_token_expires() -> None:
    cache = VerifiedTokenCache(max_age_seconds=3600)
    cache.put("t", claims(60), NOW)
    assert cache.get("t", NOW + timedelta(seconds=59)) == claims(60)
    assert cache.get("t", NOW + timedelta(seconds=60)) is None


def test_an_entry_lives_at_most_max_age_even_for_a_long_lived_token() -> None:
    cache = VerifiedTokenCache(max_age_seconds=30)
    cache.put("t", claims(3600), NOW)
    assert cache.get("t", NOW + timedelta(seconds=29)) is not None
    assert cache.get("t", NOW + timedelta(seconds=30)) is None


def test_the_least_recently_used_entry_is_evicted_first() -> None:
    cache = VerifiedTokenCache(max_entries=2)
    cache.put("a", claims(60), NOW)
    cache.put("b", claims(60), NOW)
    cache.get("a", NOW)
    cache.put("c", claims(60), NOW)
    assert cache.get("b", NOW) is None
    assert cache.get("a", NOW) is not None and cache.get("c", NOW) is not None


def test_a_token_without_exp_is_never_cached() -> None:
    cache = VerifiedTokenCache()
    cache.put("t", {"sub": "x"}, NOW)
    assert cache.get("t", NOW) is None
