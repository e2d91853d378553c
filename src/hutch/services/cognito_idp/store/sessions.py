"""Sign-in sessions (refresh tokens), pending challenges, and verification codes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hutch.services.cognito_idp.model import AuthSession, from_ms, to_ms
from hutch.services.cognito_idp.tables import auth_sessions, challenges, codes

# Statements that run on every sign-in or token check, built once (see ``users``).
_INSERT_SESSION = auth_sessions.insert()
_SESSION_BY_JTI = sa.select(auth_sessions).where(auth_sessions.c.origin_jti == sa.bindparam("origin_jti"))
_SESSION_BY_REFRESH = sa.select(auth_sessions).where(
    auth_sessions.c.refresh_hash == sa.bindparam("refresh_hash")
)
_INSERT_CHALLENGE = challenges.insert()
_CHALLENGE = sa.select(challenges).where(challenges.c.key_hash == sa.bindparam("key_hash"))
_DELETE_CHALLENGE = challenges.delete().where(challenges.c.key_hash == sa.bindparam("key_hash"))


def _session(row: Any) -> AuthSession:
    m = row._mapping
    return AuthSession(
        origin_jti=m["origin_jti"],
        pool_id=m["pool_id"],
        client_id=m["client_id"],
        sub=m["sub"],
        auth_time=int(m["auth_time"]),
        created=from_ms(m["created_ms"]),
        expires=from_ms(m["expires_ms"]),
        revoked=from_ms(m["revoked_ms"]) if m["revoked_ms"] is not None else None,
    )


def insert_session(conn: sa.Connection, session: AuthSession, refresh_hash: str) -> None:
    conn.execute(
        _INSERT_SESSION,
        {
            "origin_jti": session.origin_jti,
            "pool_id": session.pool_id,
            "client_id": session.client_id,
            "sub": session.sub,
            "refresh_hash": refresh_hash,
            "auth_time": session.auth_time,
            "created_ms": to_ms(session.created),
            "expires_ms": to_ms(session.expires),
            "revoked_ms": None,
        },
    )


def get_session(conn: sa.Connection, origin_jti: str) -> AuthSession | None:
    row = conn.execute(_SESSION_BY_JTI, {"origin_jti": origin_jti}).first()
    return _session(row) if row is not None else None


def session_for_refresh(conn: sa.Connection, refresh_hash: str) -> AuthSession | None:
    row = conn.execute(_SESSION_BY_REFRESH, {"refresh_hash": refresh_hash}).first()
    return _session(row) if row is not None else None


def replace_refresh(conn: sa.Connection, origin_jti: str, refresh_hash: str, expires: datetime) -> None:
    conn.execute(
        auth_sessions.update()
        .where(auth_sessions.c.origin_jti == origin_jti)
        .values(refresh_hash=refresh_hash, expires_ms=to_ms(expires))
    )


def revoke_session(conn: sa.Connection, origin_jti: str, now: datetime) -> None:
    conn.execute(
        auth_sessions.update()
        .where(auth_sessions.c.origin_jti == origin_jti, auth_sessions.c.revoked_ms.is_(None))
        .values(revoked_ms=to_ms(now))
    )


def revoke_user_sessions(conn: sa.Connection, sub: str, now: datetime) -> int:
    result = conn.execute(
        auth_sessions.update()
        .where(auth_sessions.c.sub == sub, auth_sessions.c.revoked_ms.is_(None))
        .values(revoked_ms=to_ms(now))
    )
    return int(result.rowcount or 0)


def purge_sessions(conn: sa.Connection, now: datetime) -> int:
    """Forget sessions whose refresh token has expired: no token derived from them can be valid any more
    (ID and access tokens never outlive the refresh token's session by more than their own lifetime,
    which is at most a day)."""
    cutoff = to_ms(now) - 24 * 3600 * 1000
    result = conn.execute(auth_sessions.delete().where(auth_sessions.c.expires_ms < cutoff))
    return int(result.rowcount or 0)


# --- challenges ------------------------------------------------------------------------------------------


def put_challenge(
    conn: sa.Connection,
    key_hash: str,
    pool_id: str,
    client_id: str,
    kind: str,
    state: dict[str, Any],
    expires: datetime,
) -> None:
    conn.execute(
        _INSERT_CHALLENGE,
        {
            "key_hash": key_hash,
            "pool_id": pool_id,
            "client_id": client_id,
            "kind": kind,
            "state": json.dumps(state),
            "expires_ms": to_ms(expires),
        },
    )


def get_challenge(
    conn: sa.Connection, key_hash: str
) -> tuple[str, str, str, dict[str, Any], datetime] | None:
    """(pool_id, client_id, kind, state, expires) of a pending challenge."""
    row = conn.execute(_CHALLENGE, {"key_hash": key_hash}).first()
    if row is None:
        return None
    m = row._mapping
    return m["pool_id"], m["client_id"], m["kind"], json.loads(m["state"]), from_ms(m["expires_ms"])


def delete_challenge(conn: sa.Connection, key_hash: str) -> bool:
    """Use a challenge up. True only for the one caller whose DELETE removed the row, so a challenge is
    answered at most once even when two requests race."""
    return bool(conn.execute(_DELETE_CHALLENGE, {"key_hash": key_hash}).rowcount)


def purge_challenges(conn: sa.Connection, now: datetime) -> int:
    result = conn.execute(challenges.delete().where(challenges.c.expires_ms < to_ms(now)))
    return int(result.rowcount or 0)


# --- verification codes --------------------------------------------------------------------------------


def put_code(
    conn: sa.Connection, sub: str, purpose: str, code_hash: str, attribute: str | None, expires: datetime
) -> None:
    conn.execute(codes.delete().where(codes.c.sub == sub, codes.c.purpose == purpose))
    conn.execute(
        codes.insert().values(
            sub=sub,
            purpose=purpose,
            code_hash=code_hash,
            attribute=attribute,
            expires_ms=to_ms(expires),
            attempts=0,
        )
    )


def get_code(conn: sa.Connection, sub: str, purpose: str) -> tuple[str, str | None, datetime, int] | None:
    """(code_hash, attribute it was sent to, expires, failed attempts)."""
    row = conn.execute(sa.select(codes).where(codes.c.sub == sub, codes.c.purpose == purpose)).first()
    if row is None:
        return None
    return row.code_hash, row.attribute, from_ms(row.expires_ms), int(row.attempts)


def count_code_failure(conn: sa.Connection, sub: str, purpose: str) -> None:
    conn.execute(
        codes.update()
        .where(codes.c.sub == sub, codes.c.purpose == purpose)
        .values(attempts=codes.c.attempts + 1)
    )


def delete_code(conn: sa.Connection, sub: str, purpose: str) -> None:
    conn.execute(codes.delete().where(codes.c.sub == sub, codes.c.purpose == purpose))


def purge_codes(conn: sa.Connection, now: datetime) -> int:
    result = conn.execute(codes.delete().where(codes.c.expires_ms < to_ms(now)))
    return int(result.rowcount or 0)
