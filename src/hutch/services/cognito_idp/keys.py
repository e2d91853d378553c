"""Per-pool RSA signing keys: generation, their public JWKs, and a cache of parsed keys.

Every pool gets its own keys when it is created (one for ID tokens, one for access tokens, as Cognito signs
the two with different keys). Private keys live only in the database of this installation; nothing is
shipped in the package.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_BITS = 2048
ALGORITHM = "RS256"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()


def generate() -> tuple[str, str]:
    """A new key as (kid, private key PEM). The kid is derived from the public key, so it is unique."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    return kid_of(key.public_key()), pem


def kid_of(public_key: rsa.RSAPublicKey) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def public_jwk(key: SigningKey) -> dict[str, Any]:
    """The key as it appears in the pool's jwks.json (the members Cognito publishes)."""
    numbers = key.public_key.public_numbers()
    return {
        "alg": ALGORITHM,
        "e": _b64url_uint(numbers.e),
        "kid": key.kid,
        "kty": "RSA",
        "n": _b64url_uint(numbers.n),
        "use": "sig",
    }


class KeyCache:
    """Parsed keys by kid. Parsing a PEM costs milliseconds; keys never change once made, so caching is
    safe across requests and nodes (a deleted pool's keys are simply never asked for again)."""

    def __init__(self) -> None:
        self._keys: dict[str, SigningKey] = {}
        self._lock = threading.Lock()

    def get(self, kid: str) -> SigningKey | None:
        return self._keys.get(kid)

    def load(self, kid: str, private_pem: str) -> SigningKey:
        cached = self._keys.get(kid)
        if cached is not None:
            return cached
        private = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
        if not isinstance(private, rsa.RSAPrivateKey):
            raise ValueError(f"signing key {kid} is not an RSA key")
        key = SigningKey(kid, private)
        with self._lock:
            self._keys.setdefault(kid, key)
        return self._keys[kid]

    def forget(self, kids: list[str]) -> None:
        with self._lock:
            for kid in kids:
                self._keys.pop(kid, None)
