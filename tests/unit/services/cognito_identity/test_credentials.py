"""GetId → GetCredentialsForIdentity, the scenario's steps 2-3, against fake STS and user pools."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_identity.guest_policy import GUEST_SESSION_POLICY
from tests.unit.services.cognito_identity.conftest import AUTH_ROLE, CLIENT, GUEST_ROLE, USER_POOL
from tests.unit.services.cognito_identity.fakes import FakeRuntime, FakeSts, FakeUserPools

Invoke = Callable[..., dict[str, Any]]
ADMIN = "arn:aws:iam::123456789012:role/admin"


def sign_in(user_pools: FakeUserPools, sub: str, **claims: Any) -> str:
    return user_pools.id_token(USER_POOL, CLIENT, sub, **claims)


def credentials(invoke: Invoke, provider: str, pool_id: str, token: str) -> tuple[str, dict[str, Any]]:
    logins = {provider: token}
    identity_id = invoke("GetId", IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    out = invoke("GetCredentialsForIdentity", IdentityId=identity_id, Logins=logins)
    assert out["IdentityId"] == identity_id
    return identity_id, out["Credentials"]


def refused(invoke: Invoke, operation: str, **params: Any) -> ServiceError:
    with pytest.raises(ServiceError) as excinfo:
        invoke(operation, **params)
    return excinfo.value


def test_a_signed_in_user_gets_the_authenticated_roles_session_keyed_to_the_identity_id(
    invoke: Invoke, user_pools: FakeUserPools, sts: FakeSts, provider: str, pool_id: str
) -> None:
    identity_id, creds = credentials(invoke, provider, pool_id, sign_in(user_pools, "alice-sub"))
    assert set(creds) == {"AccessKeyId", "SecretKey", "SessionToken", "Expiration"}
    call = sts.calls[-1]
    assert (call.role_arn, call.provider, call.session_name) == (
        AUTH_ROLE,
        "cognito-identity.amazonaws.com",
        "CognitoIdentityCredentials",
    )
    assert call.context == {
        "cognito-identity.amazonaws.com:aud": pool_id,
        "cognito-identity.amazonaws.com:sub": identity_id,  # the identity id, not the user pool's sub
        "cognito-identity.amazonaws.com:amr": [
            "authenticated",
            provider,
            f"{provider}:CognitoSignIn:alice-sub",
        ],
    }
    assert call.session_policies == () and call.duration_seconds == 3600


def test_the_same_user_gets_the_same_identity_id_every_time(
    invoke: Invoke, user_pools: FakeUserPools, provider: str, pool_id: str
) -> None:
    first, _ = credentials(invoke, provider, pool_id, sign_in(user_pools, "alice-sub"))
    again, _ = credentials(invoke, provider, pool_id, sign_in(user_pools, "alice-sub"))
    other, _ = credentials(invoke, provider, pool_id, sign_in(user_pools, "bob-sub"))
    assert first == again != other


def test_amplifys_issuer_login_key_is_the_same_provider(
    invoke: Invoke, user_pools: FakeUserPools, provider: str, pool_id: str
) -> None:
    token = sign_in(user_pools, "alice-sub")
    aws_key_id, _ = credentials(invoke, provider, pool_id, token)
    amplify_key = f"127.0.0.1:4577/{USER_POOL}"
    assert credentials(invoke, amplify_key, pool_id, token)[0] == aws_key_id


def test_guests_get_the_unauthenticated_role_with_the_scope_down_policy(
    invoke: Invoke, sts: FakeSts, pool_id: str
) -> None:
    guest = invoke("GetId", IdentityPoolId=pool_id)["IdentityId"]
    invoke("GetCredentialsForIdentity", IdentityId=guest)
    call = sts.calls[-1]
    assert call.role_arn == GUEST_ROLE
    assert call.context["cognito-identity.amazonaws.com:amr"] == ["unauthenticated"]
    assert call.session_policies == (GUEST_SESSION_POLICY,)
    assert json.loads(GUEST_SESSION_POLICY)["Statement"][0]["Effect"] == "Allow"


def test_each_guest_get_id_is_a_new_identity(invoke: Invoke, pool_id: str) -> None:
    assert invoke("GetId", IdentityPoolId=pool_id) != invoke("GetId", IdentityPoolId=pool_id)


def test_guests_are_refused_when_the_pool_does_not_allow_them(invoke: Invoke, pool_id: str) -> None:
    guest = invoke("GetId", IdentityPoolId=pool_id)["IdentityId"]
    invoke(
        "UpdateIdentityPool",
        IdentityPoolId=pool_id,
        IdentityPoolName="app",
        AllowUnauthenticatedIdentities=False,
    )
    for error in (
        refused(invoke, "GetId", IdentityPoolId=pool_id),
        refused(invoke, "GetCredentialsForIdentity", IdentityId=guest),
    ):
        assert (error.code, error.message) == (
            "NotAuthorizedException",
            "Unauthenticated access is not supported for this identity pool.",
        )


def test_bobs_identity_id_with_alices_token_gets_nothing(
    invoke: Invoke, user_pools: FakeUserPools, sts: FakeSts, provider: str, pool_id: str
) -> None:
    alice_token = sign_in(user_pools, "alice-sub")
    credentials(invoke, provider, pool_id, alice_token)
    bob_id, _ = credentials(invoke, provider, pool_id, sign_in(user_pools, "bob-sub"))
    before = len(sts.calls)
    error = refused(invoke, "GetCredentialsForIdentity", IdentityId=bob_id, Logins={provider: alice_token})
    assert error.code == "NotAuthorizedException" and error.message.startswith("Logins don't match.")
    error = refused(invoke, "GetCredentialsForIdentity", IdentityId=bob_id)
    assert error.code == "NotAuthorizedException"
    assert len(sts.calls) == before


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (
            lambda pools, rt: pools.id_token(USER_POOL, CLIENT, "a", lifetime=-1),
            "Invalid login token. Token expired: ",
        ),
        (lambda pools, rt: "not.a.jwt", "Invalid login token. Not a valid OpenId Connect identity token."),
        (
            lambda pools, rt: pools.id_token(USER_POOL, "other-client", "a"),
            "Token is not from a supported provider",
        ),
        (
            lambda pools, rt: pools.id_token(USER_POOL, CLIENT, "a", iss="http://evil/x"),
            "Invalid login token. Issuer",
        ),
        (
            lambda pools, rt: pools.id_token(USER_POOL, CLIENT, "a", token_use="access"),
            "Invalid login token.",
        ),
    ],
)
def test_bad_tokens_get_nothing(
    invoke: Invoke,
    user_pools: FakeUserPools,
    rt: FakeRuntime,
    provider: str,
    pool_id: str,
    tamper: Any,
    message: str,
) -> None:
    token = tamper(user_pools, rt)
    error = refused(invoke, "GetId", IdentityPoolId=pool_id, Logins={provider: token})
    assert error.code == "NotAuthorizedException" and error.message.startswith(message)


def test_a_forged_signature_and_alg_none_get_nothing(
    invoke: Invoke, user_pools: FakeUserPools, provider: str, pool_id: str
) -> None:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = user_pools.id_token(USER_POOL, CLIENT, "alice-sub", key=forger)
    claims = jwt.decode(sign_in(user_pools, "alice-sub"), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none")
    for token in (forged, unsigned):
        error = refused(invoke, "GetId", IdentityPoolId=pool_id, Logins={provider: token})
        assert (error.code, error.message) == (
            "NotAuthorizedException",
            "Invalid login token. Couldn't verify signed token.",
        )


def test_a_revoked_session_gets_nothing_when_server_side_token_check_is_on(
    invoke: Invoke, user_pools: FakeUserPools, provider: str, pool_id: str
) -> None:
    invoke(
        "UpdateIdentityPool",
        IdentityPoolId=pool_id,
        IdentityPoolName="app",
        AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[
            {"ProviderName": provider, "ClientId": CLIENT, "ServerSideTokenCheck": True}
        ],
    )
    token = sign_in(user_pools, "alice-sub")
    identity_id, _ = credentials(invoke, provider, pool_id, token)
    user_pools.revoked.add(jwt.decode(token, options={"verify_signature": False})["jti"])
    error = refused(invoke, "GetCredentialsForIdentity", IdentityId=identity_id, Logins={provider: token})
    assert error.message == "Invalid login token. Couldn't verify signed token."


def test_without_server_side_token_check_a_verified_token_is_honoured_until_it_expires(
    invoke: Invoke, user_pools: FakeUserPools, rt: FakeRuntime, provider: str, pool_id: str
) -> None:
    """As on AWS: without ServerSideTokenCheck a signed-out user's token works until its exp."""
    token = sign_in(user_pools, "alice-sub")
    identity_id, _ = credentials(invoke, provider, pool_id, token)
    user_pools.revoked.add(jwt.decode(token, options={"verify_signature": False})["jti"])
    invoke("GetCredentialsForIdentity", IdentityId=identity_id, Logins={provider: token})
    rt.advance(3600)
    error = refused(invoke, "GetCredentialsForIdentity", IdentityId=identity_id, Logins={provider: token})
    assert error.message.startswith("Invalid login token. Token expired:")


def test_a_token_of_another_user_pool_gets_nothing(
    invoke: Invoke, user_pools: FakeUserPools, provider: str, pool_id: str
) -> None:
    user_pools.add_pool("us-east-1_Other9", CLIENT)
    token = user_pools.id_token("us-east-1_Other9", CLIENT, "alice-sub")
    assert (
        refused(invoke, "GetId", IdentityPoolId=pool_id, Logins={provider: token}).code
        == "NotAuthorizedException"
    )
    other_key = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Other9"
    error = refused(invoke, "GetId", IdentityPoolId=pool_id, Logins={other_key: token})
    assert error.message == "Token is not from a supported provider of this identity pool."


def test_a_trust_policy_that_does_not_admit_the_pool_is_an_invalid_pool_configuration(
    invoke: Invoke, user_pools: FakeUserPools, sts: FakeSts, rt: FakeRuntime, provider: str, pool_id: str
) -> None:
    sts.trust_pool(AUTH_ROLE, "us-east-1:some-other-pool", "authenticated")
    logins = {provider: sign_in(user_pools, "alice-sub")}
    identity_id = invoke("GetId", IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    from tests.unit.services.cognito_identity.fakes import FakeCall

    call = FakeCall(rt)
    error = refused(invoke, "GetCredentialsForIdentity", call=call, IdentityId=identity_id, Logins=logins)
    assert (error.code, error.message) == (
        "InvalidIdentityPoolConfigurationException",
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    )
    assert call.log["role_refused"].startswith("AccessDenied")


def test_a_pool_without_roles_is_an_invalid_pool_configuration(
    invoke: Invoke, user_pools: FakeUserPools, provider: str, pool_id: str
) -> None:
    invoke("SetIdentityPoolRoles", IdentityPoolId=pool_id, Roles={})
    logins = {provider: sign_in(user_pools, "alice-sub")}
    identity_id = invoke("GetId", IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    error = refused(invoke, "GetCredentialsForIdentity", IdentityId=identity_id, Logins=logins)
    assert error.code == "InvalidIdentityPoolConfigurationException"


def test_token_role_mapping_uses_the_users_group_role(
    invoke: Invoke, user_pools: FakeUserPools, sts: FakeSts, provider: str, pool_id: str
) -> None:
    invoke(
        "SetIdentityPoolRoles",
        IdentityPoolId=pool_id,
        Roles={"authenticated": AUTH_ROLE},
        RoleMappings={
            f"{provider}:{CLIENT}": {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}
        },
    )
    sts.trust_pool(ADMIN, pool_id, "authenticated")
    token = sign_in(user_pools, "alice-sub", **{"cognito:roles": [ADMIN], "cognito:preferred_role": ADMIN})
    credentials(invoke, provider, pool_id, token)
    assert sts.calls[-1].role_arn == ADMIN
    credentials(invoke, provider, pool_id, sign_in(user_pools, "bob-sub"))
    assert sts.calls[-1].role_arn == AUTH_ROLE


def test_principal_tags_from_the_tag_map_reach_the_session(
    invoke: Invoke, user_pools: FakeUserPools, sts: FakeSts, provider: str, pool_id: str
) -> None:
    invoke(
        "SetPrincipalTagAttributeMap", IdentityPoolId=pool_id, IdentityProviderName=provider, UseDefaults=True
    )
    credentials(invoke, provider, pool_id, sign_in(user_pools, "alice-sub"))
    assert sts.calls[-1].tags == {"username": "alice-sub", "client": CLIENT}


def test_a_guest_signing_in_keeps_its_identity_id(
    invoke: Invoke, user_pools: FakeUserPools, sts: FakeSts, provider: str, pool_id: str
) -> None:
    guest = invoke("GetId", IdentityPoolId=pool_id)["IdentityId"]
    logins = {provider: sign_in(user_pools, "carol-sub")}
    out = invoke("GetCredentialsForIdentity", IdentityId=guest, Logins=logins)
    assert out["IdentityId"] == guest
    assert sts.calls[-1].role_arn == AUTH_ROLE
    assert invoke("GetId", IdentityPoolId=pool_id, Logins=logins)["IdentityId"] == guest


def test_an_unknown_identity_is_not_found(invoke: Invoke, pool_id: str) -> None:
    error = refused(
        invoke, "GetCredentialsForIdentity", IdentityId="us-east-1:00000000-0000-0000-0000-000000000000"
    )
    assert (error.code, error.message) == (
        "ResourceNotFoundException",
        "Identity 'us-east-1:00000000-0000-0000-0000-000000000000' not found.",
    )
