"""Tokens: Cognito's claims when minted; and every forged or misused token refused when verified."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from hutch.services.cognito_idp import keys
from hutch.services.cognito_idp.tokens import (
    Grant,
    GroupClaims,
    KnownKey,
    TokenRejected,
    group_claims,
    mint_access_token,
    mint_id_token,
    verify,
)

NOW = datetime(2026, 11, 3, 9, 5, 7, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _key() -> keys.SigningKey:
    kid, pem = keys.generate()
    return keys.KeyCache().load(kid, pem)


@pytest.fixture(scope="module")
def ring() -> dict[str, KnownKey]:
    """Pool A's id and access keys and pool B's id key, by kid."""
    a_id, a_access, b_id = _key(), _key(), _key()
    return {
        a_id.kid: KnownKey("us-east-1_AAAAAAAAA", "id", a_id),
        a_access.kid: KnownKey("us-east-1_AAAAAAAAA", "access", a_access),
        b_id.kid: KnownKey("us-east-1_BBBBBBBBB", "id", b_id),
    }


def _issuer(pool_id: str) -> str:
    return f"http://127.0.0.1:4577/{pool_id}"


def _grant(pool_id: str = "us-east-1_AAAAAAAAA", **over: Any) -> Grant:
    values: dict[str, Any] = {
        "issuer": _issuer(pool_id),
        "client_id": "client123",
        "sub": "11111111-2222-4333-8444-555555555555",
        "username": "alice",
        "origin_jti": "66666666-7777-4888-9999-000000000000",
        "auth_time": int(NOW.timestamp()),
        "attributes": {"email": "alice@example.com", "email_verified": "true", "custom:team": "blue"},
        "groups": GroupClaims(
            ("admins",), ("arn:aws:iam::123456789012:role/Admin",), "arn:aws:iam::123456789012:role/Admin"
        ),
    }
    values.update(over)
    return Grant(**values)


def _key_for(ring: dict[str, KnownKey], pool_id: str, use: str) -> keys.SigningKey:
    return next(k.key for k in ring.values() if k.pool_id == pool_id and k.token_use == use)


def _verify(
    ring: dict[str, KnownKey], token: str, use: str, now: datetime = NOW
) -> tuple[str, dict[str, Any]]:
    return verify(token, use, find_key=ring.get, issuer_of=_issuer, now=now)


def _id_token(ring: dict[str, KnownKey], pool_id: str = "us-east-1_AAAAAAAAA") -> str:
    return mint_id_token(_grant(pool_id), _key_for(ring, pool_id, "id"), NOW, HOUR, "event-1")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(claims).encode())
    return f"{head}.{body}.{_b64(signature)}"


def test_id_token_has_cognitos_claims(ring: dict[str, KnownKey]) -> None:
    pool_id, claims = _verify(ring, _id_token(ring), "id")
    assert pool_id == "us-east-1_AAAAAAAAA"
    assert claims["token_use"] == "id"
    assert claims["aud"] == "client123"
    assert claims["iss"] == _issuer(pool_id)
    assert claims["cognito:username"] == "alice"
    assert claims["email_verified"] is True
    assert claims["custom:team"] == "blue"
    assert claims["cognito:groups"] == ["admins"]
    assert claims["cognito:preferred_role"] == "arn:aws:iam::123456789012:role/Admin"
    assert claims["exp"] - claims["iat"] == 3600
    for claim in ("sub", "auth_time", "jti", "origin_jti", "event_id"):
        assert claim in claims


def test_access_token_has_cognitos_claims_and_no_aud(ring: dict[str, KnownKey]) -> None:
    token = mint_access_token(_grant(), _key_for(ring, "us-east-1_AAAAAAAAA", "access"), NOW, HOUR, "event-1")
    _, claims = _verify(ring, token, "access")
    assert "aud" not in claims
    assert claims["client_id"] == "client123"
    assert claims["scope"] == "aws.cognito.signin.user.admin"
    assert claims["username"] == "alice"
    assert claims["token_use"] == "access"
    assert "email" not in claims


def test_header_names_the_key_and_rs256_only(ring: dict[str, KnownKey]) -> None:
    header = jwt.get_unverified_header(_id_token(ring))
    assert header == {"alg": "RS256", "kid": _key_for(ring, "us-east-1_AAAAAAAAA", "id").kid}


def test_expired_token_is_refused_as_expired(ring: dict[str, KnownKey]) -> None:
    with pytest.raises(TokenRejected) as err:
        _verify(ring, _id_token(ring), "id", now=NOW + HOUR)
    assert err.value.expired


def test_tampered_payload_is_refused(ring: dict[str, KnownKey]) -> None:
    head, body, sig = _id_token(ring).split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["cognito:username"] = "mallory"
    with pytest.raises(TokenRejected):
        _verify(ring, f"{head}.{_b64(json.dumps(claims).encode())}.{sig}", "id")


def test_tampered_signature_is_refused(ring: dict[str, KnownKey]) -> None:
    head, body, sig = _id_token(ring).split(".")
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    with pytest.raises(TokenRejected):
        _verify(ring, f"{head}.{body}.{flipped}", "id")


def test_alg_none_is_refused(ring: dict[str, KnownKey]) -> None:
    _, claims = _verify(ring, _id_token(ring), "id")
    kid = _key_for(ring, "us-east-1_AAAAAAAAA", "id").kid
    with pytest.raises(TokenRejected, match="algorithm"):
        _verify(ring, _forge({"alg": "none", "kid": kid}, claims), "id")


def test_hs256_keyed_with_the_public_key_is_refused(ring: dict[str, KnownKey]) -> None:
    _, claims = _verify(ring, _id_token(ring), "id")
    key = _key_for(ring, "us-east-1_AAAAAAAAA", "id")
    public_pem = key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "kid": key.kid}
    unsigned = _forge(header, claims).rsplit(".", 1)[0]
    mac = hmac.new(public_pem, unsigned.encode(), hashlib.sha256).digest()
    with pytest.raises(TokenRejected, match="algorithm"):
        _verify(ring, f"{unsigned}.{_b64(mac)}", "id")


def test_token_signed_by_a_key_this_installation_does_not_have_is_refused(ring: dict[str, KnownKey]) -> None:
    stranger = _key()
    token = mint_id_token(_grant(), stranger, NOW, HOUR, "e")
    with pytest.raises(TokenRejected, match="kid"):
        _verify(ring, token, "id")


def test_known_kid_with_another_keys_signature_is_refused(ring: dict[str, KnownKey]) -> None:
    stranger = _key()
    impostor = keys.SigningKey(_key_for(ring, "us-east-1_AAAAAAAAA", "id").kid, stranger.private_key)
    with pytest.raises(TokenRejected, match="signature"):
        _verify(ring, mint_id_token(_grant(), impostor, NOW, HOUR, "e"), "id")


def test_token_claiming_another_pools_issuer_is_refused(ring: dict[str, KnownKey]) -> None:
    # Signed by pool B's key but claiming to be pool A's token.
    token = mint_id_token(
        _grant("us-east-1_AAAAAAAAA"), _key_for(ring, "us-east-1_BBBBBBBBB", "id"), NOW, HOUR, "e"
    )
    with pytest.raises(TokenRejected, match="issuer"):
        _verify(ring, token, "id")


def test_token_of_another_pool_verifies_as_that_pool(ring: dict[str, KnownKey]) -> None:
    pool_id, _ = _verify(ring, _id_token(ring, "us-east-1_BBBBBBBBB"), "id")
    assert pool_id == "us-east-1_BBBBBBBBB"


def test_access_token_is_not_an_id_token(ring: dict[str, KnownKey]) -> None:
    token = mint_access_token(_grant(), _key_for(ring, "us-east-1_AAAAAAAAA", "access"), NOW, HOUR, "e")
    with pytest.raises(TokenRejected, match="key signs access tokens"):
        _verify(ring, token, "id")


def test_id_token_is_not_an_access_token(ring: dict[str, KnownKey]) -> None:
    with pytest.raises(TokenRejected):
        _verify(ring, _id_token(ring), "access")


def test_token_use_claim_must_match_even_with_the_right_key(ring: dict[str, KnownKey]) -> None:
    key = _key_for(ring, "us-east-1_AAAAAAAAA", "id")
    _, claims = _verify(ring, _id_token(ring), "id")
    claims["token_use"] = "access"
    token = jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})
    with pytest.raises(TokenRejected, match="token_use"):
        _verify(ring, token, "id")


def test_token_without_exp_is_refused(ring: dict[str, KnownKey]) -> None:
    key = _key_for(ring, "us-east-1_AAAAAAAAA", "id")
    _, claims = _verify(ring, _id_token(ring), "id")
    del claims["exp"]
    token = jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})
    with pytest.raises(TokenRejected, match="exp"):
        _verify(ring, token, "id")


@pytest.mark.parametrize("garbage", ["", "abc", "a.b", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9.e30.", 42])
def test_garbage_is_refused_not_crashed_on(ring: dict[str, KnownKey], garbage: Any) -> None:
    with pytest.raises(TokenRejected):
        _verify(ring, garbage, "id")


def test_preferred_role_is_the_lowest_precedence_groups() -> None:
    claims = group_claims([("b", "arn:role/B", 5), ("a", "arn:role/A", 1), ("c", None, 0)])
    assert claims.names == ("a", "b", "c")
    assert claims.roles == ("arn:role/A", "arn:role/B")
    assert claims.preferred_role == "arn:role/A"


def test_groups_tied_for_first_with_different_roles_leave_no_preferred_role() -> None:
    assert group_claims([("a", "arn:role/A", 1), ("b", "arn:role/B", 1)]).preferred_role is None


def test_a_group_with_precedence_outranks_groups_without() -> None:
    assert group_claims([("a", "arn:role/A", None), ("b", "arn:role/B", 9)]).preferred_role == "arn:role/B"


def test_no_roles_no_role_claims() -> None:
    claims = group_claims([("a", None, 1)])
    assert claims.roles == () and claims.preferred_role is None
