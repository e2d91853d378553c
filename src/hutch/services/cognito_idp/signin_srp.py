"""USER_SRP_AUTH: InitiateAuth with SRP_A → PASSWORD_VERIFIER challenge → the client's password claim.

The challenge (which holds the server's ephemeral secret) waits in the challenges table, filed under a hash
of its SECRET_BLOCK, which every client sends back with its claim. A name that matches no user gets a decoy
challenge, stable per name, that no password can answer.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from hutch.services.cognito_idp import accounts, secret_hash
from hutch.services.cognito_idp.faults import (
    attempts_exceeded,
    incorrect_credentials,
    invalid_parameter,
    user_not_found,
)
from hutch.services.cognito_idp.model import AppClient, User, UserPool
from hutch.services.cognito_idp.passwords import decoy_verifier
from hutch.services.cognito_idp.signin_common import PASSWORD_VERIFIER, required, signed_in, use_up
from hutch.services.cognito_idp.srp import ClaimVerdict, ServerSession, SrpError
from hutch.services.cognito_idp.store import sessions as session_store
from hutch.services.cognito_idp.store import users as user_store
from hutch.store.engine import read

if TYPE_CHECKING:
    from hutch.services.cognito_idp.service import CognitoIdpService

log = logging.getLogger("hutch.cognito_idp.signin")


def start(
    svc: CognitoIdpService,
    pool: UserPool,
    client: AppClient,
    user: User | None,
    identifier: str,
    srp_a: str,
    given_hash: str | None,
) -> dict[str, Any]:
    now = svc.rt.now()
    if user is None or not user.has_password:
        if user is None and not client.prevents_user_existence_errors:
            raise user_not_found()
        secret_hash.require(client, given_hash, [identifier])
        # A decoy locks out like a user (see ``decoys``): refused before any challenge while locked.
        if svc.decoys.locked(pool, identifier, now):
            raise attempts_exceeded()
        user_id = _decoy_user_id(pool, identifier) if pool.username_attributes else pool.key(identifier)
        salt, verifier = decoy_verifier(pool.decoy_secret, pool.pool_name, user_id)
        sub = None
    else:
        secret_hash.require(client, given_hash, [identifier, user.username, user.sub])
        if accounts.lockout_of(user).current(now).locked(now):
            raise attempts_exceeded()
        user_id, salt, verifier, sub = user.username, user.salt or "", user.verifier or "", user.sub
    try:
        session = ServerSession.start(
            pool.pool_name,
            user_id,
            salt,
            verifier,
            srp_a,
            now=now,
            lifetime=timedelta(minutes=client.auth_session_minutes),
        )
    except SrpError as error:
        raise invalid_parameter(str(error)) from None
    state = {"srp": session.to_state(), "sub": sub, "identifier": identifier}
    svc.rt.group.run(
        lambda conn: session_store.put_challenge(
            conn, session.session_id, pool.id, client.client_id, PASSWORD_VERIFIER, state, session.expires_at
        )
    )
    return {
        "ChallengeName": PASSWORD_VERIFIER,
        "ChallengeParameters": {**session.challenge_parameters(), "USERNAME": user_id},
    }


def _decoy_user_id(pool: UserPool, identifier: str) -> str:
    """In pools whose usernames are UUIDs, a missing user gets a stable UUID-shaped USER_ID_FOR_SRP."""
    digest = hashlib.sha256(pool.decoy_secret + b"\x00user-id\x00" + pool.key(identifier).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def answer(
    svc: CognitoIdpService, client_id: str, pool_id: str | None, responses: Mapping[str, str]
) -> dict[str, Any]:
    """RespondToAuthChallenge PASSWORD_VERIFIER for app client ``client_id`` (of pool ``pool_id``, when the
    admin API names one)."""
    now = svc.rt.now()
    # One read transaction for everything, before the exponentiations.
    with read(svc.rt.engine) as conn:
        client, pool = svc.client_and_pool(conn, client_id, pool_id)
        signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")
        block = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
        timestamp = required(responses, "TIMESTAMP")
        username = required(responses, "USERNAME")
        try:
            key = ServerSession.session_id_for(block)
        except SrpError as error:
            raise invalid_parameter(str(error)) from None
        pending = session_store.get_challenge(conn, key)
        if pending is None or pending[2] != PASSWORD_VERIFIER or pending[:2] != (pool.id, client.client_id):
            raise incorrect_credentials()
        state = pending[3]
        sub = state.get("sub")
        user = user_store.get_by_sub(conn, sub) if sub else None
        material = svc.material(conn, pool, client, user) if user is not None else None
    try:
        session = ServerSession.from_state(state["srp"])
    except (SrpError, KeyError, TypeError):
        log.error("damaged SRP session state", extra={"fields": {"pool_id": pool.id}})
        raise incorrect_credentials() from None
    verdict = session.check_claim(block, timestamp, signature, now=now)
    if verdict is ClaimVerdict.TIMESTAMP_MALFORMED:
        raise invalid_parameter("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
    identifier = str(state.get("identifier") or "")
    names = [identifier, session.user_id_for_srp, *([user.username, user.sub] if user else [])]
    secret_hash.require(client, responses.get("SECRET_HASH"), names)
    if user is None:
        # A decoy challenge: no claim can match; a wrong proof counts towards the name's lockout.
        use_up(svc, key)
        if verdict is ClaimVerdict.SIGNATURE_MISMATCH:
            svc.decoys.record_failure(pool, identifier, now)
        raise incorrect_credentials()
    if not _names_user(pool, user, username, identifier):
        use_up(svc, key)
        raise incorrect_credentials()
    if verdict is not ClaimVerdict.ACCEPTED:
        log.info("SRP claim refused", extra={"fields": {"pool_id": pool.id, "reason": verdict.value}})
        failed = user if verdict is ClaimVerdict.SIGNATURE_MISMATCH else None

        def refuse(conn: sa.Connection) -> None:
            session_store.delete_challenge(conn, key)
            if failed is not None:
                accounts.record_failure(conn, failed, now)

        svc.rt.group.run(refuse)
        raise incorrect_credentials()
    return signed_in(
        svc, pool, client, user, identifier or user.username, material=material, consume_challenge=key
    )


def _names_user(pool: UserPool, user: User, username: str, identifier: str) -> bool:
    """The claim's USERNAME must be the user the challenge was for (by username, sub or the name typed)."""
    wanted = pool.key(username)
    return wanted in {pool.key(user.username), pool.key(user.sub), pool.key(identifier)}
