"""Cognito's SRP, client side, written for the tests from the protocol description alone.

It shares no code with hutch.services.cognito_idp.srp, so agreement between the two (and with pycognito)
is evidence, not tautology. Numbers are encoded as minimal two's-complement big-endian bytes, which is what
the clients' "padded hex" amounts to; HKDF comes from the cryptography package.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pycognito.aws_srp import N_HEX

N = int(N_HEX, 16)
G = 2


def signed_bytes(n: int) -> bytes:
    """Minimal two's-complement encoding of a non-negative integer (always room for a sign bit)."""
    return n.to_bytes(n.bit_length() // 8 + 1, "big")


def sha256_int(*parts: bytes) -> int:
    return int.from_bytes(hashlib.sha256(b"".join(parts)).digest(), "big")


K = sha256_int(signed_bytes(N), signed_bytes(G))


def x_value(pool_name: str, user_id: str, password: str, salt: int) -> int:
    inner = hashlib.sha256(f"{pool_name}{user_id}:{password}".encode()).digest()
    return sha256_int(signed_bytes(salt), inner)


def verifier_for(pool_name: str, user_id: str, password: str, salt: int) -> int:
    return pow(G, x_value(pool_name, user_id, password, salt), N)


def cognito_timestamp(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"{moment:%a %b} {moment.day} {moment:%H:%M:%S} UTC {moment:%Y}"


def hkdf16(ikm: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=16, salt=salt, info=b"Caldera Derived Key").derive(ikm)


@dataclass
class SrpClient:
    """One client sign-in attempt: A = g^a, then the PASSWORD_VERIFIER answer for a challenge."""

    pool_id: str
    password: str
    a: int = field(default_factory=lambda: secrets.randbits(1024) + 2)

    @property
    def pool_name(self) -> str:
        return self.pool_id.split("_")[1]

    @property
    def big_a(self) -> int:
        return pow(G, self.a, N)

    @property
    def srp_a_hex(self) -> str:
        return format(self.big_a, "x")

    def premaster(self, user_id: str, salt: int, big_b: int) -> tuple[int, int]:
        """(S, u) as the client computes them."""
        u = sha256_int(signed_bytes(self.big_a), signed_bytes(big_b))
        x = x_value(self.pool_name, user_id, self.password, salt)
        base = (big_b - K * pow(G, x, N)) % N
        return pow(base, self.a + u * x, N), u

    def answer(
        self,
        challenge: dict[str, str],
        *,
        timestamp: str,
        user_id: str | None = None,
        secret_block_b64: str | None = None,
    ) -> dict[str, str]:
        """PASSWORD_VERIFIER ChallengeResponses; the keyword overrides let a test sign over other values."""
        user_id = challenge["USER_ID_FOR_SRP"] if user_id is None else user_id
        block_b64 = challenge["SECRET_BLOCK"] if secret_block_b64 is None else secret_block_b64
        premaster, u = self.premaster(user_id, int(challenge["SALT"], 16), int(challenge["SRP_B"], 16))
        key = hkdf16(signed_bytes(premaster), signed_bytes(u))
        message = (
            self.pool_name.encode() + user_id.encode() + base64.b64decode(block_b64) + timestamp.encode()
        )
        signature = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
        return {
            "USERNAME": user_id,
            "TIMESTAMP": timestamp,
            "PASSWORD_CLAIM_SECRET_BLOCK": block_b64,
            "PASSWORD_CLAIM_SIGNATURE": signature,
        }
