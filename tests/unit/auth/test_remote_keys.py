from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from hutch.auth.remote_keys import RemoteKeys, RemoteTokenError

ISSUER = "https://login.example.com"
NOW = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)


class Provider:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "k1"
        self.fetches: list[str] = []

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, alg="RS256", use="sig")
        return {"keys": [jwk]}

    def fetch(self, url: str) -> dict[str, Any]:
        self.fetches.append(url)
        if url == ISSUER + "/.well-known/openid-configuration":
            return {"issuer": ISSUER, "jwks_uri": ISSUER + "/keys"}
        assert url == ISSUER + "/keys"
        return self.jwks()

    def token(self, **claims: Any) -> str:
        payload = {"iss": ISSUER, "sub": "user-1", "aud": "app", "exp": int(NOW.timestamp()) + 60, **claims}
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})


def test_a_token_of_the_issuer_verifies_and_keys_are_cached() -> None:
    provider = Provider()
    keys = RemoteKeys(provider.fetch)
    assert keys.verify(provider.token(), issuer=ISSUER, audiences={"app"}, now=NOW)["sub"] == "user-1"
    keys.verify(provider.token(), issuer=ISSUER, audiences={"app"}, now=NOW)
    assert len(provider.fetches) == 2  # discovery + jwks once


def test_a_rotated_key_is_fetched_again_once() -> None:
    provider = Provider()
    keys = RemoteKeys(provider.fetch)
    keys.verify(provider.token(), issuer=ISSUER, audiences={"app"}, now=NOW)
    provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    provider.kid = "k2"
    assert keys.verify(provider.token(), issuer=ISSUER, audiences={"app"}, now=NOW)["sub"] == "user-1"


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "other-app"}, "Incorrect token audience."),
        ({"iss": "https://evil.example.com"}, "Issuer doesn't match providerName"),
        ({"exp": int(NOW.timestamp())}, "Token expired"),
    ],
)
def test_wrong_audience_issuer_or_expiry_is_refused(claims: dict[str, Any], reason: str) -> None:
    provider = Provider()
    with pytest.raises(RemoteTokenError) as refused:
        RemoteKeys(provider.fetch).verify(provider.token(**claims), issuer=ISSUER, audiences={"app"}, now=NOW)
    assert refused.value.reason.startswith(reason)


def test_a_token_signed_by_another_key_with_the_same_kid_is_refused() -> None:
    provider, forger = Provider(), Provider()
    with pytest.raises(RemoteTokenError):
        RemoteKeys(provider.fetch).verify(forger.token(), issuer=ISSUER, audiences={"app"}, now=NOW)


def test_hmac_and_none_algorithms_are_refused_before_any_key_lookup() -> None:
    provider = Provider()
    hs = jwt.encode({"iss": ISSUER, "sub": "x", "aud": "app", "exp": 2**31}, "s" * 32, algorithm="HS256")
    with pytest.raises(RemoteTokenError):
        RemoteKeys(provider.fetch).verify(hs, issuer=ISSUER, audiences={"app"}, now=NOW)
    assert provider.fetches == []


def test_keys_are_only_fetched_over_https() -> None:
    with pytest.raises(RemoteTokenError):
        RemoteKeys().verify(
            Provider().token(iss="http://plain.example.com"),
            issuer="http://plain.example.com",
            audiences={"app"},
            now=NOW,
        )
