"""Administering identity pools through the operation handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hutch.errors import ServiceError
from tests.unit.services.cognito_identity.conftest import AUTH_ROLE, CLIENT
from tests.unit.services.cognito_identity.fakes import FakeCall, FakeRuntime

Invoke = Callable[..., dict[str, Any]]


def error_of(invoke: Invoke, operation: str, **params: Any) -> ServiceError:
    with pytest.raises(ServiceError) as excinfo:
        invoke(operation, **params)
    return excinfo.value


def test_create_answers_the_pool_and_describe_shows_the_same(invoke: Invoke, provider: str) -> None:
    created = invoke(
        "CreateIdentityPool",
        IdentityPoolName="my app",
        AllowUnauthenticatedIdentities=False,
        AllowClassicFlow=True,
        CognitoIdentityProviders=[
            {"ProviderName": provider, "ClientId": CLIENT, "ServerSideTokenCheck": True}
        ],
        SupportedLoginProviders={"accounts.google.com": "g-app"},
        DeveloperProviderName="login.example.app",
        IdentityPoolTags={"team": "web"},
    )
    region, _, uuid_part = created["IdentityPoolId"].partition(":")
    assert region == "us-east-1" and len(uuid_part) == 36
    assert created["CognitoIdentityProviders"] == [
        {"ProviderName": provider, "ClientId": CLIENT, "ServerSideTokenCheck": True}
    ]
    assert invoke("DescribeIdentityPool", IdentityPoolId=created["IdentityPoolId"]) == created


def test_unknown_pools_are_resource_not_found_with_aws_wording(invoke: Invoke) -> None:
    error = error_of(invoke, "DescribeIdentityPool", IdentityPoolId="us-east-1:0000")
    assert (error.code, error.message) == (
        "ResourceNotFoundException",
        "IdentityPool 'us-east-1:0000' not found.",
    )


def test_a_provider_naming_an_unknown_user_pool_or_client_is_invalid(invoke: Invoke, provider: str) -> None:
    for name, client in [
        ("cognito-idp.us-east-1.amazonaws.com/us-east-1_Nope1", CLIENT),
        (provider, "other"),
    ]:
        error = error_of(
            invoke,
            "CreateIdentityPool",
            IdentityPoolName="x",
            AllowUnauthenticatedIdentities=False,
            CognitoIdentityProviders=[{"ProviderName": name, "ClientId": client}],
        )
        assert (error.code, error.message) == (
            "InvalidParameterException",
            "Invalid Cognito Identity Provider",
        )


def test_update_replaces_the_settings_but_not_the_developer_provider(invoke: Invoke, pool_id: str) -> None:
    updated = invoke(
        "UpdateIdentityPool",
        IdentityPoolId=pool_id,
        IdentityPoolName="renamed",
        AllowUnauthenticatedIdentities=False,
        DeveloperProviderName="dev.one",
    )
    assert updated["IdentityPoolName"] == "renamed" and updated["CognitoIdentityProviders"] == []
    error = error_of(
        invoke,
        "UpdateIdentityPool",
        IdentityPoolId=pool_id,
        IdentityPoolName="renamed",
        AllowUnauthenticatedIdentities=False,
        DeveloperProviderName="dev.two",
    )
    assert error.code == "InvalidParameterException"


def test_roles_round_trip_with_role_mappings_keyed_by_provider_and_client(
    invoke: Invoke, pool_id: str, provider: str
) -> None:
    mappings = {
        f"{provider}:{CLIENT}": {
            "Type": "Rules",
            "AmbiguousRoleResolution": "AuthenticatedRole",
            "RulesConfiguration": {
                "Rules": [{"Claim": "custom:dept", "MatchType": "Equals", "Value": "x", "RoleARN": AUTH_ROLE}]
            },
        }
    }
    invoke(
        "SetIdentityPoolRoles",
        IdentityPoolId=pool_id,
        Roles={"authenticated": AUTH_ROLE},
        RoleMappings=mappings,
    )
    assert invoke("GetIdentityPoolRoles", IdentityPoolId=pool_id) == {
        "IdentityPoolId": pool_id,
        "Roles": {"authenticated": AUTH_ROLE},
        "RoleMappings": mappings,
    }


@pytest.mark.parametrize(
    "mappings",
    [
        {
            "graph.facebook.com": {"Type": "Token", "AmbiguousRoleResolution": "Deny"}
        },  # not a provider of the pool
        {"PROVIDER": {"Type": "Token"}},  # AmbiguousRoleResolution is required
        {"PROVIDER": {"Type": "Rules", "AmbiguousRoleResolution": "Deny"}},  # rules are required
    ],
)
def test_invalid_role_mappings_are_refused(
    invoke: Invoke, pool_id: str, provider: str, mappings: dict[str, Any]
) -> None:
    mappings = {k.replace("PROVIDER", f"{provider}:{CLIENT}"): v for k, v in mappings.items()}
    error = error_of(invoke, "SetIdentityPoolRoles", IdentityPoolId=pool_id, Roles={}, RoleMappings=mappings)
    assert error.code == "InvalidParameterException"


def test_a_role_that_is_not_a_role_arn_is_refused(invoke: Invoke, pool_id: str) -> None:
    error = error_of(
        invoke,
        "SetIdentityPoolRoles",
        IdentityPoolId=pool_id,
        Roles={"authenticated": "arn:aws:iam::123456789012:user/u"},
    )
    assert error.code == "InvalidParameterException"


def test_setting_roles_requires_pass_role_on_each_role(invoke: Invoke, rt: FakeRuntime, pool_id: str) -> None:
    call = FakeCall(rt, denied={"iam:PassRole"})
    with pytest.raises(ServiceError) as refused:
        invoke("SetIdentityPoolRoles", call=call, IdentityPoolId=pool_id, Roles={"authenticated": AUTH_ROLE})
    assert (refused.value.code, refused.value.message) == (
        "NotAuthorizedException",
        f"Access to Role '{AUTH_ROLE}' is forbidden.",
    )
    assert ("iam:PassRole", AUTH_ROLE) in call.authorized


def test_every_admin_operation_is_authorized_on_the_pool_arn(
    invoke: Invoke, rt: FakeRuntime, pool_id: str
) -> None:
    call = FakeCall(rt)
    invoke("DescribeIdentityPool", call=call, IdentityPoolId=pool_id)
    assert call.authorized == [
        (
            "cognito-identity:DescribeIdentityPool",
            f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pool_id}",
        )
    ]
    denied = FakeCall(rt, denied={"cognito-identity:DeleteIdentityPool"})
    with pytest.raises(ServiceError):
        invoke("DeleteIdentityPool", call=denied, IdentityPoolId=pool_id)
    assert invoke("DescribeIdentityPool", IdentityPoolId=pool_id)["IdentityPoolId"] == pool_id


def test_list_pages_with_next_token(invoke: Invoke, provider: str) -> None:
    made = {
        invoke("CreateIdentityPool", IdentityPoolName=f"p{i}", AllowUnauthenticatedIdentities=True)[
            "IdentityPoolId"
        ]
        for i in range(3)
    }
    seen: set[str] = set()
    token = None
    while True:
        page = invoke("ListIdentityPools", MaxResults=2, **({"NextToken": token} if token else {}))
        seen |= {p["IdentityPoolId"] for p in page["IdentityPools"]}
        token = page.get("NextToken")
        if token is None:
            break
    assert seen == made


def test_delete_removes_the_pool(invoke: Invoke, pool_id: str) -> None:
    assert invoke("DeleteIdentityPool", IdentityPoolId=pool_id) == {}
    assert error_of(invoke, "DeleteIdentityPool", IdentityPoolId=pool_id).code == "ResourceNotFoundException"


def test_principal_tag_maps_default_and_custom(invoke: Invoke, pool_id: str, provider: str) -> None:
    assert (
        invoke("GetPrincipalTagAttributeMap", IdentityPoolId=pool_id, IdentityProviderName=provider)[
            "UseDefaults"
        ]
        is False
    )
    out = invoke(
        "SetPrincipalTagAttributeMap", IdentityPoolId=pool_id, IdentityProviderName=provider, UseDefaults=True
    )
    assert out["PrincipalTags"] == {"username": "sub", "client": "aud"}
    invoke(
        "SetPrincipalTagAttributeMap",
        IdentityPoolId=pool_id,
        IdentityProviderName=provider,
        UseDefaults=False,
        PrincipalTags={"mail": "email"},
    )
    got = invoke("GetPrincipalTagAttributeMap", IdentityPoolId=pool_id, IdentityProviderName=provider)
    assert (got["UseDefaults"], got["PrincipalTags"]) == (False, {"mail": "email"})
    error = error_of(
        invoke, "GetPrincipalTagAttributeMap", IdentityPoolId=pool_id, IdentityProviderName="nope.example"
    )
    assert error.code == "InvalidParameterException"


def test_tags_add_remove_and_list(invoke: Invoke, pool_id: str) -> None:
    arn = f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pool_id}"
    invoke("TagResource", ResourceArn=arn, Tags={"a": "1", "b": "2"})
    invoke("UntagResource", ResourceArn=arn, TagKeys=["a"])
    assert invoke("ListTagsForResource", ResourceArn=arn) == {"Tags": {"b": "2"}}
    assert invoke("DescribeIdentityPool", IdentityPoolId=pool_id)["IdentityPoolTags"] == {"b": "2"}
