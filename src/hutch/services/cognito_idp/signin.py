"""Sign-in: InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge / AdminRespondToAuthChallenge.

Flows: USER_SRP_AUTH → PASSWORD_VERIFIER (``signin_srp``), USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH
(ADMIN_NO_SRP_AUTH), REFRESH_TOKEN_AUTH (REFRESH_TOKEN), and NEW_PASSWORD_REQUIRED after a temporary password.

Each request reads what it needs in one transaction, then does the slow work (exponentiations, RSA
signatures) outside any transaction, and writes the few rows a sign-in changes in one short write
transaction. Unknown users take the same path as wrong passwords — a decoy verifier check or a decoy SRP
challenge — get the same "Incorrect username or password." and lock out after the same failures
(``decoys``), unless the app client chose PreventUserExistenceErrors=LEGACY.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from hutch.services.cognito_idp import (
    accounts,
    client_settings,
    password_policy,
    schema,
    secret_hash,
    signin_srp,
)
from hutch.services.cognito_idp.faults import (
    attempts_exceeded,
    incorrect_credentials,
    invalid_parameter,
    not_authorized,
    password_reset_required,
    user_disabled,
)
from hutch.services.cognito_idp.model import (
    CONFIRMED,
    FORCE_CHANGE_PASSWORD,
    RESET_REQUIRED,
    AppClient,
    User,
    UserPool,
)
from hutch.services.cognito_idp.passwords import decoy_verifier, verify_password
from hutch.services.cognito_idp.signin_common import (
    NEW_PASSWORD,
    PASSWORD_VERIFIER,
    Caller,
    challenge_key,
    required,
    signed_in,
    unknown_user,
)
from hutch.services.cognito_idp.store import sessions as session_store
from hutch.services.cognito_idp.store import users as user_store
from hutch.store.engine import read, write

if TYPE_CHECKING:
    from hutch.services.cognito_idp.service import CognitoIdpService, TokenMaterial

__all__ = ["Caller", "initiate", "refresh_tokens", "respond"]

_FLOW_PERMISSION = {
    "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "REFRESH_TOKEN_AUTH": "ALLOW_REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
}
_ADMIN_ONLY = {"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}
_REFRESH = {"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}


def initiate(
    svc: CognitoIdpService, caller: Caller, client_id: str, flow: str, auth: Mapping[str, str]
) -> dict[str, Any]:
    # ADMIN_USER_PASSWORD_AUTH only through AdminInitiateAuth; USER_PASSWORD_AUTH only through InitiateAuth.
    if (flow in _ADMIN_ONLY and not caller.admin) or (flow == "USER_PASSWORD_AUTH" and caller.admin):
        raise invalid_parameter("Initiate Auth method not supported.")
    permission = _FLOW_PERMISSION.get(flow)
    if permission is None:
        raise invalid_parameter(f"hutch does not implement the {flow} authentication flow.")
    identifier = "" if flow in _REFRESH else required(auth, "USERNAME")
    with read(svc.rt.engine) as conn:
        client, pool = svc.client_and_pool(conn, client_id, caller.pool_id)
        if permission not in client_settings.allowed_flows(client.settings):
            shown = "ADMIN_USER_PASSWORD_AUTH" if flow == "ADMIN_NO_SRP_AUTH" else flow
            raise invalid_parameter(f"{shown} flow not enabled for this client")
        if flow in _REFRESH:
            usernames = [auth.get("USERNAME", "")]
            return _refresh(
                svc,
                conn,
                pool,
                client,
                required(auth, "REFRESH_TOKEN"),
                lambda user: secret_hash.require(
                    client, auth.get("SECRET_HASH"), [*usernames, user.username, user.sub]
                ),
            )
        user = accounts.resolve(conn, pool, identifier)
        srp = flow == "USER_SRP_AUTH"
        material = svc.material(conn, pool, client, user) if user is not None and not srp else None
    if srp:
        srp_a = required(auth, "SRP_A")
        return signin_srp.start(svc, pool, client, user, identifier, srp_a, auth.get("SECRET_HASH"))
    password = required(auth, "PASSWORD")
    return _password(svc, pool, client, user, material, identifier, password, auth.get("SECRET_HASH"))


def _password(
    svc: CognitoIdpService,
    pool: UserPool,
    client: AppClient,
    user: User | None,
    material: TokenMaterial | None,
    identifier: str,
    password: str,
    given_hash: str | None,
) -> dict[str, Any]:
    now = svc.rt.now()
    if user is None:
        secret_hash.require(client, given_hash, [identifier])
        if not client.prevents_user_existence_errors:
            raise unknown_user(client)
        # The name fails, and locks out, exactly as a user with a wrong password would.
        if svc.decoys.locked(pool, identifier, now):
            raise attempts_exceeded()
        # Spend the time a real check would, so timing does not tell a missing user from a wrong password.
        salt, verifier = decoy_verifier(pool.decoy_secret, pool.pool_name, identifier)
        verify_password(pool.pool_name, identifier, password, salt, verifier)
        svc.decoys.record_failure(pool, identifier, now)
        raise incorrect_credentials()
    secret_hash.require(client, given_hash, [identifier, user.username, user.sub])
    if accounts.lockout_of(user).current(now).locked(now):
        raise attempts_exceeded()
    if not accounts.password_matches(pool, user, password):
        svc.rt.group.run(lambda conn: accounts.record_failure(conn, user, now))
        raise incorrect_credentials()
    return signed_in(svc, pool, client, user, identifier, material=material)


def respond(
    svc: CognitoIdpService,
    caller: Caller,
    client_id: str,
    challenge: str,
    session_token: str | None,
    responses: Mapping[str, str],
) -> dict[str, Any]:
    if challenge == PASSWORD_VERIFIER:
        return signin_srp.answer(svc, client_id, caller.pool_id, responses)
    with read(svc.rt.engine) as conn:
        client, pool = svc.client_and_pool(conn, client_id, caller.pool_id)
    if challenge == NEW_PASSWORD:
        return _new_password(svc, pool, client, session_token, responses)
    raise invalid_parameter(f"hutch does not implement the {challenge} challenge.")


def _new_password(
    svc: CognitoIdpService,
    pool: UserPool,
    client: AppClient,
    session_token: str | None,
    responses: Mapping[str, str],
) -> dict[str, Any]:
    """The answer to NEW_PASSWORD_REQUIRED: a new permanent password (and any missing required
    attributes). A refused password leaves the session usable for another try."""
    if not session_token:
        raise invalid_parameter("Missing required parameter Session")
    key = challenge_key(session_token)
    now = svc.rt.now()
    with read(svc.rt.engine) as conn:
        pending = session_store.get_challenge(conn, key)
        if pending is None or pending[2] != NEW_PASSWORD or pending[:2] != (pool.id, client.client_id):
            raise not_authorized("Invalid session for the user.")
        if now >= pending[4]:
            raise not_authorized("Invalid session for the user, session is expired.")
        user = user_store.get_by_sub(conn, pending[3]["sub"])
    username = required(responses, "USERNAME")
    new_password = required(responses, "NEW_PASSWORD")
    if user is None or user.status != FORCE_CHANGE_PASSWORD:
        raise not_authorized("Invalid session for the user.")
    identifier = str(pending[3].get("identifier") or user.username)
    if pool.key(username) not in {pool.key(user.username), pool.key(identifier), pool.key(user.sub)}:
        raise not_authorized("Invalid session for the user.")
    secret_hash.require(client, responses.get("SECRET_HASH"), [username, user.username, user.sub, identifier])
    changes = {
        k.removeprefix("userAttributes."): v for k, v in responses.items() if k.startswith("userAttributes.")
    }
    writable = client_settings.writable(client, pool.schema)
    if any(name not in writable for name in changes):
        raise not_authorized("A client attempted to write unauthorized attribute")
    password_policy.check(pool.password_policy, new_password)
    schema.check_values(pool.schema, changes, creating=False)
    merged = {**user.attributes, **changes}
    for attr in pool.schema:
        if attr.get("Required") and attr["Name"] != "sub" and not merged.get(attr["Name"]):
            raise invalid_parameter(
                f"Attributes did not conform to the schema: {attr['Name']}: The attribute is required\n"
            )
    with write(svc.rt.engine) as conn:
        if not session_store.delete_challenge(conn, key):
            raise not_authorized("Invalid session for the user.")
        if changes:
            accounts.update_attributes(conn, pool, user, dict(changes), now=now)
        accounts.set_password(conn, pool, user, new_password, status=CONFIRMED, now=now)
        updated = user_store.get_by_sub(conn, user.sub)
    if updated is None:
        raise incorrect_credentials()
    return signed_in(svc, pool, client, updated, identifier)


def refresh_tokens(
    svc: CognitoIdpService, client_id: str, token: str, client_secret: str | None
) -> dict[str, Any]:
    """GetTokensFromRefreshToken (what Amplify v6 refreshes with): REFRESH_TOKEN_AUTH by another name, the
    client proving itself with its secret rather than a SECRET_HASH."""
    with read(svc.rt.engine) as conn:
        client, pool = svc.client_and_pool(conn, client_id, None)
        if "ALLOW_REFRESH_TOKEN_AUTH" not in client_settings.allowed_flows(client.settings):
            raise invalid_parameter("REFRESH_TOKEN_AUTH flow not enabled for this client")
        secret_hash.require_secret(client, client_secret)
        result = _refresh(svc, conn, pool, client, token, lambda _user: None)
    return {"AuthenticationResult": result["AuthenticationResult"]}


def _refresh(
    svc: CognitoIdpService,
    conn: sa.Connection,
    pool: UserPool,
    client: AppClient,
    token: str,
    check_client: Callable[[User], None],
) -> dict[str, Any]:
    """REFRESH_TOKEN_AUTH: new ID and access tokens for the refresh token's session (same origin_jti and
    auth_time). Runs inside the caller's read transaction; ``check_client`` proves the client's secret."""
    from hutch.services.cognito_idp.service import refresh_hash

    now = svc.rt.now()
    session = session_store.session_for_refresh(conn, refresh_hash(token))
    user = user_store.get_by_sub(conn, session.sub) if session is not None else None
    if session is None or session.client_id != client.client_id or user is None:
        raise not_authorized("Invalid Refresh Token")
    check_client(user)
    if session.revoked is not None:
        raise not_authorized("Refresh Token has been revoked")
    if now >= session.expires:
        raise not_authorized("Refresh Token has expired")
    if not user.enabled:
        raise user_disabled()
    if user.status == RESET_REQUIRED:
        raise password_reset_required()
    material = svc.material(conn, pool, client, user)
    rotated = None
    if (client.settings.get("RefreshTokenRotation") or {}).get("Feature") == "ENABLED":
        # Rotation: the old refresh token stops working the moment the new one is issued.
        rotated = svc.rt.group.run(lambda writing: svc.rotate_refresh_token(writing, material, session))
    return {"ChallengeParameters": {}, "AuthenticationResult": svc.mint(material, session, rotated)}
