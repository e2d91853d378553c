"""Signing keys: generated per pool, 2048-bit RSA, published as JWKs that standard verifiers accept."""

from __future__ import annotations

import jwt

from hutch.services.cognito_idp import keys

REAL_KEY_SIZE = True


def test_generated_keys_are_2048_bit_rsa_with_a_kid_derived_from_them() -> None:
    kid, pem = keys.generate()
    key = keys.KeyCache().load(kid, pem)
    assert keys.KEY_BITS == 2048
    assert key.private_key.key_size == 2048
    assert kid == keys.kid_of(key.public_key)


def test_two_keys_never_share_a_kid() -> None:
    assert keys.generate()[0] != keys.generate()[0]


def test_public_jwk_verifies_what_the_private_key_signs() -> None:
    kid, pem = keys.generate()
    key = keys.KeyCache().load(kid, pem)
    jwk = keys.public_jwk(key)
    assert set(jwk) == {"alg", "e", "kid", "kty", "n", "use"}
    assert "d" not in jwk and jwk["kty"] == "RSA" and jwk["use"] == "sig"
    token = jwt.encode({"x": 1}, key.private_key, algorithm="RS256", headers={"kid": kid})
    assert jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["RS256"]) == {"x": 1}


def test_cache_parses_a_key_once() -> None:
    kid, pem = keys.generate()
    cache = keys.KeyCache()
    assert cache.load(kid, pem) is cache.load(kid, pem)
    cache.forget([kid])
    assert cache.load(kid, pem) is not None
