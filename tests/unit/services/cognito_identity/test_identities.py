"""GetId, GetOpenIdToken (basic flow), identity administration and UnlinkIdentity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_identity.service import CognitoIdentityService
from tests.unit.services.cognito_identity.conftest import CLIENT, USER_POOL
from tests.unit.services.cognito_identity.fakes import FakeCall, FakeRuntime, FakeUserPools

Invoke = Callable[..., dict[str, Any]]


def refused(invoke: Invoke, operation: str, **params: Any) -> ServiceError:
    with pytest.raises(ServiceError) as excinfo:
        invoke(operation, **params)
    return excinfo.value


def service(rt: FakeRuntime) -> CognitoIdentityService:
    svc: CognitoIdentityService = rt.services["cognito_identity"]
    return svc


def test_get_open_id_token_mints_a_ten_minute_token_for_the_identity(
    invoke: Invoke, rt: FakeRuntime, user_pools: FakeUserPools, provider: str, pool_id: str
) -> None:
    logins = {provider: user_pools.id_token(USER_POOL, CLIENT, "alice-sub")}
    identity_id = invoke("GetId", IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    out = invoke("GetOpenIdToken", IdentityId=identity_id, Logins=logins)
    claims = service(rt).verify_open_id_token(out["Token"])
    assert (out["IdentityId"], claims["sub"], claims["aud"]) == (identity_id, identity_id, pool_id)
    assert claims["iss"] == "http://127.0.0.1:4577/cognito-identity" == service(rt).openid_issuer()
    assert claims["amr"] == ["authenticated", provider, f"{provider}:CognitoSignIn:alice-sub"]
    assert claims["exp"] - claims["iat"] == 600


def test_a_guest_open_id_token_says_unauthenticated(invoke: Invoke, rt: FakeRuntime, pool_id: str) -> None:
    guest = invoke("GetId", IdentityPoolId=pool_id)["IdentityId"]
    claims = service(rt).verify_open_id_token(invoke("GetOpenIdToken", IdentityId=guest)["Token"])
    assert claims["amr"] == ["unauthenticated"]


def test_the_open_id_token_expires_with_the_clock(invoke: Invoke, rt: FakeRuntime, pool_id: str) -> None:
    from hutch.services.cognito_identity import InvalidOpenIdToken

    guest = invoke("GetId", IdentityPoolId=pool_id)["IdentityId"]
    token = invoke("GetOpenIdToken", IdentityId=guest)["Token"]
    rt.advance(600)
    with pytest.raises(InvalidOpenIdToken) as expired:
        service(rt).verify_open_id_token(token)
    assert expired.value.expired


def test_classic_flow_refused_only_when_explicitly_disabled_or_with_role_mappings(
    invoke: Invoke, provider: str, pool_id: str
) -> None:
    guest = invoke("GetId", IdentityPoolId=pool_id)["IdentityId"]
    invoke(
        "UpdateIdentityPool",
        IdentityPoolId=pool_id,
        IdentityPoolName="app",
        AllowUnauthenticatedIdentities=True,
        AllowClassicFlow=False,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": CLIENT}],
    )
    error = refused(invoke, "GetOpenIdToken", IdentityId=guest)
    assert (error.code, error.message) == (
        "InvalidParameterException",
        "Basic (classic) flow is not enabled, please use enhanced flow.",
    )
    invoke(
        "UpdateIdentityPool",
        IdentityPoolId=pool_id,
        IdentityPoolName="app",
        AllowUnauthenticatedIdentities=True,
        AllowClassicFlow=True,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": CLIENT}],
    )
    invoke(
        "SetIdentityPoolRoles",
        IdentityPoolId=pool_id,
        Roles={},
        RoleMappings={f"{provider}:{CLIENT}": {"Type": "Token", "AmbiguousRoleResolution": "Deny"}},
    )
    error = refused(invoke, "GetOpenIdToken", IdentityId=guest)
    assert (
        error.message == "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow."
    )


def test_get_id_checks_the_account(invoke: Invoke, pool_id: str) -> None:
    assert invoke("GetId", IdentityPoolId=pool_id, AccountId="123456789012")["IdentityId"]
    assert (
        refused(invoke, "GetId", IdentityPoolId=pool_id, AccountId="999999999999").code
        == "ResourceNotFoundException"
    )


def test_describe_and_list_show_logins_and_dates(
    invoke: Invoke, user_pools: FakeUserPools, provider: str, pool_id: str
) -> None:
    logins = {provider: user_pools.id_token(USER_POOL, CLIENT, "alice-sub")}
    alice = invoke("GetId", IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    guest = invoke("GetId", IdentityPoolId=pool_id)["IdentityId"]
    described = invoke("DescribeIdentity", IdentityId=alice)
    assert described["Logins"] == [provider] and described["CreationDate"] is not None
    listed = invoke("ListIdentities", IdentityPoolId=pool_id, MaxResults=60)
    assert {i["IdentityId"]: i["Logins"] for i in listed["Identities"]} == {alice: [provider], guest: []}
    assert refused(
        invoke, "DescribeIdentity", IdentityId="us-east-1:00000000-0000-0000-0000-000000000000"
    ).code == ("ResourceNotFoundException")


def test_delete_identities_is_idempotent_and_authorized_per_pool(
    invoke: Invoke, rt: FakeRuntime, pool_id: str
) -> None:
    guest = invoke("GetId", IdentityPoolId=pool_id)["IdentityId"]
    call = FakeCall(rt)
    missing = "us-east-1:00000000-0000-0000-0000-000000000000"
    assert invoke("DeleteIdentities", call=call, IdentityIdsToDelete=[guest, missing]) == {
        "UnprocessedIdentityIds": []
    }
    assert call.authorized == [
        (
            "cognito-identity:DeleteIdentities",
            f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pool_id}",
        )
    ]
    assert refused(invoke, "DescribeIdentity", IdentityId=guest).code == "ResourceNotFoundException"


def test_unlink_identity_needs_the_identitys_own_login_and_frees_the_removed_one(
    invoke: Invoke, user_pools: FakeUserPools, provider: str, pool_id: str
) -> None:
    alice_logins = {provider: user_pools.id_token(USER_POOL, CLIENT, "alice-sub")}
    bob_logins = {provider: user_pools.id_token(USER_POOL, CLIENT, "bob-sub")}
    alice = invoke("GetId", IdentityPoolId=pool_id, Logins=alice_logins)["IdentityId"]
    invoke("GetId", IdentityPoolId=pool_id, Logins=bob_logins)
    error = refused(invoke, "UnlinkIdentity", IdentityId=alice, Logins=bob_logins, LoginsToRemove=[provider])
    assert error.message.startswith("Logins don't match.")
    invoke("UnlinkIdentity", IdentityId=alice, Logins=alice_logins, LoginsToRemove=[provider])
    # Removing the last login makes the identity inaccessible; the login is a new identity next time.
    error = refused(invoke, "GetCredentialsForIdentity", IdentityId=alice, Logins=alice_logins)
    assert error.message == f"Access to Identity '{alice}' is forbidden."
    assert invoke("GetId", IdentityPoolId=pool_id, Logins=alice_logins)["IdentityId"] != alice
