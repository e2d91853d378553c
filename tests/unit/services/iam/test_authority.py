"""Request-time answers from IAM are cached per generation: a write is in force for the very next request."""

from __future__ import annotations

from hutch.services.iam import IamService
from hutch.services.iam.authority import PolicySets
from tests.unit.services.iam.support import allow, policy, unique


def test_every_write_moves_the_generation(iam: IamService) -> None:
    before = iam.generation
    iam.users.create(unique("gen"))
    assert iam.generation > before


def test_a_value_read_before_a_write_is_not_kept(iam: IamService) -> None:
    sets = PolicySets(iam.core, iam.policies)
    user = iam.users.create(unique("race"))
    read_at = iam.generation
    stale = sets._load("user", user.id)
    iam.users.put_inline(user.name, "p", policy(allow("s3:*")))  # a write lands while "stale" was in flight
    sets._cache.put(("user", user.id), stale, read_at)
    assert ("user", user.id) not in sets._cache
    fresh = sets.for_user(user.id)
    assert fresh is not None and [p.name for p in fresh.inline] == ["p"]


def test_cached_policy_set_is_dropped_on_change(iam: IamService) -> None:
    role = iam.roles.create(unique("cache"), policy({"Effect": "Allow", "Principal": "*", "Action": "sts:*"}))
    first = iam.role_policies(role.id)
    assert first is not None and first.inline == ()
    assert iam.role_policies(role.id) is first  # served from the cache
    iam.roles.put_inline(role.name, "p", policy(allow("s3:*")))
    second = iam.role_policies(role.id)
    assert second is not None and [p.name for p in second.inline] == ["p"]
