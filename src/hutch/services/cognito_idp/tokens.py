"""ID and access tokens: minting them with Cognito's claims, and verifying them strictly.

Verification trusts nothing in a token before its signature checks out: the algorithm must be RS256 (never
"none", never an HMAC keyed with a public key), the kid must name one of this installation's keys, the key
must be the one for that token use, and iss, token_use and exp must all agree. Revocation (sign-out,
RevokeToken) is checked by the service against the token's origin_jti, after this.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from hutch.services.cognito_idp.keys import ALGORITHM, SigningKey
from hutch.services.cognito_idp.schema import claim_value

ACCESS_SCOPE = "aws.cognito.signin.user.admin"


@dataclass(frozen=True)
class GroupClaims:
    """What a user's groups contribute to tokens: names, role ARNs and the preferred role."""

    names: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    preferred_role: str | None = None


def group_claims(groups: Iterable[tuple[str, str | None, int | None]]) -> GroupClaims:
    """From (name, role_arn, precedence) triples. The preferred role is the role of the group with the
    lowest precedence value; groups without a precedence rank last, and groups tied for first with
    different roles leave no preferred role, as Cognito does."""
    items = sorted(groups, key=lambda g: g[0])
    with_roles = [(precedence, role) for _, role, precedence in items if role]
    preferred = None
    if with_roles:
        best = min(with_roles, key=lambda r: (r[0] is None, r[0] or 0))[0]
        tied = {role for precedence, role in with_roles if precedence == best}
        if len(tied) == 1:
            preferred = tied.pop()
    roles = tuple(dict.fromkeys(role for _, role in with_roles))
    return GroupClaims(tuple(g[0] for g in items), roles, preferred)


@dataclass(frozen=True)
class Grant:
    """Everything a pair of tokens says about one sign-in."""

    issuer: str
    client_id: str
    sub: str
    username: str
    origin_jti: str
    auth_time: int
    attributes: Mapping[str, str]
    groups: GroupClaims


def _encode(claims: dict[str, Any], key: SigningKey) -> str:
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": None})


def mint_id_token(grant: Grant, key: SigningKey, now: datetime, lifetime: timedelta, event_id: str) -> str:
    iat = int(now.timestamp())
    claims: dict[str, Any] = {"sub": grant.sub}
    if grant.groups.names:
        claims["cognito:groups"] = list(grant.groups.names)
    for name, value in grant.attributes.items():
        if name != "sub":
            claims[name] = claim_value(name, value)
    claims.update(
        {
            "iss": grant.issuer,
            "cognito:username": grant.username,
            "origin_jti": grant.origin_jti,
            "aud": grant.client_id,
            "event_id": event_id,
            "token_use": "id",
            "auth_time": grant.auth_time,
            "exp": iat + int(lifetime.total_seconds()),
            "iat": iat,
            "jti": str(uuid.uuid4()),
        }
    )
    if grant.groups.roles:
        claims["cognito:roles"] = list(grant.groups.roles)
    if grant.groups.preferred_role:
        claims["cognito:preferred_role"] = grant.groups.preferred_role
    return _encode(claims, key)


def mint_access_token(
    grant: Grant, key: SigningKey, now: datetime, lifetime: timedelta, event_id: str
) -> str:
    iat = int(now.timestamp())
    claims: dict[str, Any] = {"sub": grant.sub}
    if grant.groups.names:
        claims["cognito:groups"] = list(grant.groups.names)
    claims.update(
        {
            "iss": grant.issuer,
            "version": 2,
            "client_id": grant.client_id,
            "origin_jti": grant.origin_jti,
            "event_id": event_id,
            "token_use": "access",
            "scope": ACCESS_SCOPE,
            "auth_time": grant.auth_time,
            "exp": iat + int(lifetime.total_seconds()),
            "iat": iat,
            "jti": str(uuid.uuid4()),
            "username": grant.username,
        }
    )
    return _encode(claims, key)


class TokenRejected(Exception):
    """A token failed verification. ``expired`` separates "has expired" from every other failure."""

    def __init__(self, reason: str, *, expired: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.expired = expired


@dataclass(frozen=True)
class KnownKey:
    pool_id: str
    token_use: str
    key: SigningKey


def verify(
    token: str,
    use: str,
    *,
    find_key: Callable[[str], KnownKey | None],
    issuer_of: Callable[[str], str],
    now: datetime,
) -> tuple[str, dict[str, Any]]:
    """Verify ``token`` as a token of ``use`` ("id" or "access"); return (pool_id, claims).

    Raises TokenRejected with the reason (for logs; clients only ever see Cognito's generic wording).
    """
    if not isinstance(token, str) or token.count(".") != 2:
        raise TokenRejected("not a JWS compact serialization")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise TokenRejected(f"unreadable header: {exc}") from None
    if header.get("alg") != ALGORITHM:
        raise TokenRejected(f"algorithm {header.get('alg')!r} is not {ALGORITHM}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenRejected("no kid")
    known = find_key(kid)
    if known is None:
        raise TokenRejected("kid names no key of this installation")
    if known.token_use != use:
        raise TokenRejected(f"key signs {known.token_use} tokens, not {use} tokens")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            known.key.public_key,
            algorithms=[ALGORITHM],
            # exp is checked below against the service clock, which tests can move.
            options={"verify_exp": False, "verify_aud": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.PyJWTError as exc:
        raise TokenRejected(f"signature or encoding: {exc}") from None
    if claims.get("token_use") != use:
        raise TokenRejected(f"token_use is {claims.get('token_use')!r}, not {use!r}")
    if claims.get("iss") != issuer_of(known.pool_id):
        raise TokenRejected("issuer is not the pool that signed it")
    exp = claims.get("exp")
    if not isinstance(exp, int) or isinstance(exp, bool):
        raise TokenRejected("exp missing or not an integer")
    if now.timestamp() >= exp:
        raise TokenRejected("expired", expired=True)
    for claim in ("sub", "origin_jti", "iat", "jti"):
        if claim not in claims:
            raise TokenRejected(f"{claim} missing")
    if use == "id" and not isinstance(claims.get("aud"), str):
        raise TokenRejected("aud missing")
    if use == "access" and not isinstance(claims.get("client_id"), str):
        raise TokenRejected("client_id missing")
    return known.pool_id, claims
