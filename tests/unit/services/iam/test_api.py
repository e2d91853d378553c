"""IAM handlers as the pipeline runs them: output shapes, URL-encoded documents, authorization of IAM calls."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from hutch.auth.principal import Principal
from hutch.errors import ServiceError
from hutch.runtime import Runtime
from hutch.services.iam import IamService
from tests.unit.services.iam.support import allow, deny, invoke, policy, trust_account, unique


def _user_principal(runtime: Runtime, iam: IamService, *statements: dict[str, object]) -> Principal:
    user = iam.users.create(unique("caller"))
    if statements:
        iam.users.put_inline(user.name, "perm", policy(*statements))
    key = iam.users.create_access_key(user.name)
    credential = runtime.credentials.lookup_access_key(key.access_key_id)
    assert credential is not None
    return credential.principal


def test_policy_documents_come_back_url_encoded(runtime: Runtime, iam: IamService) -> None:
    trust = trust_account(iam.account)
    name = unique("Enc")
    created = invoke(runtime, "iam", "CreateRole", RoleName=name, AssumeRolePolicyDocument=trust)["Role"]
    assert created["AssumeRolePolicyDocument"] != trust
    assert unquote(created["AssumeRolePolicyDocument"]) == trust
    doc = policy(allow("s3:GetObject", "arn:aws:s3:::b/a b+c"))
    invoke(runtime, "iam", "PutRolePolicy", RoleName=name, PolicyName="p", PolicyDocument=doc)
    got = invoke(runtime, "iam", "GetRolePolicy", RoleName=name, PolicyName="p")
    assert "%20" in got["PolicyDocument"] and "+" not in got["PolicyDocument"]
    assert json.loads(unquote(got["PolicyDocument"])) == json.loads(doc)


def test_list_roles_leaves_out_tags_and_paginates(runtime: Runtime, iam: IamService) -> None:
    prefix = f"/{unique('list')}/"
    names = [unique("L") for _ in range(3)]
    for name in names:
        iam.roles.create(name, trust_account(iam.account), path=prefix, tags=(("k", "v"),))
    first = invoke(runtime, "iam", "ListRoles", PathPrefix=prefix, MaxItems=2)
    assert first["IsTruncated"] and len(first["Roles"]) == 2
    assert all("Tags" not in r for r in first["Roles"])
    rest = invoke(runtime, "iam", "ListRoles", PathPrefix=prefix, MaxItems=2, Marker=first["Marker"])
    assert not rest["IsTruncated"]
    assert [r["RoleName"] for r in first["Roles"] + rest["Roles"]] == sorted(names, key=str.lower)
    assert invoke(runtime, "iam", "GetRole", RoleName=names[0])["Role"]["Tags"] == [
        {"Key": "k", "Value": "v"}
    ]


def test_caller_without_permission_is_denied_before_existence_is_revealed(
    runtime: Runtime, iam: IamService
) -> None:
    caller = _user_principal(runtime, iam)
    with pytest.raises(ServiceError) as exc:
        invoke(runtime, "iam", "GetRole", caller, RoleName="does-not-exist")
    assert (exc.value.code, exc.value.status) == ("AccessDenied", 403)
    assert exc.value.message == (
        f"User: {caller.arn} is not authorized to perform: iam:GetRole on resource: "
        f"arn:aws:iam::{iam.account}:role/does-not-exist because no identity-based policy allows the "
        "iam:GetRole action"
    )


def test_least_privilege_admin_may_do_what_its_policy_says(runtime: Runtime, iam: IamService) -> None:
    prefix = unique("app")
    caller = _user_principal(
        runtime,
        iam,
        allow(
            ["iam:CreateRole", "iam:GetRole", "iam:PutRolePolicy"],
            f"arn:aws:iam::{iam.account}:role/{prefix}-*",
        ),
        deny("iam:PutRolePolicy", f"arn:aws:iam::{iam.account}:role/{prefix}-locked"),
    )
    trust = trust_account(iam.account)
    invoke(runtime, "iam", "CreateRole", caller, RoleName=f"{prefix}-one", AssumeRolePolicyDocument=trust)
    invoke(runtime, "iam", "CreateRole", caller, RoleName=f"{prefix}-locked", AssumeRolePolicyDocument=trust)
    with pytest.raises(ServiceError) as exc:
        invoke(
            runtime, "iam", "CreateRole", caller, RoleName=f"other-{prefix}", AssumeRolePolicyDocument=trust
        )
    assert exc.value.code == "AccessDenied"
    doc = policy(allow("s3:GetObject"))
    invoke(
        runtime, "iam", "PutRolePolicy", caller, RoleName=f"{prefix}-one", PolicyName="p", PolicyDocument=doc
    )
    with pytest.raises(ServiceError) as exc:
        invoke(
            runtime,
            "iam",
            "PutRolePolicy",
            caller,
            RoleName=f"{prefix}-locked",
            PolicyName="p",
            PolicyDocument=doc,
        )
    assert exc.value.message.endswith("with an explicit deny in an identity-based policy")


def test_conditions_see_the_boundary_a_caller_sets(runtime: Runtime, iam: IamService) -> None:
    boundary = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    caller = _user_principal(
        runtime,
        iam,
        allow(
            "iam:CreateUser",
            f"arn:aws:iam::{iam.account}:user/*",
            Condition={"StringEquals": {"iam:PermissionsBoundary": boundary}},
        ),
    )
    with pytest.raises(ServiceError):
        invoke(runtime, "iam", "CreateUser", caller, UserName=unique("nob"))
    made = invoke(runtime, "iam", "CreateUser", caller, UserName=unique("b"), PermissionsBoundary=boundary)[
        "User"
    ]
    assert made["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": boundary,
    }


def test_get_user_defaults_to_the_caller(runtime: Runtime, iam: IamService) -> None:
    caller = _user_principal(runtime, iam, allow("iam:GetUser", "*"))
    assert invoke(runtime, "iam", "GetUser", caller)["User"]["Arn"] == caller.arn
    root = invoke(runtime, "iam", "GetUser")["User"]
    assert root["Arn"] == f"arn:aws:iam::{iam.account}:root" and root["UserId"] == iam.account


def test_create_access_key_defaults_to_the_calling_user(runtime: Runtime, iam: IamService) -> None:
    caller = _user_principal(runtime, iam, allow(["iam:CreateAccessKey", "iam:ListAccessKeys"], "*"))
    made = invoke(runtime, "iam", "CreateAccessKey", caller)["AccessKey"]
    assert made["UserName"] == caller.name and len(made["SecretAccessKey"]) == 40
    listed = invoke(runtime, "iam", "ListAccessKeys", caller)["AccessKeyMetadata"]
    assert len(listed) == 2 and all("SecretAccessKey" not in k for k in listed)
    with pytest.raises(ServiceError) as exc:
        invoke(runtime, "iam", "CreateAccessKey")  # root has no IAM user to default to
    assert exc.value.code == "ValidationError"


def test_oidc_provider_round_trip(runtime: Runtime) -> None:
    host = f"{unique('tok')}.example.org"
    arn = invoke(runtime, "iam", "CreateOpenIDConnectProvider", Url=f"https://{host}", ClientIDList=["web"])[
        "OpenIDConnectProviderArn"
    ]
    got = invoke(runtime, "iam", "GetOpenIDConnectProvider", OpenIDConnectProviderArn=arn)
    assert got["Url"] == host and got["ClientIDList"] == ["web"]
    listed = invoke(runtime, "iam", "ListOpenIDConnectProviders")["OpenIDConnectProviderList"]
    assert {"Arn": arn} in listed
    invoke(runtime, "iam", "DeleteOpenIDConnectProvider", OpenIDConnectProviderArn=arn)
    assert {"Arn": arn} not in invoke(runtime, "iam", "ListOpenIDConnectProviders")[
        "OpenIDConnectProviderList"
    ]
