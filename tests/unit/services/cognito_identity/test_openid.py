from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from hutch.services.cognito_identity.openid import TAGS_CLAIM, InvalidOpenIdToken, OpenIdTokens, generate_key

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
ISSUER = "http://127.0.0.1:4577/cognito-identity"


@pytest.fixture(scope="module")
def tokens() -> OpenIdTokens:
    kid, pem = generate_key()
    return OpenIdTokens.load(ISSUER, kid, pem)


def mint(tokens: OpenIdTokens, **overrides: object) -> str:
    args: dict[str, object] = {
        "pool_id": "us-east-1:pool",
        "identity_id": "us-east-1:identity",
        "amr": ["authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_x"],
        "now": NOW,
        "lifetime": timedelta(minutes=10),
    }
    args.update(overrides)
    return tokens.mint(**args)  # type: ignore[arg-type]


def test_a_minted_token_verifies_with_the_published_jwks_by_any_oidc_library(tokens: OpenIdTokens) -> None:
    token = mint(tokens)
    jwk = jwt.PyJWKSet.from_dict(tokens.jwks()).keys[0]
    claims = jwt.decode(
        token,
        jwk.key,
        algorithms=["RS256"],
        audience="us-east-1:pool",
        issuer=ISSUER,
        options={"verify_exp": False},
    )
    assert claims["sub"] == "us-east-1:identity"
    assert claims["amr"][0] == "authenticated"
    assert claims["exp"] - claims["iat"] == 600
    assert jwt.get_unverified_header(token)["kid"] == tokens.kid


def test_verify_returns_the_claims_until_expiry_then_says_expired(tokens: OpenIdTokens) -> None:
    token = mint(tokens)
    assert tokens.verify(token, NOW + timedelta(seconds=599))["aud"] == "us-east-1:pool"
    with pytest.raises(InvalidOpenIdToken) as expired:
        tokens.verify(token, NOW + timedelta(seconds=600))
    assert expired.value.expired
    assert expired.value.reason.startswith("Token expired: ")


def test_a_token_signed_by_another_key_is_refused(tokens: OpenIdTokens) -> None:
    _, pem = generate_key()
    other = OpenIdTokens.load(ISSUER, tokens.kid, pem)  # same kid and issuer, different key
    with pytest.raises(InvalidOpenIdToken) as forged:
        tokens.verify(mint(other), NOW)
    assert not forged.value.expired


def test_alg_none_and_hmac_with_the_public_key_are_refused(tokens: OpenIdTokens) -> None:
    claims = jwt.decode(mint(tokens), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": tokens.kid})
    with pytest.raises(InvalidOpenIdToken):
        tokens.verify(unsigned, NOW)
    header, payload, _ = mint(tokens).split(".")
    with pytest.raises(InvalidOpenIdToken):
        tokens.verify(f"{header}.{payload}.", NOW)


def test_garbage_is_not_a_valid_token(tokens: OpenIdTokens) -> None:
    with pytest.raises(InvalidOpenIdToken) as bad:
        tokens.verify("not-a-jwt", NOW)
    assert bad.value.reason == "Not a valid OpenId Connect identity token."


def test_principal_tags_ride_in_the_aws_tags_claim(tokens: OpenIdTokens) -> None:
    claims = tokens.verify(mint(tokens, principal_tags={"dept": "sales"}), NOW)
    assert claims[TAGS_CLAIM] == {"principal_tags": {"dept": ["sales"]}}


def test_each_installation_generates_its_own_key() -> None:
    assert generate_key()[1] != generate_key()[1]
