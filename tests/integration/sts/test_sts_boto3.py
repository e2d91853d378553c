"""STS through boto3 and the AWS CLI against a live server: caller identity, AssumeRole with its trust policy,
ExternalId, duration bounds, session policies and tags, and temporary credentials that are bound to their
session token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.integration.iam.support import allow, cli_json, client, doc, from_sts, unique, user_with_key
from tests.support.server import HutchServer


@pytest.fixture(scope="module")
def iam(client_factory: Any) -> Any:
    return client_factory("iam")


def _trust(principal: str, actions: Any = "sts:AssumeRole", **extra: Any) -> str:
    return doc({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": actions, **extra})


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _role(iam: Any, trust: str, *statements: dict[str, Any], **create: Any) -> dict[str, Any]:
    name = unique("role")
    role: dict[str, Any] = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, **create)["Role"]
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName="perm", PolicyDocument=doc(*statements))
    return role


def test_caller_identity_for_root_user_and_role_session(iam: Any, hutch: HutchServer) -> None:
    _, user_arn, creds = user_with_key(iam)
    user_sts = client(hutch, "sts", creds)
    me = user_sts.get_caller_identity()
    assert me["Arn"] == user_arn and me["UserId"].startswith("AIDA") and me["Account"] == hutch.account_id
    role = _role(iam, _trust(user_arn))
    assumed = user_sts.assume_role(RoleArn=role["Arn"], RoleSessionName="build-42")
    session_arn = f"arn:aws:sts::{hutch.account_id}:assumed-role/{role['RoleName']}/build-42"
    assert assumed["AssumedRoleUser"] == {"AssumedRoleId": f"{role['RoleId']}:build-42", "Arn": session_arn}
    assert assumed["Credentials"]["AccessKeyId"].startswith("ASIA")
    who = client(hutch, "sts", from_sts(assumed["Credentials"])).get_caller_identity()
    assert (who["Arn"], who["UserId"]) == (session_arn, f"{role['RoleId']}:build-42")


def test_trust_policy_decides_who_may_assume(iam: Any, hutch: HutchServer) -> None:
    _, trusted_arn, trusted = user_with_key(iam)
    _, other_arn, other = user_with_key(iam)
    role = _role(iam, _trust(trusted_arn))
    assert client(hutch, "sts", trusted).assume_role(RoleArn=role["Arn"], RoleSessionName="ok")
    with pytest.raises(ClientError) as exc:
        client(hutch, "sts", other).assume_role(RoleArn=role["Arn"], RoleSessionName="no")
    assert _code(exc) == "AccessDenied"
    assert exc.value.response["Error"]["Message"] == (
        f"User: {other_arn} is not authorized to perform: sts:AssumeRole on resource: {role['Arn']}"
    )
    with pytest.raises(ClientError) as exc:
        client(hutch, "sts", hutch.root_credentials()).assume_role(
            RoleArn=role["Arn"], RoleSessionName="root"
        )
    assert _code(exc) == "AccessDenied"


def test_external_id(iam: Any, hutch: HutchServer) -> None:
    _, arn, creds = user_with_key(iam)
    role = _role(iam, _trust(arn, Condition={"StringEquals": {"sts:ExternalId": "partner-7731"}}))
    sts = client(hutch, "sts", creds)
    with pytest.raises(ClientError):
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s-session")
    with pytest.raises(ClientError):
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s-session", ExternalId="partner-0000")
    assert sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s-session", ExternalId="partner-7731")[
        "Credentials"
    ]


def test_duration_bounds(iam: Any, hutch: HutchServer) -> None:
    _, arn, creds = user_with_key(iam)
    role = _role(iam, _trust(arn), MaxSessionDuration=7200)
    sts = client(hutch, "sts", creds)
    with pytest.raises(ClientError) as exc:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s-session", DurationSeconds=7201)
    assert _code(exc) == "ValidationError"
    assert "MaxSessionDuration" in exc.value.response["Error"]["Message"]
    issued = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s-session", DurationSeconds=7200)[
        "Credentials"
    ]
    first = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s-session")["Credentials"]
    assert (issued["Expiration"] - first["Expiration"]).total_seconds() == pytest.approx(3600, abs=5)


def test_session_policy_narrows_the_role(iam: Any, hutch: HutchServer) -> None:
    _, arn, creds = user_with_key(iam)
    role = _role(iam, _trust(arn), allow(["iam:GetRole", "iam:ListRoles"]))
    sts = client(hutch, "sts", creds)
    full = client(
        hutch, "iam", from_sts(sts.assume_role(RoleArn=role["Arn"], RoleSessionName="full")["Credentials"])
    )
    full.list_roles()
    full.get_role(RoleName=role["RoleName"])
    narrowed = sts.assume_role(
        RoleArn=role["Arn"], RoleSessionName="narrow", Policy=doc(allow("iam:GetRole"))
    )
    assert narrowed["PackedPolicySize"] > 0
    narrow = client(hutch, "iam", from_sts(narrowed["Credentials"]))
    narrow.get_role(RoleName=role["RoleName"])
    with pytest.raises(ClientError) as exc:
        narrow.list_roles()
    assert exc.value.response["Error"]["Message"].endswith(
        "because no session policy allows the iam:ListRoles action"
    )


def test_session_tags_become_principal_tags(iam: Any, hutch: HutchServer) -> None:
    _, arn, creds = user_with_key(iam)
    by_tag = allow("iam:ListRoles", Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}})
    role = _role(iam, _trust(arn, ["sts:AssumeRole", "sts:TagSession"]), by_tag)
    sts = client(hutch, "sts", creds)
    blue = sts.assume_role(
        RoleArn=role["Arn"], RoleSessionName="b-session", Tags=[{"Key": "team", "Value": "blue"}]
    )
    client(hutch, "iam", from_sts(blue["Credentials"])).list_roles()
    red = sts.assume_role(
        RoleArn=role["Arn"], RoleSessionName="r-session", Tags=[{"Key": "team", "Value": "red"}]
    )
    with pytest.raises(ClientError):
        client(hutch, "iam", from_sts(red["Credentials"])).list_roles()
    untagging = _role(iam, _trust(arn))
    with pytest.raises(ClientError) as exc:
        sts.assume_role(
            RoleArn=untagging["Arn"], RoleSessionName="t-session", Tags=[{"Key": "team", "Value": "blue"}]
        )
    assert _code(exc) == "AccessDenied"  # its trust policy does not allow sts:TagSession


def test_session_token_is_required_and_bound_to_its_key(iam: Any, hutch: HutchServer) -> None:
    _, arn, creds = user_with_key(iam)
    role = _role(iam, _trust(arn))
    sts = client(hutch, "sts", creds)
    issued = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="t-session")["Credentials"]
    other = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="u-session")["Credentials"]
    token = issued["SessionToken"]
    tampered = token[:10] + ("x" if token[10] != "x" else "y") + token[11:]
    cases = {
        "tampered": {**from_sts(issued), "aws_session_token": tampered},
        "another session's": {**from_sts(issued), "aws_session_token": other["SessionToken"]},
        "missing": {k: v for k, v in from_sts(issued).items() if k != "aws_session_token"},
    }
    for label, bad in cases.items():
        with pytest.raises(ClientError) as exc:
            client(hutch, "sts", bad).get_caller_identity()
        assert _code(exc) == "InvalidClientTokenId", label
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert client(hutch, "sts", from_sts(issued)).get_caller_identity()["Arn"].endswith("/t-session")
    # S3 calls a temporary key without its token an unknown key, and a wrong token an invalid one.
    s3_cases = {"missing": "InvalidAccessKeyId", "tampered": "InvalidToken"}
    for label, code in s3_cases.items():
        with pytest.raises(ClientError) as exc:
            client(hutch, "s3", cases[label]).list_buckets()
        assert _code(exc) == code, label


def test_assume_role_with_the_cli(iam: Any, hutch: HutchServer) -> None:
    _, arn, creds = user_with_key(iam)
    role = _role(iam, _trust(arn), allow("iam:GetRole"))
    assumed = cli_json(
        hutch,
        creds,
        "sts",
        "assume-role",
        "--role-arn",
        role["Arn"],
        "--role-session-name",
        "cli-session",
        "--duration-seconds",
        "900",
    )
    session = from_sts(assumed["Credentials"])
    who = cli_json(hutch, session, "sts", "get-caller-identity")
    assert who["Arn"].endswith(f"assumed-role/{role['RoleName']}/cli-session")
    got = cli_json(hutch, session, "iam", "get-role", "--role-name", role["RoleName"])
    assert got["Role"]["AssumeRolePolicyDocument"] == json.loads(_trust(arn))
