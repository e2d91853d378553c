"""OpenID Connect tokens of the identity service (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity).

The token says "this is identity <sub> of identity pool <aud>, authenticated by <amr>": STS
AssumeRoleWithWebIdentity accepts it for roles that trust cognito-identity.amazonaws.com, and
GetCredentialsForIdentity accepts it under the Logins key cognito-identity.amazonaws.com. AWS signs these
with keys published at https://cognito-identity.amazonaws.com/.well-known/jwks_uri; hutch signs them with one
RSA key generated per installation (kept in the database, parsed once) and publishes it at
``<issuer>/.well-known/jwks_uri``.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ALGORITHM = "RS256"
KEY_BITS = 2048
# Where session tags travel in web identity tokens (the claim STS AssumeRoleWithWebIdentity reads).
TAGS_CLAIM = "https://aws.amazon.com/tags"
ISSUER_PATH = "/cognito-identity"


class InvalidOpenIdToken(ValueError):
    """The token is not one this service issued and still honours. ``expired`` tells the two cases apart
    (STS answers ExpiredTokenException for one, InvalidIdentityToken for the other)."""

    def __init__(self, reason: str, *, expired: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.expired = expired


def generate_key() -> tuple[str, str]:
    """A new RSA key as (kid, private key PEM); the kid is a digest of the public key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = base64.urlsafe_b64encode(hashlib.sha256(der).digest()[:18]).decode("ascii")
    return kid, pem


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class OpenIdTokens:
    """Mints and verifies this installation's identity tokens. Built once; the key is parsed once."""

    issuer: str
    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def load(cls, issuer: str, kid: str, private_pem: str) -> OpenIdTokens:
        key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise TypeError("the identity service's signing key must be RSA")
        return cls(issuer, kid, key)

    def jwks(self) -> dict[str, Any]:
        numbers = self.private_key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "alg": ALGORITHM,
                    "use": "sig",
                    "kid": self.kid,
                    "n": _b64url_uint(numbers.n),
                    "e": _b64url_uint(numbers.e),
                }
            ]
        }

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "jwks_uri": f"{self.issuer}/.well-known/jwks_uri",
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
            "claims_supported": ["sub", "aud", "amr", "iss", "exp", "iat"],
        }

    def mint(
        self,
        *,
        pool_id: str,
        identity_id: str,
        amr: Sequence[str],
        now: datetime,
        lifetime: timedelta,
        principal_tags: Mapping[str, str] | None = None,
    ) -> str:
        iat = int(now.timestamp())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": pool_id,
            "sub": identity_id,
            "amr": list(amr),
            "iat": iat,
            "exp": iat + int(lifetime.total_seconds()),
            "jti": str(uuid.uuid4()),
        }
        if principal_tags:
            claims[TAGS_CLAIM] = {"principal_tags": {k: [v] for k, v in principal_tags.items()}}
        return jwt.encode(
            claims, self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid, "typ": "JWS"}
        )

    def verify(self, token: str, now: datetime) -> dict[str, Any]:
        """The claims of a token this service signed and that has not expired at ``now``."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidOpenIdToken("Not a valid OpenId Connect identity token.") from None
        if header.get("alg") != ALGORITHM or header.get("kid") != self.kid:
            raise InvalidOpenIdToken("Couldn't verify signed token.")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.private_key.public_key(),
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                options={"verify_aud": False, "verify_exp": False, "require": ["exp", "iat", "aud", "sub"]},
            )
        except jwt.InvalidIssuerError:
            raise InvalidOpenIdToken("Issuer doesn't match providerName") from None
        except jwt.PyJWTError:
            raise InvalidOpenIdToken("Couldn't verify signed token.") from None
        exp = claims.get("exp")
        if (
            not isinstance(exp, int)
            or not isinstance(claims.get("sub"), str)
            or not isinstance(claims.get("aud"), str)
        ):
            raise InvalidOpenIdToken("Not a valid OpenId Connect identity token.")
        current = int(now.timestamp())
        if current >= exp:
            raise InvalidOpenIdToken(f"Token expired: {current} >= {exp}", expired=True)
        return claims
