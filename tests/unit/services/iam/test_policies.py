"""Managed policies: names, versions (at most five, default handling), deletion, AWS managed ones, counts."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.iam import IamService
from tests.unit.services.iam.support import allow, policy, trust_account, unique


def _create(iam: IamService, name: str | None = None, document: str | None = None) -> str:
    created = iam.policies.create(
        name or unique("Pol"), document or policy(allow("s3:GetObject")), path=None, description="d", tags=()
    )
    return created.arn


def test_create_policy_gives_anpa_id_arn_and_version_one(iam: IamService) -> None:
    name = unique("Pol")
    created = iam.policies.create(name, policy(allow("s3:*")), path="/team/", description="x", tags=())
    assert created.id.startswith("ANPA")
    assert created.arn == f"arn:aws:iam::{iam.account}:policy/team/{name}"
    got = iam.policies.get(created.arn)
    assert got.default_version_id == "v1" and got.attachment_count == 0
    assert iam.policies.version(created.arn, "v1").is_default


def test_policy_names_are_unique_without_case(iam: IamService) -> None:
    name = unique("Dup")
    _create(iam, name)
    with pytest.raises(ServiceError) as exc:
        _create(iam, name.lower())
    assert exc.value.code == "EntityAlreadyExists"
    assert (
        exc.value.message
        == f"A policy called {name.lower()} already exists. Duplicate names are not allowed."
    )


def test_managed_policy_over_6144_characters_is_limit_exceeded(iam: IamService) -> None:
    doc = policy(allow([f"s3:Get{'Z' * 50}{i}" for i in range(120)]))
    with pytest.raises(ServiceError) as exc:
        _create(iam, document=doc)
    assert (exc.value.code, exc.value.message) == (
        "LimitExceeded",
        "Cannot exceed quota for PolicySize: 6144",
    )


def test_malformed_document_reports_the_parsers_reason(iam: IamService) -> None:
    with pytest.raises(ServiceError) as exc:
        _create(iam, document=policy({"Effect": "Allow", "Action": "s3GetObject", "Resource": "*"}))
    assert exc.value.code == "MalformedPolicyDocument"
    assert exc.value.message == "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."


def test_versions_rotate_with_at_most_five_and_default_moves(iam: IamService) -> None:
    arn = _create(iam)
    for i in range(4):
        iam.policies.create_version(arn, policy(allow(f"s3:Get{i}")), set_as_default=i == 3)
    assert iam.policies.get(arn).default_version_id == "v5"
    with pytest.raises(ServiceError) as exc:
        iam.policies.create_version(arn, policy(allow("s3:*")), set_as_default=False)
    assert exc.value.code == "LimitExceeded"
    with pytest.raises(ServiceError) as exc:
        iam.policies.delete_version(arn, "v5")
    assert (exc.value.code, exc.value.message) == (
        "DeleteConflict",
        "Cannot delete the default version of a policy.",
    )
    iam.policies.delete_version(arn, "v1")
    assert iam.policies.create_version(arn, policy(allow("s3:*")), set_as_default=False).version_id == "v6"
    iam.policies.set_default_version(arn, "v2")
    assert [v.version_id for v in iam.policies.versions(arn)] == ["v6", "v5", "v4", "v3", "v2"]
    assert [v.is_default for v in iam.policies.versions(arn)] == [False, False, False, False, True]
    with pytest.raises(ServiceError) as exc:
        iam.policies.version(arn, "v1")
    assert exc.value.code == "NoSuchEntity"


def test_the_default_version_is_what_principals_get(iam: IamService) -> None:
    arn = _create(iam, document=policy(allow("s3:GetObject")))
    role = iam.roles.create(unique("R"), trust_account(iam.account))
    iam.roles.attach(role.name, arn)
    assert "s3:GetObject" in dict(iam.role_policies(role.id).managed)[arn]  # type: ignore[union-attr]
    iam.policies.create_version(arn, policy(allow("s3:PutObject")), set_as_default=True)
    assert "s3:PutObject" in dict(iam.role_policies(role.id).managed)[arn]  # type: ignore[union-attr]


def test_delete_policy_refuses_while_attached_or_versioned(iam: IamService) -> None:
    arn = _create(iam)
    user = iam.users.create(unique("u"))
    iam.users.attach(user.name, arn)
    assert iam.policies.get(arn).attachment_count == 1
    with pytest.raises(ServiceError) as exc:
        iam.policies.delete(arn)
    assert exc.value.message == "Cannot delete a policy attached to entities."
    iam.users.detach(user.name, arn)
    iam.policies.create_version(arn, policy(allow("s3:*")), set_as_default=False)
    with pytest.raises(ServiceError) as exc:
        iam.policies.delete(arn)
    assert exc.value.code == "DeleteConflict"
    iam.policies.delete_version(arn, "v2")
    iam.policies.delete(arn)
    with pytest.raises(ServiceError) as exc:
        iam.policies.get(arn)
    assert (exc.value.code, exc.value.message) == ("NoSuchEntity", f"Policy {arn} was not found.")


def test_aws_managed_policies_are_built_in_and_read_only(iam: IamService) -> None:
    arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    admin = iam.policies.get(arn)
    assert admin.aws_managed and admin.path == "/"
    assert '"Action": "*"' in iam.policies.version(arn, admin.default_version_id).document
    with pytest.raises(ServiceError):
        iam.policies.delete(arn)
    with pytest.raises(ServiceError):
        iam.policies.create_version(arn, policy(allow("s3:*")), set_as_default=True)
    names = {p.name for p in iam.policies.listing(scope="AWS")}
    assert {"AdministratorAccess", "AmazonS3ReadOnlyAccess", "IAMReadOnlyAccess"} <= names
    assert all(p.aws_managed for p in iam.policies.listing(scope="AWS"))
    assert not any(p.aws_managed for p in iam.policies.listing(scope="Local"))


def test_only_attached_and_boundary_usage_counts(iam: IamService) -> None:
    arn = _create(iam)
    assert arn not in {p.arn for p in iam.policies.listing(only_attached=True)}
    iam.users.create(unique("b"), boundary_arn=arn)
    found = iam.policies.get(arn)
    assert (found.attachment_count, found.boundary_usage_count) == (0, 1)
    assert arn in {p.arn for p in iam.policies.listing(only_attached=True, usage="PermissionsBoundary")}
    assert arn not in {p.arn for p in iam.policies.listing(only_attached=True, usage="PermissionsPolicy")}


def test_entities_for_policy_lists_users_and_roles(iam: IamService) -> None:
    arn = _create(iam)
    user = iam.users.create(unique("ent"))
    role = iam.roles.create(unique("ent"), trust_account(iam.account))
    iam.users.attach(user.name, arn)
    iam.roles.attach(role.name, arn)
    assert iam.policies.entities(arn) == {"role": [(role.name, role.id)], "user": [(user.name, user.id)]}
