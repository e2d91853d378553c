"""Identifiers in AWS's formats, from a CSPRNG."""

from __future__ import annotations

import base64
import secrets
import string
import uuid

_ALNUM = string.ascii_letters + string.digits


def _pick(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


# Keys and ids are minted on hot paths (every temporary credential): one CSPRNG read encoded at once,
# rather than one read per character. Each base32 / base64 character of random bytes is uniform.
def _base32(n: int) -> str:
    """n characters of A-Z 2-7."""
    return base64.b32encode(secrets.token_bytes((n * 5 + 7) // 8)).decode("ascii")[:n]


def account_id() -> str:
    return str(secrets.randbelow(9 * 10**11) + 10**11)


def access_key_id(prefix: str) -> str:
    """AKIA... for long-term keys, ASIA... for temporary ones (20 characters, as AWS)."""
    return prefix + _base32(20 - len(prefix))


def secret_access_key() -> str:
    """40 characters of A-Z a-z 0-9 + / (240 random bits), as AWS's secrets."""
    return base64.b64encode(secrets.token_bytes(30)).decode("ascii")


def unique_id(prefix: str) -> str:
    """IAM unique ids: AIDA (users), AROA (roles), ANPA (policies) + 17 characters."""
    return prefix + _base32(17)


def request_id() -> str:
    return str(uuid.uuid4())


def s3_request_id() -> str:
    return secrets.token_hex(8).upper()


def s3_host_id() -> str:
    return base64.b64encode(secrets.token_bytes(48)).decode()


def alnum(n: int) -> str:
    return _pick(_ALNUM, n)


def token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)
