"""AssumeRole: trust policy (direct and account principals), ExternalId, durations, session policies, tags."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hutch.auth.principal import Principal
from hutch.errors import ServiceError
from hutch.runtime import Runtime
from hutch.services.iam import IamService
from tests.unit.services.iam.support import allow, invoke, policy, unique


def _user(runtime: Runtime, iam: IamService, *statements: dict[str, Any]) -> Principal:
    user = iam.users.create(unique("assumer"))
    if statements:
        iam.users.put_inline(user.name, "p", policy(*statements))
    key = iam.users.create_access_key(user.name)
    credential = runtime.credentials.lookup_access_key(key.access_key_id)
    assert credential is not None
    return credential.principal


def _trust(principal: str, action: str = "sts:AssumeRole", **extra: Any) -> str:
    return policy({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": action, **extra})


def _session(runtime: Runtime, result: dict[str, Any]) -> Principal:
    credential = runtime.credentials.lookup_access_key(result["Credentials"]["AccessKeyId"])
    assert credential is not None and credential.token_matches(result["Credentials"]["SessionToken"])
    return credential.principal


def test_trust_policy_naming_the_user_is_enough(runtime: Runtime, iam: IamService) -> None:
    caller = _user(runtime, iam)
    role = iam.roles.create(unique("Direct"), _trust(caller.arn))
    result = invoke(runtime, "sts", "AssumeRole", caller, RoleArn=role.arn, RoleSessionName="s1")
    assert result["AssumedRoleUser"] == {
        "AssumedRoleId": f"{role.id}:s1",
        "Arn": f"arn:aws:sts::{iam.account}:assumed-role/{role.name}/s1",
    }
    session = _session(runtime, result)
    assert session.kind == "assumed-role" and session.session is not None
    assert session.session.role_arn == role.arn


def test_account_principal_needs_an_identity_policy_too(runtime: Runtime, iam: IamService) -> None:
    role = iam.roles.create(unique("Acct"), _trust(f"arn:aws:iam::{iam.account}:root"))
    without = _user(runtime, iam)
    with pytest.raises(ServiceError) as exc:
        invoke(runtime, "sts", "AssumeRole", without, RoleArn=role.arn, RoleSessionName="s")
    assert (exc.value.code, exc.value.status) == ("AccessDenied", 403)
    assert exc.value.message == (
        f"User: {without.arn} is not authorized to perform: sts:AssumeRole on resource: {role.arn}"
    )
    allowed = _user(runtime, iam, allow("sts:AssumeRole", role.arn))
    assert invoke(runtime, "sts", "AssumeRole", allowed, RoleArn=role.arn, RoleSessionName="s")["Credentials"]


def test_root_may_not_assume_roles(runtime: Runtime, iam: IamService) -> None:
    role = iam.roles.create(unique("Root"), _trust(f"arn:aws:iam::{iam.account}:root"))
    with pytest.raises(ServiceError) as exc:
        invoke(runtime, "sts", "AssumeRole", RoleArn=role.arn, RoleSessionName="s")
    assert exc.value.message == "Roles may not be assumed by root accounts."


def test_missing_role_is_denied_like_a_refusing_trust_policy(runtime: Runtime, iam: IamService) -> None:
    caller = _user(runtime, iam, allow("sts:AssumeRole"))
    arn = f"arn:aws:iam::{iam.account}:role/not-there"
    with pytest.raises(ServiceError) as exc:
        invoke(runtime, "sts", "AssumeRole", caller, RoleArn=arn, RoleSessionName="s")
    assert exc.value.code == "AccessDenied" and arn in exc.value.message


def test_external_id_condition(runtime: Runtime, iam: IamService) -> None:
    caller = _user(runtime, iam)
    trust = _trust(caller.arn, Condition={"StringEquals": {"sts:ExternalId": "secret-123"}})
    role = iam.roles.create(unique("Ext"), trust)
    for wrong in ({}, {"ExternalId": "nope-456"}):
        with pytest.raises(ServiceError):
            invoke(runtime, "sts", "AssumeRole", caller, RoleArn=role.arn, RoleSessionName="s", **wrong)
    ok = invoke(
        runtime, "sts", "AssumeRole", caller, RoleArn=role.arn, RoleSessionName="s", ExternalId="secret-123"
    )
    assert ok["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_duration_is_bounded_by_the_roles_max_session_duration(runtime: Runtime, iam: IamService) -> None:
    caller = _user(runtime, iam)
    role = iam.roles.create(unique("Dur"), _trust(caller.arn), max_session_duration=7200)
    with pytest.raises(ServiceError) as exc:
        invoke(
            runtime, "sts", "AssumeRole", caller, RoleArn=role.arn, RoleSessionName="s", DurationSeconds=7201
        )
    assert (exc.value.code, exc.value.message) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    )
    ok = invoke(
        runtime, "sts", "AssumeRole", caller, RoleArn=role.arn, RoleSessionName="s", DurationSeconds=7200
    )
    session = _session(runtime, ok).session
    assert session is not None and (session.expires_at - session.issued_at).total_seconds() == 7200


def test_role_chaining_is_limited_to_one_hour(runtime: Runtime, iam: IamService) -> None:
    caller = _user(runtime, iam)
    first = iam.roles.create(unique("Hop"), _trust(caller.arn), max_session_duration=43200)
    session = _session(
        runtime, invoke(runtime, "sts", "AssumeRole", caller, RoleArn=first.arn, RoleSessionName="a")
    )
    second = iam.roles.create(unique("Hop"), _trust(first.arn), max_session_duration=43200)
    with pytest.raises(ServiceError) as exc:
        invoke(
            runtime,
            "sts",
            "AssumeRole",
            session,
            RoleArn=second.arn,
            RoleSessionName="b",
            DurationSeconds=3601,
        )
    assert "role chaining" in exc.value.message
    chained = invoke(runtime, "sts", "AssumeRole", session, RoleArn=second.arn, RoleSessionName="b")
    assert _session(runtime, chained).arn.endswith(f"{second.name}/b")


def test_session_policy_is_kept_and_malformed_ones_refused(runtime: Runtime, iam: IamService) -> None:
    caller = _user(runtime, iam)
    role = iam.roles.create(unique("Sp"), _trust(caller.arn))
    with pytest.raises(ServiceError) as exc:
        invoke(
            runtime, "sts", "AssumeRole", caller, RoleArn=role.arn, RoleSessionName="s", Policy='{"nope": 1}'
        )
    assert exc.value.code == "MalformedPolicyDocument"
    narrow = policy(allow("s3:GetObject"))
    result = invoke(
        runtime,
        "sts",
        "AssumeRole",
        caller,
        RoleArn=role.arn,
        RoleSessionName="s",
        Policy=narrow,
        PolicyArns=[{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}],
    )
    assert 0 < result["PackedPolicySize"] <= 100
    session = _session(runtime, result).session
    assert session is not None and session.session_policies[0] == narrow
    assert json.loads(session.session_policies[1])["Statement"][0]["Action"][0] == "s3:Get*"


def test_oversized_session_policy_is_packed_policy_too_large(runtime: Runtime, iam: IamService) -> None:
    caller = _user(runtime, iam)
    role = iam.roles.create(unique("Big"), _trust(caller.arn))
    big = policy(allow([f"s3:Get{'Q' * 40}{i}" for i in range(60)]))
    with pytest.raises(ServiceError) as exc:
        invoke(runtime, "sts", "AssumeRole", caller, RoleArn=role.arn, RoleSessionName="s", Policy=big)
    assert exc.value.code == "PackedPolicyTooLarge"


def test_session_tags_need_tag_session_in_the_trust_policy(runtime: Runtime, iam: IamService) -> None:
    caller = _user(runtime, iam)
    plain = iam.roles.create(unique("NoTag"), _trust(caller.arn))
    tags = [{"Key": "project", "Value": "blue"}]
    with pytest.raises(ServiceError) as exc:
        invoke(runtime, "sts", "AssumeRole", caller, RoleArn=plain.arn, RoleSessionName="s", Tags=tags)
    assert exc.value.code == "AccessDenied"
    tagging = iam.roles.create(unique("Tag"), _trust(caller.arn, action=["sts:AssumeRole", "sts:TagSession"]))
    result = invoke(runtime, "sts", "AssumeRole", caller, RoleArn=tagging.arn, RoleSessionName="s", Tags=tags)
    session = _session(runtime, result).session
    assert session is not None and session.tags == {"project": "blue"}


def test_trust_decisions_are_recorded_for_explain(runtime: Runtime, iam: IamService) -> None:
    caller = _user(runtime, iam)
    role = iam.roles.create(unique("Exp"), _trust(f"arn:aws:iam::{iam.account}:root"))
    from hutch.operations import lookup
    from tests.unit.services.iam.support import make_call

    call = make_call(runtime, caller, service="sts", operation="AssumeRole", request_id=unique("explain-"))
    spec = lookup("sts", "AssumeRole")
    assert spec is not None
    with pytest.raises(ServiceError):
        spec.handler(call, {"RoleArn": role.arn, "RoleSessionName": "s"})
    record = runtime.explain.get(call.request_id)
    assert record is not None and record["denied"]
    entry = record["decisions"][0]
    assert entry["action"] == "sts:AssumeRole" and entry["resource"] == role.arn
    assert "trust policy of" in entry["text"]
    assert entry["summary"].startswith("Implicitly denied")


def test_role_changes_are_in_force_for_the_next_assumption(runtime: Runtime, iam: IamService) -> None:
    """Roles are remembered between assumptions; an IAM write must retire what was remembered."""
    caller = _user(runtime, iam)
    other = _user(runtime, iam)
    name = unique("Cached")
    role = iam.roles.create(name, _trust(caller.arn))
    assert invoke(runtime, "sts", "AssumeRole", caller, RoleArn=role.arn, RoleSessionName="s")["Credentials"]
    iam.roles.update_trust_policy(name, _trust(other.arn))
    with pytest.raises(ServiceError) as exc:
        invoke(runtime, "sts", "AssumeRole", caller, RoleArn=role.arn, RoleSessionName="s")
    assert exc.value.code == "AccessDenied"
    assert invoke(runtime, "sts", "AssumeRole", other, RoleArn=role.arn, RoleSessionName="s")["Credentials"]
    iam.roles.delete(name)
    with pytest.raises(ServiceError) as exc:
        invoke(runtime, "sts", "AssumeRole", other, RoleArn=role.arn, RoleSessionName="s")
    assert exc.value.code == "AccessDenied"
    # A role created under a name that was missing a moment ago is found at once.
    again = iam.roles.create(name, _trust(other.arn))
    assert invoke(runtime, "sts", "AssumeRole", other, RoleArn=again.arn, RoleSessionName="s")["Credentials"]
