"""IAM through boto3 against a live server: roles, policies, users and keys, boundaries, the simulator."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.integration.iam.support import allow, client, doc, unique, user_with_key
from tests.support.server import HutchServer


@pytest.fixture(scope="module")
def iam(client_factory: Any) -> Any:
    return client_factory("iam")


def _trust(account: str) -> str:
    return doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}
    )


def _error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = exc.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_role_lifecycle(iam: Any, hutch: HutchServer) -> None:
    name = unique("role")
    trust = _trust(hutch.account_id)
    created = iam.create_role(
        RoleName=name,
        Path="/app/",
        AssumeRolePolicyDocument=trust,
        Description="for tests",
        MaxSessionDuration=7200,
        Tags=[{"Key": "team", "Value": "blue"}],
    )["Role"]
    assert created["Arn"] == f"arn:aws:iam::{hutch.account_id}:role/app/{name}"
    assert created["RoleId"].startswith("AROA")
    # botocore decodes the URL-encoded document into a dict, as it does for AWS.
    assert created["AssumeRolePolicyDocument"] == json.loads(trust)
    got = iam.get_role(RoleName=name)["Role"]
    assert got["MaxSessionDuration"] == 7200 and got["Tags"] == [{"Key": "team", "Value": "blue"}]
    assert name in [r["RoleName"] for r in iam.list_roles(PathPrefix="/app/")["Roles"]]
    iam.update_role(RoleName=name, MaxSessionDuration=3600, Description="changed")
    assert iam.get_role(RoleName=name)["Role"]["Description"] == "changed"

    permissions = doc(allow("s3:GetObject", "arn:aws:s3:::bucket/*"))
    iam.put_role_policy(RoleName=name, PolicyName="read", PolicyDocument=permissions)
    assert iam.get_role_policy(RoleName=name, PolicyName="read")["PolicyDocument"] == json.loads(permissions)
    assert iam.list_role_policies(RoleName=name)["PolicyNames"] == ["read"]
    iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    assert attached == [
        {
            "PolicyName": "AmazonS3ReadOnlyAccess",
            "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        }
    ]

    with pytest.raises(iam.exceptions.DeleteConflictException) as exc:
        iam.delete_role(RoleName=name)
    assert _error(exc) == ("DeleteConflict", 409)
    iam.delete_role_policy(RoleName=name, PolicyName="read")
    iam.detach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    iam.delete_role(RoleName=name)
    with pytest.raises(iam.exceptions.NoSuchEntityException) as exc:
        iam.get_role(RoleName=name)
    assert _error(exc) == ("NoSuchEntity", 404)


def test_errors_carry_iams_codes(iam: Any, hutch: HutchServer) -> None:
    name = unique("dup")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=_trust(hutch.account_id))
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException) as exc:
        iam.create_role(RoleName=name.upper(), AssumeRolePolicyDocument=_trust(hutch.account_id))
    assert _error(exc) == ("EntityAlreadyExists", 409)
    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException) as exc:
        iam.put_role_policy(RoleName=name, PolicyName="bad", PolicyDocument=doc(allow("GetObject")))
    assert "prefaced by a vendor" in exc.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as exc:
        iam.create_role(
            RoleName=unique("r"), AssumeRolePolicyDocument=_trust(hutch.account_id), MaxSessionDuration=43201
        )
    assert _error(exc)[0] == "ValidationError"


def test_managed_policy_versions(iam: Any) -> None:
    arn = iam.create_policy(PolicyName=unique("pol"), PolicyDocument=doc(allow("s3:GetObject")))["Policy"][
        "Arn"
    ]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc(allow("s3:PutObject")), SetAsDefault=True)
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    assert policy["DefaultVersionId"] == "v2"
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v2")["PolicyVersion"]
    assert version["Document"]["Statement"][0]["Action"] == "s3:PutObject" and version["IsDefaultVersion"]
    assert [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]] == ["v2", "v1"]
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    with pytest.raises(iam.exceptions.DeleteConflictException):
        iam.delete_policy(PolicyArn=arn)
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    iam.delete_policy(PolicyArn=arn)
    assert arn not in [p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]]


def test_user_key_is_denied_until_a_policy_allows(iam: Any, hutch: HutchServer) -> None:
    name, arn, creds = user_with_key(iam)
    user_iam = client(hutch, "iam", creds)
    user_sts = client(hutch, "sts", creds)
    assert user_sts.get_caller_identity()["Arn"] == arn
    with pytest.raises(ClientError) as exc:
        user_iam.list_roles()
    assert _error(exc) == ("AccessDenied", 403)
    assert exc.value.response["Error"]["Message"] == (
        f"User: {arn} is not authorized to perform: iam:ListRoles on resource: "
        f"arn:aws:iam::{hutch.account_id}:role/* because no identity-based policy allows the iam:ListRoles action"
    )
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    assert "Roles" in user_iam.list_roles()
    with pytest.raises(ClientError):
        user_iam.create_role(RoleName=unique("nope"), AssumeRolePolicyDocument=_trust(hutch.account_id))


def test_permissions_boundary_limits_an_admin(iam: Any, hutch: HutchServer) -> None:
    name, _, creds = user_with_key(
        iam, allow("iam:*"), PermissionsBoundary="arn:aws:iam::aws:policy/IAMReadOnlyAccess"
    )
    bounded = client(hutch, "iam", creds)
    assert "Users" in bounded.list_users()
    with pytest.raises(ClientError) as exc:
        bounded.create_user(UserName=unique("x"))
    assert exc.value.response["Error"]["Message"].endswith(
        "because no permissions boundary allows the iam:CreateUser action"
    )
    iam.delete_user_permissions_boundary(UserName=name)
    made = bounded.create_user(UserName=unique("x"))["User"]["UserName"]
    iam.delete_user(UserName=made)


def test_deleted_or_inactive_key_stops_working(iam: Any, hutch: HutchServer) -> None:
    name, _, creds = user_with_key(iam)
    sts = client(hutch, "sts", creds)
    sts.get_caller_identity()
    iam.update_access_key(UserName=name, AccessKeyId=creds["aws_access_key_id"], Status="Inactive")
    with pytest.raises(ClientError) as exc:
        sts.get_caller_identity()
    assert _error(exc) == ("InvalidClientTokenId", 403)
    iam.update_access_key(UserName=name, AccessKeyId=creds["aws_access_key_id"], Status="Active")
    sts.get_caller_identity()
    iam.delete_access_key(UserName=name, AccessKeyId=creds["aws_access_key_id"])
    with pytest.raises(ClientError) as exc:
        sts.get_caller_identity()
    assert _error(exc)[0] == "InvalidClientTokenId"
    iam.delete_user(UserName=name)


def test_simulators(iam: Any, hutch: HutchServer) -> None:
    policy = doc(
        allow("s3:GetObject", "arn:aws:s3:::photos/${aws:username}/*"),
    )
    result = iam.simulate_custom_policy(
        PolicyInputList=[policy],
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::photos/alice/a.jpg", "arn:aws:s3:::photos/bob/a.jpg"],
        ContextEntries=[
            {"ContextKeyName": "aws:username", "ContextKeyValues": ["alice"], "ContextKeyType": "string"}
        ],
    )
    assert [r["EvalDecision"] for r in result["EvaluationResults"]] == ["allowed", "implicitDeny"]
    _, arn, _ = user_with_key(iam, allow("iam:Get*"))
    principal = iam.simulate_principal_policy(
        PolicySourceArn=arn, ActionNames=["iam:GetRole", "iam:DeleteRole"]
    )
    assert [r["EvalDecision"] for r in principal["EvaluationResults"]] == ["allowed", "implicitDeny"]
    assert principal["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyId"] == "inline"


def test_oidc_providers(iam: Any) -> None:
    url = f"https://{unique('idp')}.example.com"
    arn = iam.create_open_id_connect_provider(Url=url, ClientIDList=["web"], ThumbprintList=["a" * 40])[
        "OpenIDConnectProviderArn"
    ]
    assert arn.endswith(f":oidc-provider/{url[len('https://') :]}")
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == ["web"] and got["ThumbprintList"] == ["a" * 40]
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="mobile")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["web", "mobile"]
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException):
        iam.create_open_id_connect_provider(Url=url, ClientIDList=["web"], ThumbprintList=["a" * 40])
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
