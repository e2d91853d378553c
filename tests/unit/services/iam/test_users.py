"""IAM users and access keys: quotas, deletion order, key status, and keys as a credential source."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.runtime import Runtime
from hutch.services.iam import IamService
from tests.unit.services.iam.support import allow, policy, unique


def test_create_user_gives_aida_id_and_arn(iam: IamService) -> None:
    name = unique("alice")
    user = iam.users.create(name, path="/staff/", tags=(("team", "a"),))
    assert user.id.startswith("AIDA") and len(user.id) == 21
    assert user.arn == f"arn:aws:iam::{iam.account}:user/staff/{name}"
    with pytest.raises(ServiceError) as exc:
        iam.users.create(name.upper())
    assert (exc.value.code, exc.value.message) == (
        "EntityAlreadyExists",
        f"User with name {name.upper()} already exists.",
    )


def test_access_keys_are_akia_with_40_character_secrets_and_at_most_two(iam: IamService) -> None:
    user = iam.users.create(unique("keys"))
    first = iam.users.create_access_key(user.name)
    second = iam.users.create_access_key(user.name)
    assert first.access_key_id.startswith("AKIA") and len(first.access_key_id) == 20
    assert len(first.secret_access_key) == 40 and first.secret_access_key != second.secret_access_key
    with pytest.raises(ServiceError) as exc:
        iam.users.create_access_key(user.name)
    assert (exc.value.code, exc.value.message) == (
        "LimitExceeded",
        "Cannot exceed quota for AccessKeysPerUser: 2",
    )
    assert {k.access_key_id for k in iam.users.access_keys(user.name)} == {
        first.access_key_id,
        second.access_key_id,
    }


def test_user_key_is_a_credential_for_that_user(iam: IamService, runtime: Runtime) -> None:
    user = iam.users.create(unique("cred"), tags=(("dept", "x"),))
    key = iam.users.create_access_key(user.name)
    credential = runtime.credentials.lookup_access_key(key.access_key_id)
    assert credential is not None
    assert credential.secret_access_key == key.secret_access_key
    assert credential.principal.kind == "user"
    assert credential.principal.arn == user.arn and credential.principal.user_id == user.id
    assert credential.token_matches(None)  # long-term keys carry no session token


def test_inactive_or_deleted_key_stops_working_at_once(iam: IamService, runtime: Runtime) -> None:
    user = iam.users.create(unique("revoke"))
    key = iam.users.create_access_key(user.name)
    assert runtime.credentials.lookup_access_key(key.access_key_id) is not None  # now cached
    iam.users.update_access_key(user.name, key.access_key_id, "Inactive")
    assert runtime.credentials.lookup_access_key(key.access_key_id) is None
    iam.users.update_access_key(user.name, key.access_key_id, "Active")
    assert runtime.credentials.lookup_access_key(key.access_key_id) is not None
    iam.users.delete_access_key(user.name, key.access_key_id)
    assert runtime.credentials.lookup_access_key(key.access_key_id) is None


def test_a_key_is_only_managed_through_its_own_user(iam: IamService) -> None:
    owner, other = iam.users.create(unique("own")), iam.users.create(unique("oth"))
    key = iam.users.create_access_key(owner.name)
    with pytest.raises(ServiceError) as exc:
        iam.users.delete_access_key(other.name, key.access_key_id)
    assert (exc.value.code, exc.value.message) == (
        "NoSuchEntity",
        f"The Access Key with id {key.access_key_id} cannot be found.",
    )


def test_delete_user_refuses_while_keys_or_policies_remain(iam: IamService) -> None:
    user = iam.users.create(unique("del"))
    key = iam.users.create_access_key(user.name)
    iam.users.put_inline(user.name, "p", policy(allow("s3:*")))
    with pytest.raises(ServiceError) as exc:
        iam.users.delete(user.name)
    assert exc.value.message == "Cannot delete entity, must delete access keys first."
    iam.users.delete_access_key(user.name, key.access_key_id)
    with pytest.raises(ServiceError) as exc:
        iam.users.delete(user.name)
    assert exc.value.message == "Cannot delete entity, must delete policies first."
    iam.users.delete_inline(user.name, "p")
    iam.users.delete(user.name)
    with pytest.raises(ServiceError) as exc:
        iam.users.get(user.name)
    assert exc.value.code == "NoSuchEntity"


def test_user_inline_policies_share_a_2048_character_quota(iam: IamService) -> None:
    user = iam.users.create(unique("small"))
    doc = policy(allow([f"s3:Get{'Y' * 40}{i}" for i in range(25)]))  # ~1,300 characters
    iam.users.put_inline(user.name, "a", doc)
    with pytest.raises(ServiceError) as exc:
        iam.users.put_inline(user.name, "b", doc)
    assert exc.value.message == f"Maximum policy size of 2048 bytes exceeded for user {user.name}"


def test_policy_sets_follow_iam_writes(iam: IamService) -> None:
    user = iam.users.create(unique("ps"))
    assert iam.user_policies(user.id) is not None
    assert iam.user_policies(user.id).inline == ()  # type: ignore[union-attr]
    iam.users.put_inline(user.name, "p", policy(allow("s3:*")))
    iam.users.attach(user.name, "arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    iam.users.put_boundary(user.name, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    found = iam.user_policies(user.id)
    assert found is not None
    assert [p.name for p in found.inline] == ["p"]
    assert [arn for arn, _ in found.managed] == ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"]
    assert (
        found.boundary is not None and found.boundary[0] == "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    )
    iam.users.delete_boundary(user.name)
    assert iam.user_policies(user.id).boundary is None  # type: ignore[union-attr]
