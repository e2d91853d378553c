"""Developer-authenticated identities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_identity.service import CognitoIdentityService
from tests.unit.services.cognito_identity.conftest import AUTH_ROLE, CLIENT, USER_POOL
from tests.unit.services.cognito_identity.fakes import FakeRuntime, FakeSts, FakeUserPools

Invoke = Callable[..., dict[str, Any]]
DEV = "login.example.app"


@pytest.fixture
def dev_pool(invoke: Invoke, provider: str, sts: FakeSts) -> str:
    pool: str = invoke(
        "CreateIdentityPool",
        IdentityPoolName="dev",
        AllowUnauthenticatedIdentities=False,
        DeveloperProviderName=DEV,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": CLIENT}],
    )["IdentityPoolId"]
    invoke("SetIdentityPoolRoles", IdentityPoolId=pool, Roles={"authenticated": AUTH_ROLE})
    sts.trust_pool(AUTH_ROLE, pool, "authenticated")
    return pool


def refused(invoke: Invoke, operation: str, **params: Any) -> ServiceError:
    with pytest.raises(ServiceError) as excinfo:
        invoke(operation, **params)
    return excinfo.value


def token_for(invoke: Invoke, pool: str, user: str, **extra: Any) -> dict[str, Any]:
    return invoke("GetOpenIdTokenForDeveloperIdentity", IdentityPoolId=pool, Logins={DEV: user}, **extra)


def test_the_same_developer_user_gets_the_same_identity_and_a_token_for_it(
    invoke: Invoke, rt: FakeRuntime, dev_pool: str
) -> None:
    first = token_for(invoke, dev_pool, "user-1")
    assert token_for(invoke, dev_pool, "user-1")["IdentityId"] == first["IdentityId"]
    svc: CognitoIdentityService = rt.services["cognito_identity"]
    claims = svc.verify_open_id_token(first["Token"])
    assert claims["sub"] == first["IdentityId"] and claims["amr"] == ["authenticated", DEV]
    assert claims["exp"] - claims["iat"] == 15 * 60


def test_the_token_gets_credentials_in_the_enhanced_flow_with_its_principal_tags(
    invoke: Invoke, sts: FakeSts, dev_pool: str
) -> None:
    out = token_for(invoke, dev_pool, "user-1", PrincipalTags={"dept": "sales"}, TokenDuration=3600)
    creds = invoke(
        "GetCredentialsForIdentity",
        IdentityId=out["IdentityId"],
        Logins={"cognito-identity.amazonaws.com": out["Token"]},
    )
    assert creds["IdentityId"] == out["IdentityId"]
    call = sts.calls[-1]
    assert call.role_arn == AUTH_ROLE and call.tags == {"dept": "sales"}
    assert call.context["cognito-identity.amazonaws.com:amr"] == ["authenticated", DEV]


def test_a_token_of_another_identity_does_not_open_this_one(invoke: Invoke, dev_pool: str) -> None:
    one = token_for(invoke, dev_pool, "user-1")
    two = token_for(invoke, dev_pool, "user-2")
    error = refused(
        invoke,
        "GetCredentialsForIdentity",
        IdentityId=two["IdentityId"],
        Logins={"cognito-identity.amazonaws.com": one["Token"]},
    )
    assert error.code == "NotAuthorizedException"


def test_developer_names_are_not_accepted_in_unsigned_calls(invoke: Invoke, dev_pool: str) -> None:
    error = refused(invoke, "GetId", IdentityPoolId=dev_pool, Logins={DEV: "user-1"})
    assert error.code == "NotAuthorizedException"


def test_linking_a_user_already_registered_to_another_identity_is_refused(
    invoke: Invoke, dev_pool: str
) -> None:
    one = token_for(invoke, dev_pool, "user-1")["IdentityId"]
    token_for(invoke, dev_pool, "user-2")
    error = refused(
        invoke,
        "GetOpenIdTokenForDeveloperIdentity",
        IdentityPoolId=dev_pool,
        IdentityId=one,
        Logins={DEV: "user-2"},
    )
    assert error.code == "DeveloperUserAlreadyRegisteredException"


def test_linking_a_new_developer_user_to_a_user_pool_identity(
    invoke: Invoke, user_pools: FakeUserPools, provider: str, dev_pool: str
) -> None:
    logins = {provider: user_pools.id_token(USER_POOL, CLIENT, "alice-sub")}
    alice = invoke("GetId", IdentityPoolId=dev_pool, Logins=logins)["IdentityId"]
    out = invoke(
        "GetOpenIdTokenForDeveloperIdentity", IdentityPoolId=dev_pool, IdentityId=alice, Logins={DEV: "a1"}
    )
    assert out["IdentityId"] == alice
    assert (
        invoke("LookupDeveloperIdentity", IdentityPoolId=dev_pool, DeveloperUserIdentifier="a1")["IdentityId"]
        == alice
    )


def test_lookup_merge_and_unlink(invoke: Invoke, dev_pool: str) -> None:
    one = token_for(invoke, dev_pool, "user-1")["IdentityId"]
    two = token_for(invoke, dev_pool, "user-2")["IdentityId"]
    assert invoke("LookupDeveloperIdentity", IdentityPoolId=dev_pool, IdentityId=one)[
        "DeveloperUserIdentifierList"
    ] == ["user-1"]
    merged = invoke(
        "MergeDeveloperIdentities",
        IdentityPoolId=dev_pool,
        DeveloperProviderName=DEV,
        SourceUserIdentifier="user-2",
        DestinationUserIdentifier="user-1",
    )
    assert merged == {"IdentityId": one}
    assert token_for(invoke, dev_pool, "user-2")["IdentityId"] == one
    looked = invoke("LookupDeveloperIdentity", IdentityPoolId=dev_pool, IdentityId=one, MaxResults=1)
    assert looked["DeveloperUserIdentifierList"] == ["user-1"] and "NextToken" in looked
    rest = invoke(
        "LookupDeveloperIdentity", IdentityPoolId=dev_pool, IdentityId=one, NextToken=looked["NextToken"]
    )
    assert rest["DeveloperUserIdentifierList"] == ["user-2"]
    assert invoke("DescribeIdentity", IdentityId=two)["Logins"] == []
    invoke(
        "UnlinkDeveloperIdentity",
        IdentityPoolId=dev_pool,
        IdentityId=one,
        DeveloperProviderName=DEV,
        DeveloperUserIdentifier="user-2",
    )
    assert token_for(invoke, dev_pool, "user-2")["IdentityId"] not in (one, two)


def test_lookup_of_an_unknown_user_and_wrong_provider_names(invoke: Invoke, dev_pool: str) -> None:
    assert refused(
        invoke, "LookupDeveloperIdentity", IdentityPoolId=dev_pool, DeveloperUserIdentifier="x"
    ).code == ("ResourceNotFoundException")
    assert (
        refused(invoke, "LookupDeveloperIdentity", IdentityPoolId=dev_pool).code
        == "InvalidParameterException"
    )
    error = refused(
        invoke,
        "MergeDeveloperIdentities",
        IdentityPoolId=dev_pool,
        DeveloperProviderName="other.name",
        SourceUserIdentifier="a",
        DestinationUserIdentifier="b",
    )
    assert error.code == "InvalidParameterException"
