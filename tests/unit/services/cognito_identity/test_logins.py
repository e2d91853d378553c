"""Which Logins entries verify, against which keys, for the providers an identity pool can trust."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jwt
import pytest

from hutch.auth.remote_keys import RemoteKeys
from hutch.errors import ServiceError
from hutch.services.cognito_identity.logins import LoginVerifier
from hutch.services.cognito_identity.model import CognitoProvider, IdentityPool
from hutch.services.cognito_identity.service import CognitoIdentityService
from tests.unit.services.cognito_identity.conftest import CLIENT, USER_POOL
from tests.unit.services.cognito_identity.fakes import FakeRuntime, FakeUserPools, shared_key

OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/login.example.com"
LOCAL_ARN = f"arn:aws:iam::123456789012:oidc-provider/127.0.0.1:4577/{USER_POOL}"


@dataclass
class Provider:
    url: str
    client_ids: tuple[str, ...]


class FakeIam:
    def __init__(self) -> None:
        self.providers = {
            OIDC_ARN: Provider("https://login.example.com", ("web-app",)),
            LOCAL_ARN: Provider(f"http://127.0.0.1:4577/{USER_POOL}", (CLIENT,)),
        }

    def oidc_provider(self, arn: str) -> Provider | None:
        return self.providers.get(arn)


def remote_fetch(url: str) -> dict[str, Any]:
    if url.endswith("/.well-known/openid-configuration"):
        return {"jwks_uri": url.replace("/.well-known/openid-configuration", "/jwks")}
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(shared_key().public_key()))
    return {"keys": [{**jwk, "kid": "remote"}]}


@pytest.fixture
def verifier(rt: FakeRuntime, user_pools: FakeUserPools) -> LoginVerifier:
    user_pools.add_pool(USER_POOL, CLIENT)
    rt.services["iam"] = FakeIam()
    svc: CognitoIdentityService = rt.services["cognito_identity"]
    return LoginVerifier(
        user_pools=user_pools,
        oidc_providers=svc.oidc_provider,
        own_tokens=svc.tokens,
        remote_keys=RemoteKeys(remote_fetch),
    )


def pool(**overrides: Any) -> IdentityPool:
    base: dict[str, Any] = {
        "pool_id": "us-east-1:p",
        "name": "p",
        "allow_unauthenticated": False,
        "cognito_providers": (CognitoProvider(f"cognito-idp.us-east-1.amazonaws.com/{USER_POOL}", CLIENT),),
        "open_id_connect_provider_arns": (OIDC_ARN, LOCAL_ARN),
        "supported_login_providers": {"accounts.google.com": "g-app", "graph.facebook.com": "fb-app"},
    }
    base.update(overrides)
    return IdentityPool(**base)


def remote_token(rt: FakeRuntime, issuer: str, aud: str) -> str:
    now = int(rt.now().timestamp())
    claims = {"iss": issuer, "sub": "remote-user", "aud": aud, "exp": now + 60, "iat": now}
    return jwt.encode(claims, shared_key(), algorithm="RS256", headers={"kid": "remote"})


def test_a_registered_oidc_provider_verifies_with_its_client_ids(
    verifier: LoginVerifier, rt: FakeRuntime
) -> None:
    login = verifier.verify(
        pool(), "login.example.com", remote_token(rt, "https://login.example.com", "web-app"), rt.now()
    )
    assert (login.provider, login.subject, login.kind, login.amr()) == (
        "login.example.com",
        "remote-user",
        "oidc",
        ["login.example.com"],
    )
    with pytest.raises(ServiceError):
        verifier.verify(
            pool(), "login.example.com", remote_token(rt, "https://login.example.com", "other"), rt.now()
        )


def test_a_hutch_user_pool_registered_as_oidc_provider_is_verified_in_process(
    verifier: LoginVerifier, rt: FakeRuntime, user_pools: FakeUserPools
) -> None:
    # Only the OIDC registration, no CognitoIdentityProviders entry: the key is the issuer without scheme.
    token = user_pools.id_token(USER_POOL, CLIENT, "alice-sub")
    login = verifier.verify(pool(cognito_providers=()), f"127.0.0.1:4577/{USER_POOL}", token, rt.now())
    assert (login.kind, login.subject) == ("oidc", "alice-sub")


def test_google_tokens_verify_against_googles_keys_with_either_spelling_of_iss(
    verifier: LoginVerifier, rt: FakeRuntime
) -> None:
    for iss in ("https://accounts.google.com", "accounts.google.com"):
        token = remote_token(rt, iss, "g-app")
        assert verifier.verify(pool(), "accounts.google.com", token, rt.now()).subject == "remote-user"
    with pytest.raises(ServiceError):
        verifier.verify(
            pool(), "accounts.google.com", remote_token(rt, "https://accounts.google.com", "x"), rt.now()
        )


def test_providers_hutch_cannot_verify_are_refused_never_trusted(
    verifier: LoginVerifier, rt: FakeRuntime
) -> None:
    with pytest.raises(ServiceError) as refused:
        verifier.verify(pool(), "graph.facebook.com", "EAAB-opaque-token", rt.now())
    assert refused.value.code == "NotAuthorizedException"


def test_keys_the_pool_does_not_trust_are_not_from_a_supported_provider(
    verifier: LoginVerifier, rt: FakeRuntime
) -> None:
    with pytest.raises(ServiceError) as refused:
        verifier.verify(pool(), "www.amazon.com", "token", rt.now())
    assert refused.value.message == "Token is not from a supported provider of this identity pool."


def test_the_amplify_issuer_key_maps_to_the_aws_provider_name(verifier: LoginVerifier) -> None:
    assert verifier.canonical_provider(pool(), f"127.0.0.1:4577/{USER_POOL}") == (
        f"cognito-idp.us-east-1.amazonaws.com/{USER_POOL}"
    )


def test_the_developer_provider_is_only_accepted_in_signed_developer_calls(
    verifier: LoginVerifier, rt: FakeRuntime
) -> None:
    dev_pool = pool(developer_provider_name="login.example.app")
    assert (
        verifier.verify(dev_pool, "login.example.app", "user-7", rt.now(), developer=True).subject == "user-7"
    )
    with pytest.raises(ServiceError):
        verifier.verify(dev_pool, "login.example.app", "user-7", rt.now())


def test_this_services_token_must_be_for_this_pool(verifier: LoginVerifier, rt: FakeRuntime) -> None:
    svc: CognitoIdentityService = rt.services["cognito_identity"]
    from datetime import timedelta

    token = svc.tokens.mint(
        pool_id="us-east-1:other",
        identity_id="us-east-1:i",
        amr=["authenticated"],
        now=rt.now(),
        lifetime=timedelta(minutes=5),
    )
    with pytest.raises(ServiceError):
        verifier.verify(pool(), "cognito-identity.amazonaws.com", token, rt.now())
