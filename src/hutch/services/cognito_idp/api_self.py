"""Operations a signed-in user performs with their access token: GetUser, UpdateUserAttributes,
DeleteUserAttributes, GetUserAttributeVerificationCode, VerifyUserAttribute, ChangePassword, DeleteUser,
GlobalSignOut; and RevokeToken (with the refresh token)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.cognito_idp import accounts, client_settings, codes, delivery, password_policy
from hutch.services.cognito_idp.api_common import SERVICE, attribute_map, deliver, service
from hutch.services.cognito_idp.faults import (
    incorrect_credentials,
    invalid_parameter,
    limit_exceeded,
    not_authorized,
    password_reset_required,
    user_disabled,
    user_not_confirmed,
)
from hutch.services.cognito_idp.model import RESET_REQUIRED, UNCONFIRMED, AppClient, User, UserPool
from hutch.services.cognito_idp.service import refresh_hash
from hutch.services.cognito_idp.store import pools as pool_store
from hutch.services.cognito_idp.store import sessions as session_store
from hutch.services.cognito_idp.store import users as user_store
from hutch.store.engine import read, write


@dataclass(frozen=True)
class SignedIn:
    pool: UserPool
    client: AppClient
    user: User
    claims: dict[str, Any]


def _signed_in(call: Call, access_token: str) -> SignedIn:
    """The user behind a valid, unrevoked access token (NotAuthorizedException otherwise)."""
    svc = service(call)
    pool_id, claims = svc.verify_token(access_token, "access")
    with read(call.rt.engine) as conn:
        pool = pool_store.get_pool(conn, pool_id)
        client = pool_store.get_client(conn, str(claims["client_id"]))
        user = user_store.get_by_sub(conn, str(claims["sub"]))
    if pool is None or client is None or client.pool_id != pool_id:
        raise not_authorized("Invalid Access Token")
    if user is None:
        raise ServiceError("UserNotFoundException", "User does not exist.")
    if not user.enabled:
        raise user_disabled()
    if user.status == UNCONFIRMED:
        raise user_not_confirmed()
    if user.status == RESET_REQUIRED:
        raise password_reset_required()
    return SignedIn(pool, client, user, claims)


@operation(SERVICE, "GetUser")
def get_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    me = _signed_in(call, params["AccessToken"])
    readable = client_settings.readable(me.client, me.pool.schema)
    return {"Username": me.user.username, "UserAttributes": accounts.view(me.user, readable=readable)}


def _check_writable(me: SignedIn, names: list[str]) -> None:
    writable = client_settings.writable(me.client, me.pool.schema)
    if any(name not in writable for name in names):
        raise not_authorized("A client attempted to write unauthorized attribute")


@operation(SERVICE, "UpdateUserAttributes")
def update_user_attributes(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    me = _signed_in(call, params["AccessToken"])
    changes = attribute_map(params["UserAttributes"])
    _check_writable(me, list(changes))
    now = call.rt.now()
    with write(call.rt.engine) as conn:
        contacts = accounts.update_attributes(conn, me.pool, me.user, dict(changes), now=now)
        messages = []
        for destination in contacts:
            code = codes.issue_code(
                conn, me.pool, me.user, f"verify_{destination.attribute}", destination.attribute, now
            )
            messages.append(codes.code_message(me.pool, me.user, destination, "UpdateUserAttributes", code))
    deliver(service(call), messages)
    return {"CodeDeliveryDetailsList": [d.details() for d in contacts]}


@operation(SERVICE, "DeleteUserAttributes")
def delete_user_attributes(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    me = _signed_in(call, params["AccessToken"])
    names = list(params["UserAttributeNames"])
    _check_writable(me, names)
    with write(call.rt.engine) as conn:
        accounts.update_attributes(conn, me.pool, me.user, dict.fromkeys(names), now=call.rt.now())
    return {}


@operation(SERVICE, "GetUserAttributeVerificationCode")
def get_user_attribute_verification_code(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    me = _signed_in(call, params["AccessToken"])
    attribute = params["AttributeName"]
    if attribute not in ("email", "phone_number"):
        raise invalid_parameter(f"Cannot verify the attribute {attribute}.")
    address = me.user.attributes.get(attribute)
    if not address:
        raise invalid_parameter(f"The user has no {attribute} to verify.")
    destination = delivery.Destination(attribute, address)
    now = call.rt.now()
    with write(call.rt.engine) as conn:
        code = codes.issue_code(conn, me.pool, me.user, f"verify_{attribute}", attribute, now)
    deliver(
        service(call),
        [codes.code_message(me.pool, me.user, destination, "GetUserAttributeVerificationCode", code)],
    )
    return {"CodeDeliveryDetails": destination.details()}


@operation(SERVICE, "VerifyUserAttribute")
def verify_user_attribute(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    me = _signed_in(call, params["AccessToken"])
    attribute = params["AttributeName"]
    if attribute not in ("email", "phone_number"):
        raise invalid_parameter(f"Cannot verify the attribute {attribute}.")
    with write(call.rt.engine) as conn:
        redeemed = codes.redeem_code(
            conn, me.pool, me.user, f"verify_{attribute}", params["Code"], call.rt.now()
        )
        if redeemed.error is None:
            accounts.mark_verified(conn, me.pool, me.user, attribute, force_alias=False)
    redeemed.raise_if_refused()
    return {}


@operation(SERVICE, "ChangePassword")
def change_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    me = _signed_in(call, params["AccessToken"])
    now = call.rt.now()
    if accounts.lockout_of(me.user).current(now).locked(now):
        raise limit_exceeded()
    previous = params.get("PreviousPassword")
    if not previous:
        raise invalid_parameter("Missing required parameter PreviousPassword")
    if not accounts.password_matches(me.pool, me.user, previous):
        with write(call.rt.engine) as conn:
            accounts.record_failure(conn, me.user, now)
        raise incorrect_credentials()
    proposed = params["ProposedPassword"]
    password_policy.check(me.pool.password_policy, proposed)
    accounts.check_history(me.pool, me.user, proposed)
    with write(call.rt.engine) as conn:
        accounts.clear_failures(conn, me.user)
        accounts.set_password(conn, me.pool, me.user, proposed, status=me.user.status, now=now)
    return {}


@operation(SERVICE, "DeleteUser")
def delete_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    me = _signed_in(call, params["AccessToken"])
    with write(call.rt.engine) as conn:
        user_store.delete_user(conn, me.user.sub)
    return {}


@operation(SERVICE, "GlobalSignOut")
def global_sign_out(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    me = _signed_in(call, params["AccessToken"])
    with write(call.rt.engine) as conn:
        session_store.revoke_user_sessions(conn, me.user.sub, call.rt.now())
    return {}


@operation(SERVICE, "RevokeToken")
def revoke_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Revoke a refresh token and every access / ID token issued from it. Unknown tokens succeed quietly
    (as OAuth token revocation does), so the call reveals nothing about which tokens exist. A token can
    only be revoked by the client it was issued to (with that client's secret, if it has one): another
    client is refused rather than told "done" while nothing happened (RFC 7009 section 2.1; Cognito:
    "Refresh tokens must be revoked using the same client ID that was used to obtain the token")."""
    token = params["Token"]
    if token.count(".") == 2:
        raise ServiceError("UnsupportedTokenTypeException", "Unsupported token type")
    with read(call.rt.engine) as conn:
        client = service(call).client(conn, params["ClientId"])
        session = session_store.session_for_refresh(conn, refresh_hash(token))
    if client.secret is not None:
        given = params.get("ClientSecret") or ""
        if not hmac.compare_digest(given.encode(), client.secret.encode()):
            raise ServiceError("UnauthorizedException", "Client authentication failed.")
    if not client.token_revocation_enabled:
        raise ServiceError(
            "UnsupportedOperationException", "Token revocation is not enabled for this client."
        )
    if session is None:
        return {}
    if session.client_id != client.client_id:
        raise ServiceError("UnauthorizedException", "Token was not issued to this client.")
    with write(call.rt.engine) as conn:
        session_store.revoke_session(conn, session.origin_jti, call.rt.now())
    return {}
