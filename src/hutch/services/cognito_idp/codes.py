"""Verification codes (sign-up confirmation, password reset, attribute verification) and the messages
that carry them. Codes are six digits, stored only as a keyed hash, short-lived and limited in tries."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from hutch.errors import ServiceError
from hutch.services.cognito_idp import pool_settings
from hutch.services.cognito_idp.delivery import Destination
from hutch.services.cognito_idp.faults import code_mismatch, expired_code, limit_exceeded
from hutch.services.cognito_idp.model import User, UserPool
from hutch.services.cognito_idp.outbox import Message
from hutch.services.cognito_idp.store import sessions as session_store

CODE_LIFETIMES = {
    "signup": timedelta(hours=24),
    "forgot_password": timedelta(hours=1),
    "verify_email": timedelta(hours=24),
    "verify_phone_number": timedelta(hours=24),
}
MAX_CODE_ATTEMPTS = 5


def _code_hash(pool: UserPool, sub: str, purpose: str, code: str) -> str:
    message = f"{sub}\x00{purpose}\x00{code}".encode()
    return hmac.new(pool.decoy_secret, message, hashlib.sha256).hexdigest()


def issue_code(
    conn: sa.Connection, pool: UserPool, user: User, purpose: str, attribute: str | None, now: datetime
) -> str:
    code = f"{secrets.randbelow(10**6):06d}"
    expires = now + CODE_LIFETIMES[purpose]
    session_store.put_code(
        conn, user.sub, purpose, _code_hash(pool, user.sub, purpose, code), attribute, expires
    )
    return code


@dataclass(frozen=True)
class Redeemed:
    """The outcome of presenting a code: the attribute it was sent to, or the error to answer with.

    A refusal is returned rather than raised so the caller commits what the refusal changed (the failed
    attempt counted, an expired code removed) before raising it."""

    attribute: str | None = None
    error: ServiceError | None = None

    def raise_if_refused(self) -> None:
        if self.error is not None:
            raise self.error


def redeem_code(
    conn: sa.Connection, pool: UserPool, user: User, purpose: str, code: str, now: datetime
) -> Redeemed:
    """Check and use up a code. Wrong codes count, and after MAX_CODE_ATTEMPTS the code is dead
    (LimitExceededException) until a new one is requested."""
    stored = session_store.get_code(conn, user.sub, purpose)
    if stored is None:
        return Redeemed(error=expired_code())
    code_hash, attribute, expires, attempts = stored
    if attempts >= MAX_CODE_ATTEMPTS:
        return Redeemed(error=limit_exceeded())
    if now >= expires:
        session_store.delete_code(conn, user.sub, purpose)
        return Redeemed(error=expired_code())
    if not hmac.compare_digest(code_hash, _code_hash(pool, user.sub, purpose, code)):
        session_store.count_code_failure(conn, user.sub, purpose)
        return Redeemed(error=code_mismatch())
    session_store.delete_code(conn, user.sub, purpose)
    return Redeemed(attribute=attribute)


def code_message(pool: UserPool, user: User, destination: Destination, kind: str, code: str) -> Message:
    subject, body = pool_settings.verification_message(pool.settings, destination.medium)
    return Message(
        pool_id=pool.id,
        username=user.username,
        kind=kind,
        medium=destination.medium,
        destination=destination.address,
        subject=subject,
        body=body.replace("{####}", code).replace("{username}", user.username),
    )


def invitation_message(pool: UserPool, user: User, destination: Destination, password: str) -> Message:
    subject, body = pool_settings.invitation_message(pool.settings, destination.medium)
    return Message(
        pool_id=pool.id,
        username=user.username,
        kind="AdminCreateUser",
        medium=destination.medium,
        destination=destination.address,
        subject=subject,
        body=body.replace("{username}", user.username).replace("{####}", password),
    )
