"""The enhanced and basic flows against a live server: user pool sign-in → identity id → credentials."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.integration.cognito_identity.conftest import make_role
from tests.integration.cognito_identity.support import (
    UserPool,
    claims_of,
    client_with,
    make_user_pool,
    mint_with_pool_key,
    sign_in,
    unique,
    unsigned_client,
)
from tests.support.server import HutchServer


@pytest.fixture(scope="module")
def pool(identity: Any, iam: Any, user_pool: UserPool) -> dict[str, str]:
    """An identity pool trusting the user pool, guests allowed, roles whose trust policies admit it."""
    pool_id = identity.create_identity_pool(
        IdentityPoolName=unique("flows"),
        AllowUnauthenticatedIdentities=True,
        AllowClassicFlow=True,
        CognitoIdentityProviders=[{"ProviderName": user_pool.provider_name, "ClientId": user_pool.client_id}],
    )["IdentityPoolId"]
    auth_role = make_role(iam, pool_id, "authenticated")
    guest_role = make_role(iam, pool_id, "unauthenticated")
    identity.set_identity_pool_roles(
        IdentityPoolId=pool_id, Roles={"authenticated": auth_role, "unauthenticated": guest_role}
    )
    return {"id": pool_id, "auth_role": auth_role, "guest_role": guest_role}


@pytest.fixture(scope="module")
def app(hutch: HutchServer) -> Any:
    return unsigned_client(hutch, "cognito-identity")


def login(hutch: HutchServer, user_pool: UserPool, username: str) -> dict[str, str]:
    return {user_pool.provider_name: sign_in(hutch, user_pool, username)["IdToken"]}


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


def test_a_signed_in_user_gets_working_credentials_for_the_authenticated_role(
    hutch: HutchServer, app: Any, user_pool: UserPool, pool: dict[str, str]
) -> None:
    logins = login(hutch, user_pool, "alice")
    identity_id = app.get_id(IdentityPoolId=pool["id"], Logins=logins)["IdentityId"]
    assert identity_id.startswith(f"{hutch.region}:")
    out = app.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)
    assert out["IdentityId"] == identity_id
    creds = out["Credentials"]
    assert set(creds) == {"AccessKeyId", "SecretKey", "SessionToken", "Expiration"}
    assert creds["AccessKeyId"].startswith("ASIA")
    who = client_with(hutch, "sts", creds).get_caller_identity()
    role_name = pool["auth_role"].rsplit("/", 1)[-1]
    assert (
        who["Arn"] == f"arn:aws:sts::{hutch.account_id}:assumed-role/{role_name}/CognitoIdentityCredentials"
    )


def test_the_identity_id_is_stable_per_user_and_distinct_between_users(
    hutch: HutchServer, app: Any, user_pool: UserPool, pool: dict[str, str]
) -> None:
    first = app.get_id(IdentityPoolId=pool["id"], Logins=login(hutch, user_pool, "alice"))["IdentityId"]
    again = app.get_id(IdentityPoolId=pool["id"], Logins=login(hutch, user_pool, "alice"))["IdentityId"]
    bob = app.get_id(IdentityPoolId=pool["id"], Logins=login(hutch, user_pool, "bob"))["IdentityId"]
    assert first == again != bob


def test_amplifys_login_key_from_the_issuer_maps_to_the_same_identity(
    hutch: HutchServer, app: Any, user_pool: UserPool, pool: dict[str, str]
) -> None:
    token = sign_in(hutch, user_pool, "alice")["IdToken"]
    assert claims_of(token)["iss"] == user_pool.issuer
    amplify_key = user_pool.issuer.split("://", 1)[1]
    by_aws_name = app.get_id(IdentityPoolId=pool["id"], Logins={user_pool.provider_name: token})["IdentityId"]
    by_issuer = app.get_id(IdentityPoolId=pool["id"], Logins={amplify_key: token})["IdentityId"]
    assert by_issuer == by_aws_name
    app.get_credentials_for_identity(IdentityId=by_issuer, Logins={amplify_key: token})


def test_bobs_identity_id_with_alices_token_gets_nothing(
    hutch: HutchServer, app: Any, user_pool: UserPool, pool: dict[str, str]
) -> None:
    bob_id = app.get_id(IdentityPoolId=pool["id"], Logins=login(hutch, user_pool, "bob"))["IdentityId"]
    with pytest.raises(app.exceptions.NotAuthorizedException) as refused:
        app.get_credentials_for_identity(IdentityId=bob_id, Logins=login(hutch, user_pool, "alice"))
    assert error_of(refused)[1].startswith("Logins don't match.")
    with pytest.raises(app.exceptions.NotAuthorizedException):
        app.get_credentials_for_identity(IdentityId=bob_id)


def forged(token: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(
        claims_of(token), key, algorithm="RS256", headers={"kid": jwt.get_unverified_header(token)["kid"]}
    )


def unsigned(token: str) -> str:
    return jwt.encode(
        claims_of(token), None, algorithm="none", headers={"kid": jwt.get_unverified_header(token)["kid"]}
    )


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (lambda hutch, t: forged(t), "Invalid login token. Couldn't verify signed token."),
        (lambda hutch, t: unsigned(t), "Invalid login token. Couldn't verify signed token."),
        (
            lambda hutch, t: mint_with_pool_key(hutch, t, exp=claims_of(t)["iat"] - 1),
            "Invalid login token. Token expired",
        ),
        (lambda hutch, t: "not-a-token", "Invalid login token. Not a valid OpenId Connect identity token."),
    ],
    ids=["forged-signature", "alg-none", "expired", "garbage"],
)
def test_bad_tokens_get_nothing(
    hutch: HutchServer, app: Any, user_pool: UserPool, pool: dict[str, str], make_token: Any, message: str
) -> None:
    token = make_token(hutch, sign_in(hutch, user_pool, "alice")["IdToken"])
    with pytest.raises(app.exceptions.NotAuthorizedException) as refused:
        app.get_id(IdentityPoolId=pool["id"], Logins={user_pool.provider_name: token})
    assert error_of(refused)[1].startswith(message)


def test_an_access_token_is_not_an_id_token(
    hutch: HutchServer, app: Any, user_pool: UserPool, pool: dict[str, str]
) -> None:
    access = sign_in(hutch, user_pool, "alice")["AccessToken"]
    with pytest.raises(app.exceptions.NotAuthorizedException) as refused:
        app.get_id(IdentityPoolId=pool["id"], Logins={user_pool.provider_name: access})
    assert error_of(refused)[1] == "Invalid login token. Missing a required claim: aud"


def test_a_token_from_another_user_pool_gets_nothing(
    hutch: HutchServer, app: Any, idp: Any, user_pool: UserPool, pool: dict[str, str]
) -> None:
    other = make_user_pool(idp, hutch, "alice")
    token = sign_in(hutch, other, "alice")["IdToken"]
    with pytest.raises(app.exceptions.NotAuthorizedException) as wrong_key:
        app.get_id(IdentityPoolId=pool["id"], Logins={user_pool.provider_name: token})
    assert error_of(wrong_key)[1] == "Invalid login token. Issuer doesn't match providerName"
    with pytest.raises(app.exceptions.NotAuthorizedException) as not_trusted:
        app.get_id(IdentityPoolId=pool["id"], Logins={other.provider_name: token})
    assert error_of(not_trusted)[1] == "Token is not from a supported provider of this identity pool."


def test_a_trust_policy_naming_another_pool_gets_nothing(
    hutch: HutchServer, app: Any, identity: Any, iam: Any, user_pool: UserPool
) -> None:
    pool_id = identity.create_identity_pool(
        IdentityPoolName=unique("mistrusted"),
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[{"ProviderName": user_pool.provider_name, "ClientId": user_pool.client_id}],
    )["IdentityPoolId"]
    someone_elses = make_role(iam, f"{hutch.region}:00000000-0000-0000-0000-000000000000", "authenticated")
    identity.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": someone_elses})
    logins = login(hutch, user_pool, "alice")
    identity_id = app.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    with pytest.raises(app.exceptions.InvalidIdentityPoolConfigurationException) as refused:
        app.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)
    assert (
        error_of(refused)[1] == "Invalid identity pool configuration. Check assigned IAM roles for this pool."
    )


def test_guests_get_the_unauthenticated_role_only_when_the_pool_allows_them(
    hutch: HutchServer, app: Any, identity: Any, pool: dict[str, str]
) -> None:
    guest = app.get_id(IdentityPoolId=pool["id"])["IdentityId"]
    creds = app.get_credentials_for_identity(IdentityId=guest)["Credentials"]
    who = client_with(hutch, "sts", creds).get_caller_identity()
    assert pool["guest_role"].rsplit("/", 1)[-1] in who["Arn"]
    closed = identity.create_identity_pool(
        IdentityPoolName=unique("closed"), AllowUnauthenticatedIdentities=False
    )
    with pytest.raises(app.exceptions.NotAuthorizedException) as refused:
        app.get_id(IdentityPoolId=closed["IdentityPoolId"])
    assert error_of(refused)[1] == "Unauthenticated access is not supported for this identity pool."


def test_basic_flow_open_id_token_then_assume_role_with_web_identity(
    hutch: HutchServer, app: Any, user_pool: UserPool, pool: dict[str, str]
) -> None:
    logins = login(hutch, user_pool, "alice")
    identity_id = app.get_id(IdentityPoolId=pool["id"], Logins=logins)["IdentityId"]
    out = app.get_open_id_token(IdentityId=identity_id, Logins=logins)
    assert out["IdentityId"] == identity_id
    token = out["Token"]
    claims = claims_of(token)
    assert (claims["aud"], claims["sub"]) == (pool["id"], identity_id)
    assert claims["amr"][0] == "authenticated" and claims["exp"] - claims["iat"] == 600
    # Any OIDC library can verify it with the JWKS hutch publishes under the issuer.
    discovery = httpx.get(f"{claims['iss']}/.well-known/openid-configuration").json()
    assert discovery["issuer"] == claims["iss"]
    keys = jwt.PyJWKSet.from_dict(httpx.get(discovery["jwks_uri"]).json())
    jwt.decode(
        token, keys[jwt.get_unverified_header(token)["kid"]].key, algorithms=["RS256"], audience=pool["id"]
    )
    sts = unsigned_client(hutch, "sts")
    assumed = sts.assume_role_with_web_identity(
        RoleArn=pool["auth_role"], RoleSessionName="basic-flow", WebIdentityToken=token
    )
    assert assumed["Credentials"]["AccessKeyId"].startswith("ASIA")
    # The guest role's trust policy admits only amr "unauthenticated": this token gets nothing there.
    with pytest.raises(sts.exceptions.ClientError) as refused:
        sts.assume_role_with_web_identity(
            RoleArn=pool["guest_role"], RoleSessionName="not-a-guest", WebIdentityToken=token
        )
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_developer_authenticated_identities(hutch: HutchServer, app: Any, identity: Any, iam: Any) -> None:
    pool_id = identity.create_identity_pool(
        IdentityPoolName=unique("dev"),
        AllowUnauthenticatedIdentities=False,
        DeveloperProviderName="login.example.app",
    )["IdentityPoolId"]
    role = make_role(iam, pool_id, "authenticated")
    identity.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": role})
    out = identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool_id, Logins={"login.example.app": "user-42"}, TokenDuration=900
    )
    again = identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool_id, Logins={"login.example.app": "user-42"}
    )
    assert again["IdentityId"] == out["IdentityId"]
    creds = app.get_credentials_for_identity(
        IdentityId=out["IdentityId"], Logins={"cognito-identity.amazonaws.com": out["Token"]}
    )["Credentials"]
    assert (
        client_with(hutch, "sts", creds).get_caller_identity()["Arn"].endswith("/CognitoIdentityCredentials")
    )
    looked = identity.lookup_developer_identity(IdentityPoolId=pool_id, DeveloperUserIdentifier="user-42")
    assert looked["IdentityId"] == out["IdentityId"]


def test_identities_are_listed_described_and_unlinked(
    hutch: HutchServer, app: Any, identity: Any, user_pool: UserPool, pool: dict[str, str]
) -> None:
    logins = login(hutch, user_pool, "bob")
    bob = app.get_id(IdentityPoolId=pool["id"], Logins=logins)["IdentityId"]
    assert identity.describe_identity(IdentityId=bob)["Logins"] == [user_pool.provider_name]
    listed = identity.list_identities(IdentityPoolId=pool["id"], MaxResults=60)["Identities"]
    assert bob in {i["IdentityId"] for i in listed}
    app.unlink_identity(IdentityId=bob, Logins=logins, LoginsToRemove=[user_pool.provider_name])
    with pytest.raises(app.exceptions.NotAuthorizedException) as refused:
        app.get_credentials_for_identity(IdentityId=bob, Logins=logins)
    assert error_of(refused)[1] == f"Access to Identity '{bob}' is forbidden."
    assert app.get_id(IdentityPoolId=pool["id"], Logins=logins)["IdentityId"] != bob


def test_the_jwks_route_serves_the_keys_tokens_are_signed_with(hutch: HutchServer) -> None:
    response = httpx.get(f"{hutch.endpoint}/cognito-identity/.well-known/jwks_uri")
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert keys and all(k["kty"] == "RSA" and k["alg"] == "RS256" and "d" not in k for k in keys)
    assert json.loads(response.text) == response.json()
