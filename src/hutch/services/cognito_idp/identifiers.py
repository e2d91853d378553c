"""Identifiers in the forms Cognito uses, from a CSPRNG."""

from __future__ import annotations

import re
import secrets
import string
import uuid

_ALNUM = string.ascii_letters + string.digits
_LOWER_ALNUM = string.ascii_lowercase + string.digits


def _pick(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def pool_id(region: str) -> str:
    """``us-east-1_AbC123xYz``: the region, an underscore and nine alphanumerics (clients parse both)."""
    return f"{region}_{_pick(_ALNUM, 9)}"


def pool_arn(region: str, account: str, user_pool_id: str) -> str:
    return f"arn:aws:cognito-idp:{region}:{account}:userpool/{user_pool_id}"


def client_id() -> str:
    """26 lower-case alphanumerics, as Cognito's app client ids."""
    return _pick(_LOWER_ALNUM, 26)


def client_secret() -> str:
    """51 lower-case alphanumerics (~263 bits), the length and alphabet of Cognito's generated secrets."""
    return _pick(_LOWER_ALNUM, 51)


def sub() -> str:
    return str(uuid.uuid4())


_UUID_SHAPE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def looks_like_sub(value: str) -> bool:
    """Whether ``value`` has the shape of a sub (any UUID, either case), so may name a user by sub."""
    return _UUID_SHAPE.fullmatch(value) is not None


def decoy_secret() -> str:
    return secrets.token_hex(32)
