"""User accounts: creation, sign-in names and aliases, passwords, attributes and lockout.

Everything here works inside the caller's transaction (a connection from ``hutch.store.engine.write``) and
raises Cognito's errors. (Verification codes live in ``codes``.)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from hutch.errors import ServiceError
from hutch.services.cognito_idp import identifiers, schema
from hutch.services.cognito_idp.delivery import Destination
from hutch.services.cognito_idp.faults import alias_exists, invalid_parameter
from hutch.services.cognito_idp.lockout import LockoutState
from hutch.services.cognito_idp.model import FORCE_CHANGE_PASSWORD, User, UserPool
from hutch.services.cognito_idp.passwords import make_verifier, verify_password
from hutch.services.cognito_idp.srp import SrpError
from hutch.services.cognito_idp.store import users as user_store

# --- finding users --------------------------------------------------------------------------------------


def alias_kinds(pool: UserPool) -> list[str]:
    return [
        *pool.username_attributes,
        *(k for k in pool.alias_attributes if k not in pool.username_attributes),
    ]


def resolve(conn: sa.Connection, pool: UserPool, identifier: str) -> User | None:
    """The user ``identifier`` names: by sub, username, or an alias the pool signs in with.

    Cognito accepts a user's sub wherever it takes a username. The sub is asked first: it is fixed by the
    server and printed in every ID token, while usernames and aliases are chosen by whoever signs up, so
    a name or alias that spells someone's sub must never capture lookups meant for that user."""
    by_sub = _by_sub(conn, pool, identifier)
    if by_sub is not None:
        return by_sub
    user = user_store.get_by_key(conn, pool.id, pool.key(identifier))
    if user is not None:
        return user
    for kind in alias_kinds(pool):
        sub = user_store.sub_for_alias(conn, pool.id, kind, _alias_key(pool, kind, identifier))
        if sub is not None:
            return user_store.get_by_sub(conn, sub)
    return None


def _by_sub(conn: sa.Connection, pool: UserPool, identifier: str) -> User | None:
    if not identifiers.looks_like_sub(identifier):
        return None
    user = user_store.get_by_sub(conn, identifier.lower())
    return user if user is not None and user.pool_id == pool.id else None


def _alias_key(pool: UserPool, kind: str, value: str) -> str:
    return value if kind == "phone_number" else pool.key(value)


def _desired_aliases(pool: UserPool, attributes: Mapping[str, str]) -> dict[str, str]:
    """The aliases a user with these attributes signs in with: username attributes always; alias
    attributes email / phone_number only once verified; preferred_username whenever set."""
    out: dict[str, str] = {}
    for kind in pool.username_attributes:
        if attributes.get(kind):
            out[kind] = _alias_key(pool, kind, attributes[kind])
    for kind in pool.alias_attributes:
        value = attributes.get(kind)
        verified = attributes.get(f"{kind}_verified", "false").lower() == "true"
        if value and (kind == "preferred_username" or verified):
            out[kind] = _alias_key(pool, kind, value)
    return out


def sync_aliases(
    conn: sa.Connection,
    pool: UserPool,
    sub: str,
    attributes: Mapping[str, str],
    *,
    force: bool = False,
    creating: bool = False,
) -> None:
    """Point the user's aliases at what their attributes now say. A verified alias held by another user
    is AliasExistsException, unless ``force`` (ForceAliasCreation) moves it here and unverifies the other.
    Creating a user whose sign-in email / phone number (UsernameAttributes) is taken is
    UsernameExistsException, as on AWS."""
    current = user_store.aliases_of(conn, sub)
    desired = _desired_aliases(pool, attributes)
    for kind, key in current.items():
        if desired.get(kind) != key:
            user_store.release_alias(conn, pool.id, kind, key)
    for kind, key in desired.items():
        if current.get(kind) == key:
            continue
        holder = user_store.claim_alias(conn, pool.id, kind, key, sub)
        if holder is None:
            continue
        if kind in pool.username_attributes and creating:
            label = "phone number" if kind == "phone_number" else kind
            raise ServiceError(
                "UsernameExistsException", f"An account with the given {label} already exists."
            )
        if not force or kind == "preferred_username" or kind in pool.username_attributes:
            raise alias_exists(kind)
        user_store.release_alias(conn, pool.id, kind, key)
        user_store.set_attributes(conn, pool.id, holder, {f"{kind}_verified": "false"})
        user_store.claim_alias(conn, pool.id, kind, key, sub)


# --- creating users -------------------------------------------------------------------------------------


_USERNAME_SHOULD_BE = {
    frozenset({"email"}): "Username should be an email.",
    frozenset({"phone_number"}): "Username should be a phone number.",
    frozenset({"email", "phone_number"}): "Username should be either an email or a phone number.",
}


def _looks_like(value: str) -> str | None:
    if "@" in value:
        return "email"
    if value.startswith("+") and value[1:].isdigit():
        return "phone_number"
    return None


def create_user(
    conn: sa.Connection,
    pool: UserPool,
    *,
    username: str,
    attributes: Mapping[str, str],
    status: str,
    password: str | None,
    now: datetime,
    exists_message: str,
    force_alias: bool = False,
) -> User:
    """Create a user. In pools that sign in with email / phone_number (UsernameAttributes) the given
    name is that attribute and the username Cognito assigns is the sub, a UUID. A username that spells
    an existing user's sub already names that user (see ``resolve``): UsernameExistsException."""
    attrs = {k: v for k, v in attributes.items() if v is not None}
    kind = _looks_like(username)
    sub = identifiers.sub()
    if pool.username_attributes:
        if kind is None or kind not in pool.username_attributes:
            raise invalid_parameter(_USERNAME_SHOULD_BE[frozenset(pool.username_attributes)])
        attrs[kind] = username
        username = sub
    elif kind is not None and kind in pool.alias_attributes:
        label = "email" if kind == "email" else "phone number"
        raise invalid_parameter(
            f"Username cannot be of {label} format, since user pool is configured for {label} alias."
        )
    elif _by_sub(conn, pool, username) is not None:
        raise ServiceError("UsernameExistsException", exists_message)
    schema.check_values(pool.schema, attrs, creating=True)
    attrs["sub"] = sub
    user = User(
        sub=sub,
        pool_id=pool.id,
        username=username,
        status=status,
        enabled=True,
        created=now,
        modified=now,
        attributes=attrs,
    )
    if not user_store.insert_user(conn, user, pool.key(username)):
        raise ServiceError("UsernameExistsException", exists_message)
    user_store.set_attributes(conn, pool.id, sub, attrs)
    sync_aliases(conn, pool, sub, attrs, force=force_alias, creating=True)
    if password is not None:
        set_password(conn, pool, user, password, status=status, now=now)
    return user_store.get_by_sub(conn, sub) or user


def view(user: User, *, readable: frozenset[str] | None = None) -> list[dict[str, str]]:
    """AttributeListType: every attribute, or those in ``readable``."""
    return [
        {"Name": name, "Value": value}
        for name, value in user.attributes.items()
        if readable is None or name in readable or name == "sub"
    ]


def user_type(user: User, *, attributes_to_get: list[str] | None = None) -> dict[str, Any]:
    """UserType as ListUsers / AdminCreateUser return it."""
    attrs = view(user)
    if attributes_to_get is not None:
        attrs = [a for a in attrs if a["Name"] in attributes_to_get]
    return {
        "Username": user.username,
        "Attributes": attrs,
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status,
    }


# --- passwords ------------------------------------------------------------------------------------------


def password_matches(pool: UserPool, user: User, password: str) -> bool:
    if user.salt is None or user.verifier is None:
        return False
    try:
        return verify_password(pool.pool_name, user.username, password, user.salt, user.verifier)
    except SrpError:
        return False


def check_history(pool: UserPool, user: User, password: str) -> None:
    """PasswordHistoryPolicyViolationException if ``password`` is one of the last PasswordHistorySize."""
    size = int(pool.password_policy.get("PasswordHistorySize") or 0)
    if size <= 0 or user.salt is None or user.verifier is None:
        return
    for salt, verifier in [(user.salt, user.verifier), *user.password_history][:size]:
        try:
            used = verify_password(pool.pool_name, user.username, password, salt, verifier)
        except SrpError:
            continue
        if used:
            raise ServiceError(
                "PasswordHistoryPolicyViolationException", "The password you entered was used previously."
            )


def set_password(
    conn: sa.Connection, pool: UserPool, user: User, password: str, *, status: str, now: datetime
) -> None:
    """Store the new password as Cognito's SRP salt + verifier (never the password itself) and move the
    user to ``status`` (CONFIRMED for a permanent password, FORCE_CHANGE_PASSWORD for a temporary one)."""
    try:
        salt, verifier = make_verifier(pool.pool_name, user.username, password)
    except SrpError:
        raise invalid_parameter("Password must be valid Unicode text.") from None
    history: list[tuple[str, str]] = []
    size = int(pool.password_policy.get("PasswordHistorySize") or 0)
    if size > 1 and user.salt is not None and user.verifier is not None:
        history = [(user.salt, user.verifier), *user.password_history][: size - 1]
    user_store.update_user(
        conn,
        user.sub,
        salt=salt,
        verifier=verifier,
        password_set=now,
        password_history=history,
        status=status,
        modified=now,
    )


def temporary_password_expired(pool: UserPool, user: User, now: datetime) -> bool:
    days = int(pool.password_policy.get("TemporaryPasswordValidityDays", 7))
    if user.status != FORCE_CHANGE_PASSWORD or user.password_set is None:
        return False
    return now >= user.password_set + timedelta(days=days)


# --- lockout --------------------------------------------------------------------------------------------


def lockout_of(user: User) -> LockoutState:
    return LockoutState(user.failed_attempts, user.last_failure, user.locked_until)


def record_failure(conn: sa.Connection, user: User, now: datetime) -> None:
    state = lockout_of(user).after_failure(now)
    user_store.update_user(
        conn,
        user.sub,
        failed_attempts=state.failed_attempts,
        last_failure=state.last_failure,
        locked_until=state.locked_until,
    )


def clear_failures(conn: sa.Connection, user: User) -> None:
    if not lockout_of(user).is_clean:
        user_store.update_user(conn, user.sub, failed_attempts=0, last_failure=None, locked_until=None)


# --- attributes -----------------------------------------------------------------------------------------


def update_attributes(
    conn: sa.Connection,
    pool: UserPool,
    user: User,
    changes: Mapping[str, str | None],
    *,
    now: datetime,
) -> list[Destination]:
    """Set (value) or delete (None) attributes. Changing email / phone_number unverifies it unless the
    same request sets its *_verified flag; returns the contacts that now need a verification code."""
    schema.check_values(pool.schema, {n: v for n, v in changes.items() if v is not None}, creating=False)
    attrs = dict(user.attributes)
    diff: dict[str, str | None] = dict(changes)
    required = {a["Name"] for a in pool.schema if a.get("Required")}
    for name, value in changes.items():
        if value is None:
            if name in required:
                raise invalid_parameter(f"Cannot delete a required attribute: {name}")
            attrs.pop(name, None)
        else:
            attrs[name] = value
    to_verify: list[Destination] = []
    for contact in ("email", "phone_number"):
        flag = f"{contact}_verified"
        if contact not in changes or changes[contact] == user.attributes.get(contact):
            continue
        if changes[contact] is None:
            attrs.pop(flag, None)
            diff[flag] = None
        elif flag not in changes:
            attrs[flag] = "false"
            diff[flag] = "false"
        if (
            attrs.get(contact)
            and attrs.get(flag, "false").lower() != "true"
            and contact in pool.auto_verified_attributes
        ):
            to_verify.append(Destination(contact, attrs[contact]))
    user_store.set_attributes(conn, pool.id, user.sub, diff)
    sync_aliases(conn, pool, user.sub, attrs)
    user_store.update_user(conn, user.sub, modified=now)
    return to_verify


def mark_verified(
    conn: sa.Connection, pool: UserPool, user: User, attribute: str, *, force_alias: bool
) -> None:
    attrs = dict(user.attributes)
    attrs[f"{attribute}_verified"] = "true"
    user_store.set_attributes(conn, pool.id, user.sub, {f"{attribute}_verified": "true"})
    sync_aliases(conn, pool, user.sub, attrs, force=force_alias)
