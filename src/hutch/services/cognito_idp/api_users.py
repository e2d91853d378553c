"""Admin user operations (IAM-authorized): AdminCreateUser, AdminGetUser, AdminDeleteUser,
AdminDisableUser / AdminEnableUser, AdminUpdateUserAttributes, AdminDeleteUserAttributes,
AdminConfirmSignUp, AdminSetUserPassword, AdminResetUserPassword, AdminUserGlobalSignOut, ListUsers."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.cognito_idp import accounts, codes, delivery, password_policy, user_filter
from hutch.services.cognito_idp.api_common import (
    SERVICE,
    attribute_map,
    authorize,
    decode_token,
    deliver,
    encode_token,
    page_size,
    service,
)
from hutch.services.cognito_idp.faults import invalid_parameter, not_authorized, user_not_found
from hutch.services.cognito_idp.model import (
    CONFIRMED,
    FORCE_CHANGE_PASSWORD,
    RESET_REQUIRED,
    UNCONFIRMED,
    User,
    UserPool,
)
from hutch.services.cognito_idp.outbox import Message
from hutch.services.cognito_idp.service import CognitoIdpService
from hutch.services.cognito_idp.store import sessions as session_store
from hutch.services.cognito_idp.store import users as user_store
from hutch.store.engine import read, write


def _pool_and_user(
    conn: sa.Connection, svc: CognitoIdpService, params: dict[str, Any]
) -> tuple[UserPool, User]:
    pool = svc.pool(conn, params["UserPoolId"])
    user = accounts.resolve(conn, pool, params["Username"])
    if user is None:
        raise user_not_found()
    return pool, user


def _fresh(conn: sa.Connection, user: User) -> User:
    return user_store.get_by_sub(conn, user.sub) or user


def _invitations(pool: UserPool, user: User, mediums: list[str], password: str) -> list[Message]:
    wanted = {"EMAIL": "email", "SMS": "phone_number"}
    out = []
    for medium in dict.fromkeys(mediums):
        destination = delivery.first_available(user, [wanted[medium]], verified_only=False)
        if destination is not None:
            out.append(codes.invitation_message(pool, user, destination, password))
    return out


@operation(SERVICE, "AdminCreateUser")
def admin_create_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    svc = service(call)
    now = call.rt.now()
    action = params.get("MessageAction")
    given_password = params.get("TemporaryPassword")
    mediums = list(params.get("DesiredDeliveryMediums") or ["SMS"])
    with write(call.rt.engine) as conn:
        pool = svc.pool(conn, params["UserPoolId"])
        if given_password is not None:
            password_policy.check(pool.password_policy, given_password)
        password = given_password or password_policy.temporary_password(pool.password_policy)
        if action == "RESEND":
            user = accounts.resolve(conn, pool, params["Username"])
            if user is None:
                raise user_not_found()
            if user.status != FORCE_CHANGE_PASSWORD:
                raise ServiceError("UnsupportedUserStateException", f"User is in {user.status} state.")
            accounts.set_password(conn, pool, user, password, status=FORCE_CHANGE_PASSWORD, now=now)
        else:
            user = accounts.create_user(
                conn,
                pool,
                username=params["Username"],
                attributes=attribute_map(params.get("UserAttributes")),
                status=FORCE_CHANGE_PASSWORD,
                password=password,
                now=now,
                exists_message="User account already exists",
                force_alias=bool(params.get("ForceAliasCreation")),
            )
        user = _fresh(conn, user)
    messages = [] if action == "SUPPRESS" else _invitations(pool, user, mediums, password)
    deliver(svc, messages)
    return {"User": accounts.user_type(user)}


@operation(SERVICE, "AdminGetUser")
def admin_get_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    with read(call.rt.engine) as conn:
        _, user = _pool_and_user(conn, service(call), params)
    return {
        "Username": user.username,
        "UserAttributes": accounts.view(user),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status,
    }


@operation(SERVICE, "AdminDeleteUser")
def admin_delete_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    with write(call.rt.engine) as conn:
        _, user = _pool_and_user(conn, service(call), params)
        user_store.delete_user(conn, user.sub)
    return {}


@operation(SERVICE, "AdminDisableUser")
def admin_disable_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    now = call.rt.now()
    with write(call.rt.engine) as conn:
        _, user = _pool_and_user(conn, service(call), params)
        user_store.update_user(conn, user.sub, enabled=False, modified=now)
        # Disabling a user also revokes their tokens, as Cognito does.
        session_store.revoke_user_sessions(conn, user.sub, now)
    return {}


@operation(SERVICE, "AdminEnableUser")
def admin_enable_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    with write(call.rt.engine) as conn:
        _, user = _pool_and_user(conn, service(call), params)
        user_store.update_user(conn, user.sub, enabled=True, modified=call.rt.now())
    return {}


def _verification_messages(
    conn: sa.Connection, pool: UserPool, user: User, contacts: list[delivery.Destination], kind: str, now: Any
) -> list[Message]:
    out = []
    for destination in contacts:
        purpose = f"verify_{destination.attribute}"
        code = codes.issue_code(conn, pool, user, purpose, destination.attribute, now)
        out.append(codes.code_message(pool, user, destination, kind, code))
    return out


@operation(SERVICE, "AdminUpdateUserAttributes")
def admin_update_user_attributes(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    svc = service(call)
    now = call.rt.now()
    with write(call.rt.engine) as conn:
        pool, user = _pool_and_user(conn, svc, params)
        contacts = accounts.update_attributes(
            conn, pool, user, dict(attribute_map(params["UserAttributes"])), now=now
        )
        messages = _verification_messages(conn, pool, user, contacts, "AdminUpdateUserAttributes", now)
    deliver(svc, messages)
    return {}


@operation(SERVICE, "AdminDeleteUserAttributes")
def admin_delete_user_attributes(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    with write(call.rt.engine) as conn:
        pool, user = _pool_and_user(conn, service(call), params)
        changes: dict[str, str | None] = dict.fromkeys(params["UserAttributeNames"])
        if "sub" in changes:
            raise invalid_parameter("Cannot delete the sub attribute.")
        accounts.update_attributes(conn, pool, user, changes, now=call.rt.now())
    return {}


@operation(SERVICE, "AdminConfirmSignUp")
def admin_confirm_sign_up(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    with write(call.rt.engine) as conn:
        _, user = _pool_and_user(conn, service(call), params)
        if user.status != UNCONFIRMED:
            raise not_authorized(f"User cannot be confirmed. Current status is {user.status}")
        user_store.update_user(conn, user.sub, status="CONFIRMED", modified=call.rt.now())
        session_store.delete_code(conn, user.sub, "signup")
    return {}


@operation(SERVICE, "AdminSetUserPassword")
def admin_set_user_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    permanent = bool(params.get("Permanent"))
    with write(call.rt.engine) as conn:
        pool, user = _pool_and_user(conn, service(call), params)
        password_policy.check(pool.password_policy, params["Password"])
        if permanent:
            accounts.check_history(pool, user, params["Password"])
        status = CONFIRMED if permanent else FORCE_CHANGE_PASSWORD
        accounts.set_password(conn, pool, user, params["Password"], status=status, now=call.rt.now())
    return {}


@operation(SERVICE, "AdminResetUserPassword")
def admin_reset_user_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    svc = service(call)
    now = call.rt.now()
    with write(call.rt.engine) as conn:
        pool, user = _pool_and_user(conn, svc, params)
        if not user.enabled:
            raise not_authorized("User is disabled.")
        destination = delivery.for_recovery(user, pool.settings.get("AccountRecoverySetting"))
        messages = []
        if destination is not None:
            code = codes.issue_code(conn, pool, user, "forgot_password", destination.attribute, now)
            messages.append(codes.code_message(pool, user, destination, "AdminResetUserPassword", code))
        if user.status != UNCONFIRMED:
            user_store.update_user(conn, user.sub, status=RESET_REQUIRED, modified=now)
    deliver(svc, messages)
    return {}


@operation(SERVICE, "AdminUserGlobalSignOut")
def admin_user_global_sign_out(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    with write(call.rt.engine) as conn:
        _, user = _pool_and_user(conn, service(call), params)
        session_store.revoke_user_sessions(conn, user.sub, call.rt.now())
    return {}


@operation(SERVICE, "ListUsers")
def list_users(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    limit = page_size(params.get("Limit"), 60)
    after = decode_token(params.get("PaginationToken"), "PaginationToken")
    wanted = params.get("AttributesToGet")
    with read(call.rt.engine) as conn:
        pool = service(call).pool(conn, params["UserPoolId"])
        if wanted is not None:
            known = {a["Name"] for a in pool.schema}
            unknown = [n for n in wanted if n not in known]
            if unknown:
                raise invalid_parameter(
                    f"One or more requested attributes do not exist: {', '.join(unknown)}"
                )
        flt = user_filter.parse(params.get("Filter"))
        found, last = user_store.list_users(conn, pool.id, after, limit, flt.query(pool) if flt else None)
    if flt is not None:
        found = [u for u in found if flt.matches(pool, u)]
    out: dict[str, Any] = {"Users": [accounts.user_type(u, attributes_to_get=wanted) for u in found]}
    if last is not None:
        out["PaginationToken"] = encode_token(last)
    return out
