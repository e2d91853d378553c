"""Roles: creation rules, name uniqueness without case, trust policy checks, inline policy quotas, deletion."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.iam import IamService
from tests.unit.services.iam.support import allow, policy, trust_account, unique


def _code(exc: pytest.ExceptionInfo[ServiceError]) -> str:
    return exc.value.code


def test_create_role_gives_aws_style_ids_and_arn_with_path(iam: IamService) -> None:
    name = unique("Role")
    role = iam.roles.create(name, trust_account(iam.account), path="/app/team/", description="d")
    assert role.id.startswith("AROA") and len(role.id) == 21
    assert role.arn == f"arn:aws:iam::{iam.account}:role/app/team/{name}"
    assert role.max_session_duration == 3600
    assert iam.role_by_arn(role.arn) == role


def test_role_names_are_unique_without_regard_to_case(iam: IamService) -> None:
    name = unique("CaseRole")
    iam.roles.create(name, trust_account(iam.account))
    with pytest.raises(ServiceError) as exc:
        iam.roles.create(name.upper(), trust_account(iam.account))
    assert _code(exc) == "EntityAlreadyExists" and exc.value.status == 409
    assert iam.roles.get(name.lower()).name == name


def test_missing_role_is_no_such_entity_with_iam_wording(iam: IamService) -> None:
    with pytest.raises(ServiceError) as exc:
        iam.roles.get("nope-never")
    assert (exc.value.code, exc.value.status) == ("NoSuchEntity", 404)
    assert exc.value.message == "The role with name nope-never cannot be found."


def test_trust_policy_must_name_a_principal(iam: IamService) -> None:
    with pytest.raises(ServiceError) as exc:
        iam.roles.create(unique("R"), policy(allow("sts:AssumeRole")))
    assert _code(exc) == "MalformedPolicyDocument"
    assert "Principal" in exc.value.message


def test_trust_policy_naming_a_user_that_does_not_exist_is_refused(iam: IamService) -> None:
    ghost = f"arn:aws:iam::{iam.account}:user/ghost-{unique('u')}"
    doc = policy({"Effect": "Allow", "Principal": {"AWS": ghost}, "Action": "sts:AssumeRole"})
    with pytest.raises(ServiceError) as exc:
        iam.roles.create(unique("R"), doc)
    assert _code(exc) == "MalformedPolicyDocument"
    assert exc.value.message == f'Invalid principal in policy: "AWS":"{ghost}"'
    user = iam.users.create(unique("real"))
    ok = policy({"Effect": "Allow", "Principal": {"AWS": user.arn}, "Action": "sts:AssumeRole"})
    assert iam.roles.create(unique("R"), ok).trust_policy == ok


def test_max_session_duration_is_bounded(iam: IamService) -> None:
    for bad in (3599, 43201):
        with pytest.raises(ServiceError) as exc:
            iam.roles.create(unique("R"), trust_account(iam.account), max_session_duration=bad)
        assert _code(exc) == "ValidationError"
    role = iam.roles.create(unique("R"), trust_account(iam.account), max_session_duration=43200)
    assert role.max_session_duration == 43200
    assert iam.roles.update(role.name, max_session_duration=7200).max_session_duration == 7200


def test_boundary_must_be_an_existing_managed_policy(iam: IamService) -> None:
    missing = f"arn:aws:iam::{iam.account}:policy/none-{unique('p')}"
    with pytest.raises(ServiceError) as exc:
        iam.roles.create(unique("R"), trust_account(iam.account), boundary_arn=missing)
    assert _code(exc) == "NoSuchEntity"
    assert exc.value.message == f"Scope ARN: {missing} does not exist or is not attachable."
    role = iam.roles.create(
        unique("R"), trust_account(iam.account), boundary_arn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    )
    assert role.boundary_arn == "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def test_inline_policy_is_stored_verbatim_and_replaced_by_name(iam: IamService) -> None:
    role = iam.roles.create(unique("R"), trust_account(iam.account))
    first = (
        '{"Version": "2012-10-17",\n "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
    )
    iam.roles.put_inline(role.name, "Main", first)
    assert iam.roles.inline(role.name, "main")[1].document == first
    second = policy(allow("s3:GetObject"))
    iam.roles.put_inline(role.name, "MAIN", second)
    assert iam.roles.inline_names(role.name) == ["Main"]
    assert iam.roles.inline(role.name, "Main")[1].document == second


def test_identity_policy_with_a_principal_is_malformed(iam: IamService) -> None:
    role = iam.roles.create(unique("R"), trust_account(iam.account))
    doc = policy({**allow("s3:*"), "Principal": "*"})
    with pytest.raises(ServiceError) as exc:
        iam.roles.put_inline(role.name, "p", doc)
    assert _code(exc) == "MalformedPolicyDocument"


def test_inline_policies_of_a_role_share_a_10240_character_quota(iam: IamService) -> None:
    role = iam.roles.create(unique("R"), trust_account(iam.account))
    big = policy(allow([f"s3:Get{'X' * 40}{i}" for i in range(90)]))  # ~4,700 characters
    iam.roles.put_inline(role.name, "a", big)
    iam.roles.put_inline(role.name, "b", big)
    with pytest.raises(ServiceError) as exc:
        iam.roles.put_inline(role.name, "c", big)
    assert _code(exc) == "LimitExceeded"
    assert exc.value.message == f"Maximum policy size of 10240 bytes exceeded for role {role.name}"
    iam.roles.put_inline(role.name, "a", big)  # replacing one counts only the new text


def test_delete_role_refuses_while_policies_remain(iam: IamService) -> None:
    role = iam.roles.create(unique("R"), trust_account(iam.account))
    iam.roles.put_inline(role.name, "p", policy(allow("s3:*")))
    iam.roles.attach(role.name, "arn:aws:iam::aws:policy/AmazonS3FullAccess")
    with pytest.raises(ServiceError) as exc:
        iam.roles.delete(role.name)
    assert (exc.value.code, exc.value.message) == (
        "DeleteConflict",
        "Cannot delete entity, must delete policies first.",
    )
    iam.roles.delete_inline(role.name, "p")
    with pytest.raises(ServiceError) as exc:
        iam.roles.delete(role.name)
    assert exc.value.message == "Cannot delete entity, must detach all policies first."
    iam.roles.detach(role.name, "arn:aws:iam::aws:policy/AmazonS3FullAccess")
    iam.roles.delete(role.name)
    assert iam.roles.find(role.name) is None


def test_attached_policies_are_capped_at_ten(iam: IamService) -> None:
    role = iam.roles.create(unique("R"), trust_account(iam.account))
    arns = [
        iam.policies.create(unique("cap"), policy(allow("s3:*")), path=None, description=None, tags=()).arn
    ]
    arns += [
        iam.policies.create(unique("cap"), policy(allow("s3:*")), path=None, description=None, tags=()).arn
        for _ in range(10)
    ]
    for arn in arns[:10]:
        iam.roles.attach(role.name, arn)
    iam.roles.attach(role.name, arns[0])  # attaching again is a no-op, not an eleventh
    with pytest.raises(ServiceError) as exc:
        iam.roles.attach(role.name, arns[10])
    assert (exc.value.code, exc.value.message) == (
        "LimitExceeded",
        "Cannot exceed quota for PoliciesPerRole: 10",
    )


def test_attaching_an_unknown_policy_is_no_such_entity(iam: IamService) -> None:
    role = iam.roles.create(unique("R"), trust_account(iam.account))
    arn = f"arn:aws:iam::{iam.account}:policy/missing"
    with pytest.raises(ServiceError) as exc:
        iam.roles.attach(role.name, arn)
    assert exc.value.message == f"Policy {arn} does not exist or is not attachable."
    with pytest.raises(ServiceError) as exc:
        iam.roles.detach(role.name, "arn:aws:iam::aws:policy/AdministratorAccess")
    assert exc.value.code == "NoSuchEntity"
    with pytest.raises(ServiceError) as exc:
        iam.roles.attach(role.name, "AdministratorAccess")
    assert (exc.value.code, exc.value.message) == ("InvalidInput", "ARN AdministratorAccess is not valid.")


def test_tags_merge_case_insensitively_and_untag_removes(iam: IamService) -> None:
    role = iam.roles.create(unique("R"), trust_account(iam.account), tags=(("Team", "a"), ("env", "dev")))
    iam.roles.tag(role.name, (("team", "b"), ("cost", "1")))
    assert dict(iam.roles.get(role.name).tags) == {"team": "b", "env": "dev", "cost": "1"}
    iam.roles.untag(role.name, ["ENV"])
    assert dict(iam.roles.get(role.name).tags) == {"team": "b", "cost": "1"}


def test_trust_policy_update_is_validated_and_kept(iam: IamService) -> None:
    role = iam.roles.create(unique("R"), trust_account(iam.account))
    with pytest.raises(ServiceError):
        iam.roles.update_trust_policy(role.name, "{not json")
    new = policy(
        {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:*"}
    )
    iam.roles.update_trust_policy(role.name, new)
    assert iam.roles.get(role.name).trust_policy == new


def test_trust_policy_over_2048_characters_is_limit_exceeded(iam: IamService) -> None:
    doc = policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{iam.account}:root"},
            "Action": [f"sts:AssumeRole{'x' * 30}{i}" for i in range(60)],
        }
    )
    with pytest.raises(ServiceError) as exc:
        iam.roles.create(unique("R"), doc)
    assert (exc.value.code, exc.value.message) == (
        "LimitExceeded",
        "Cannot exceed quota for ACLSizePerRole: 2048",
    )
