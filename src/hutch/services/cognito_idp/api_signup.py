"""Public account operations (unsigned, authenticated by the app client and codes): SignUp, ConfirmSignUp,
ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword.

With PreventUserExistenceErrors=ENABLED (hutch's default) a name that matches no user gets the answer a
real one would, as AWS documents it ("Managing user existence error responses"): ForgotPassword and
ResendConfirmationCode answer with a simulated delivery — also for a disabled user, or one with nowhere to
send the code — and the confirmations answer wrong codes just as for a user: ExpiredCodeException when
no code was asked for, CodeMismatchException, and LimitExceededException after too many (``decoys``).
Checks that depend only on the pool (password policy, auto-verification) come first, for every name.
"""

from __future__ import annotations

import hashlib
from typing import Any

from hutch.operations import Call, operation
from hutch.services.cognito_idp import (
    accounts,
    client_settings,
    codes,
    delivery,
    password_policy,
    secret_hash,
)
from hutch.services.cognito_idp.api_common import SERVICE, attribute_map, deliver, service
from hutch.services.cognito_idp.faults import (
    invalid_parameter,
    not_authorized,
    user_disabled,
    user_not_found,
)
from hutch.services.cognito_idp.model import CONFIRMED, UNCONFIRMED, AppClient, User, UserPool
from hutch.services.cognito_idp.outbox import Message
from hutch.services.cognito_idp.store import users as user_store
from hutch.store.engine import read, write


def _client_and_pool(call: Call, client_id: str) -> tuple[AppClient, UserPool]:
    svc = service(call)
    with read(call.rt.engine) as conn:
        return svc.client_and_pool(conn, client_id)


def _simulated_delivery(pool: UserPool, identifier: str) -> dict[str, Any]:
    """CodeDeliveryDetails for a name that gets no code: stable per name, shaped like a real one. The
    medium follows the name's format, else the pool's verification settings (SMS first, as Cognito
    prefers it when a user has both)."""
    digest = hashlib.sha256(
        pool.decoy_secret + b"\x00delivery\x00" + pool.key(identifier).encode("utf-8", "surrogatepass")
    ).hexdigest()
    if identifier.startswith("+") and identifier[1:].isdigit():
        return delivery.Destination("phone_number", identifier).details()
    if "@" not in identifier and pool.auto_verified_attributes == ["phone_number"]:
        digits = "".join(str(int(c, 16) % 10) for c in digest[:10])
        return delivery.Destination("phone_number", f"+1{digits}").details()
    local = identifier.split("@", 1)[0] if "@" in identifier else digest[0]
    domain = identifier.split("@", 1)[1] if "@" in identifier else digest[1]
    return delivery.Destination("email", f"{local}@{domain}").details()


def _simulate(call: Call, pool: UserPool, identifier: str, purpose: str) -> dict[str, Any]:
    """Answer as if a code went out: remember a decoy code for the name, send nothing."""
    service(call).decoys.issue_code(pool, identifier, purpose, call.rt.now())
    return {"CodeDeliveryDetails": _simulated_delivery(pool, identifier)}


@operation(SERVICE, "SignUp")
def sign_up(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    client, pool = _client_and_pool(call, params["ClientId"])
    username = params["Username"]
    secret_hash.require(client, params.get("SecretHash"), [username])
    if pool.admin_create_user_only:
        raise not_authorized("SignUp is not permitted for this user pool")
    password = params.get("Password")
    if not password:
        raise invalid_parameter("Password is required to sign up to this user pool.")
    attributes = attribute_map(params.get("UserAttributes"))
    writable = client_settings.writable(client, pool.schema)
    if any(name not in writable for name in attributes):
        raise not_authorized("A client attempted to write unauthorized attribute")
    password_policy.check(pool.password_policy, password)
    now = call.rt.now()
    messages: list[Message] = []
    details = None
    with write(call.rt.engine) as conn:
        user = accounts.create_user(
            conn,
            pool,
            username=username,
            attributes=attributes,
            status=UNCONFIRMED,
            password=password,
            now=now,
            exists_message="User already exists",
        )
        destination = delivery.for_confirmation(user, pool.auto_verified_attributes)
        if destination is not None:
            code = codes.issue_code(conn, pool, user, "signup", destination.attribute, now)
            messages.append(codes.code_message(pool, user, destination, "SignUp", code))
            details = destination.details()
    deliver(svc, messages)
    out: dict[str, Any] = {"UserConfirmed": False, "UserSub": user.sub}
    if details is not None:
        out["CodeDeliveryDetails"] = details
    return out


def _public_user(call: Call, client: AppClient, pool: UserPool, params: dict[str, Any]) -> User | None:
    """The user a public operation names, after the SECRET_HASH check; None when there is none and the
    client hides that (otherwise UserNotFoundException)."""
    identifier = params["Username"]
    with read(call.rt.engine) as conn:
        user = accounts.resolve(conn, pool, identifier)
    names = [identifier] + ([user.username, user.sub] if user else [])
    secret_hash.require(client, params.get("SecretHash"), names)
    if user is None and not client.prevents_user_existence_errors:
        raise user_not_found()
    return user


@operation(SERVICE, "ConfirmSignUp")
def confirm_sign_up(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    client, pool = _client_and_pool(call, params["ClientId"])
    user = _public_user(call, client, pool, params)
    if user is None:
        # A user who signed up was sent a code; answer as if this name had been.
        decoys = service(call).decoys
        raise decoys.redeem_code(pool, params["Username"], "signup", call.rt.now(), assume_issued=True)
    if user.status != UNCONFIRMED:
        raise not_authorized(f"User cannot be confirmed. Current status is {user.status}")
    now = call.rt.now()
    with write(call.rt.engine) as conn:
        redeemed = codes.redeem_code(conn, pool, user, "signup", params["ConfirmationCode"], now)
        if redeemed.error is None:
            user_store.update_user(conn, user.sub, status=CONFIRMED, modified=now)
            attribute = redeemed.attribute
            if attribute is not None and user.attributes.get(attribute):
                force = bool(params.get("ForceAliasCreation"))
                accounts.mark_verified(conn, pool, user, attribute, force_alias=force)
    redeemed.raise_if_refused()
    return {}


@operation(SERVICE, "ResendConfirmationCode")
def resend_confirmation_code(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    client, pool = _client_and_pool(call, params["ClientId"])
    user = _public_user(call, client, pool, params)
    identifier = params["Username"]
    if not pool.auto_verified_attributes:
        raise invalid_parameter("Auto verification not turned on.")
    hidden = client.prevents_user_existence_errors
    if user is None or (hidden and not user.enabled):
        return _simulate(call, pool, identifier, "signup")
    if user.status != UNCONFIRMED:
        raise invalid_parameter("User is already confirmed.")
    destination = delivery.for_confirmation(user, pool.auto_verified_attributes)
    if destination is None:
        if hidden:
            return _simulate(call, pool, identifier, "signup")
        raise invalid_parameter("The user has no email or phone number to send a confirmation code to.")
    now = call.rt.now()
    with write(call.rt.engine) as conn:
        code = codes.issue_code(conn, pool, user, "signup", destination.attribute, now)
    deliver(svc, [codes.code_message(pool, user, destination, "ResendConfirmationCode", code)])
    return {"CodeDeliveryDetails": destination.details()}


def _recovery_destination(pool: UserPool, user: User) -> delivery.Destination | None:
    """Where a reset code for ``user`` can go; None when it cannot (disabled, nothing verified, or a
    pool that leaves password resets to administrators)."""
    if not user.enabled:
        return None
    return delivery.for_recovery(user, pool.settings.get("AccountRecoverySetting"))


@operation(SERVICE, "ForgotPassword")
def forgot_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    client, pool = _client_and_pool(call, params["ClientId"])
    user = _public_user(call, client, pool, params)
    destination = _recovery_destination(pool, user) if user is not None else None
    if user is None or destination is None:
        if user is None or client.prevents_user_existence_errors:
            return _simulate(call, pool, params["Username"], "forgot_password")
        if not user.enabled:
            raise user_disabled()
        raise invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or phone_number"
        )
    now = call.rt.now()
    with write(call.rt.engine) as conn:
        code = codes.issue_code(conn, pool, user, "forgot_password", destination.attribute, now)
    deliver(svc, [codes.code_message(pool, user, destination, "ForgotPassword", code)])
    return {"CodeDeliveryDetails": destination.details()}


@operation(SERVICE, "ConfirmForgotPassword")
def confirm_forgot_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    client, pool = _client_and_pool(call, params["ClientId"])
    user = _public_user(call, client, pool, params)
    password = params["Password"]
    password_policy.check(pool.password_policy, password)
    now = call.rt.now()
    if user is None or (client.prevents_user_existence_errors and _recovery_destination(pool, user) is None):
        # ForgotPassword answered this name with a simulated delivery; answer its codes the same way.
        raise service(call).decoys.redeem_code(pool, params["Username"], "forgot_password", now)
    if not user.enabled:
        raise user_disabled()
    with write(call.rt.engine) as conn:
        redeemed = codes.redeem_code(conn, pool, user, "forgot_password", params["ConfirmationCode"], now)
        if redeemed.error is None:
            # Only once the code is proven: checked earlier, the history would tell anyone without a code
            # whether a guess is the current password. Refused here, the transaction rolls back and the
            # code stays usable for another password.
            accounts.check_history(pool, user, password)
            # A reset code proves control of a verified contact; it confirms users who were waiting to
            # change a temporary or reset password, and leaves an unconfirmed sign-up unconfirmed.
            status = UNCONFIRMED if user.status == UNCONFIRMED else CONFIRMED
            accounts.set_password(conn, pool, user, password, status=status, now=now)
    redeemed.raise_if_refused()
    return {}
