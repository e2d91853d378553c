"""What every sign-in flow shares: parameters, the end of a successful proof (tokens or the next
challenge), and NEW_PASSWORD_REQUIRED."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from hutch.errors import ServiceError
from hutch.services.cognito_idp import accounts
from hutch.services.cognito_idp.faults import (
    incorrect_credentials,
    invalid_parameter,
    not_authorized,
    password_reset_required,
    user_disabled,
    user_not_confirmed,
    user_not_found,
)
from hutch.services.cognito_idp.model import (
    FORCE_CHANGE_PASSWORD,
    RESET_REQUIRED,
    UNCONFIRMED,
    AppClient,
    User,
    UserPool,
)
from hutch.services.cognito_idp.store import sessions as session_store
from hutch.store.engine import read

if TYPE_CHECKING:
    from hutch.services.cognito_idp.service import CognitoIdpService, TokenMaterial

NEW_PASSWORD = "NEW_PASSWORD_REQUIRED"  # noqa: S105 - a challenge name
PASSWORD_VERIFIER = "PASSWORD_VERIFIER"  # noqa: S105 - a challenge name


@dataclass(frozen=True)
class Caller:
    """Which API is signing in: public (InitiateAuth) or admin (AdminInitiateAuth, IAM-authorized)."""

    admin: bool
    pool_id: str | None = None


def required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name)
    if not value:
        raise invalid_parameter(f"Missing required parameter {name}")
    return value


def challenge_key(token: str) -> str:
    """Where a challenge is filed: a hash, so the database never holds a usable session token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def unknown_user(client: AppClient) -> ServiceError:
    return incorrect_credentials() if client.prevents_user_existence_errors else user_not_found()


def use_up(svc: CognitoIdpService, key: str) -> None:
    svc.rt.group.run(lambda conn: session_store.delete_challenge(conn, key))


def cannot_sign_in(pool: UserPool, user: User, now: datetime) -> ServiceError | None:
    """Why a user who proved their password still gets no tokens, in Cognito's words."""
    if not user.enabled:
        return user_disabled()
    if user.status == UNCONFIRMED:
        return user_not_confirmed()
    if user.status == RESET_REQUIRED:
        return password_reset_required()
    if accounts.temporary_password_expired(pool, user, now):
        return not_authorized("Temporary password has expired and must be reset by an administrator.")
    return None


def signed_in(
    svc: CognitoIdpService,
    pool: UserPool,
    client: AppClient,
    user: User,
    identifier: str,
    *,
    material: TokenMaterial | None = None,
    consume_challenge: str | None = None,
) -> dict[str, Any]:
    """The password was proven: answer with tokens, or with the challenge the user's state calls for.

    ``consume_challenge`` is the challenge this proof answered; it is used up in the same transaction that
    records the sign-in, so it signs in at most once."""
    now = svc.rt.now()
    problem = cannot_sign_in(pool, user, now)
    if problem is not None:
        if consume_challenge is not None:
            use_up(svc, consume_challenge)
        raise problem
    if user.status == FORCE_CHANGE_PASSWORD:
        return new_password_challenge(svc, pool, client, user, identifier, consume_challenge)
    if material is None:
        with read(svc.rt.engine) as conn:
            material = svc.material(conn, pool, client, user)
    session, refresh_token = svc.new_session(material)

    def record(conn: sa.Connection) -> None:
        # Everything a sign-in changes, in one unit of a group commit (shared fsync); a user with no
        # failures on record costs a single INSERT.
        if consume_challenge is not None and not session_store.delete_challenge(conn, consume_challenge):
            raise incorrect_credentials()  # answered already
        accounts.clear_failures(conn, user)
        svc.record_session(conn, session, refresh_token)

    svc.rt.group.run(record)
    return {"ChallengeParameters": {}, "AuthenticationResult": svc.mint(material, session, refresh_token)}


def new_password_challenge(
    svc: CognitoIdpService,
    pool: UserPool,
    client: AppClient,
    user: User,
    identifier: str,
    consume_challenge: str | None,
) -> dict[str, Any]:
    """NEW_PASSWORD_REQUIRED for a user signed in with a temporary password: a Session the client returns
    with NEW_PASSWORD (and any required attributes the user still lacks)."""
    token = secrets.token_urlsafe(96)
    expires = svc.rt.now() + timedelta(minutes=client.auth_session_minutes)
    state = {"sub": user.sub, "identifier": identifier}

    def record(conn: sa.Connection) -> None:
        if consume_challenge is not None and not session_store.delete_challenge(conn, consume_challenge):
            raise incorrect_credentials()
        accounts.clear_failures(conn, user)
        session_store.put_challenge(
            conn, challenge_key(token), pool.id, client.client_id, NEW_PASSWORD, state, expires
        )

    svc.rt.group.run(record)
    shown = {k: v for k, v in user.attributes.items() if k != "sub"}
    missing = [
        f"userAttributes.{a['Name']}"
        for a in pool.schema
        if a.get("Required") and a["Name"] != "sub" and not user.attributes.get(a["Name"])
    ]
    return {
        "ChallengeName": NEW_PASSWORD,
        "Session": token,
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": json.dumps(missing),
            "userAttributes": json.dumps(shown),
        },
    }
