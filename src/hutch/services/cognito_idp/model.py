"""The user-pool domain as plain values: pools, app clients, users, groups and sign-in sessions.

``store`` builds these from rows; the operations read them. Settings that DescribeUserPool /
DescribeUserPoolClient show are kept as the AWS-shaped dicts (``settings``); the properties here are the
parts the service's own logic depends on, with AWS's defaults applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# User statuses (UserStatusType).
UNCONFIRMED = "UNCONFIRMED"
CONFIRMED = "CONFIRMED"
FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"  # noqa: S105 - a status name, not a password
RESET_REQUIRED = "RESET_REQUIRED"

# Attributes that can sign a user in besides the username.
ALIAS_KINDS = ("email", "phone_number", "preferred_username")


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


@dataclass(frozen=True)
class UserPool:
    id: str
    name: str
    created: datetime
    modified: datetime
    settings: dict[str, Any]
    decoy_secret: bytes = field(repr=False)

    @property
    def pool_name(self) -> str:
        """What Cognito's SRP hashes: the part of the pool id after the underscore."""
        return self.id.split("_", 1)[1]

    @property
    def case_sensitive(self) -> bool:
        config = self.settings.get("UsernameConfiguration")
        return bool(config["CaseSensitive"]) if config else True

    @property
    def username_attributes(self) -> list[str]:
        return list(self.settings.get("UsernameAttributes") or [])

    @property
    def alias_attributes(self) -> list[str]:
        return list(self.settings.get("AliasAttributes") or [])

    @property
    def auto_verified_attributes(self) -> list[str]:
        return list(self.settings.get("AutoVerifiedAttributes") or [])

    @property
    def password_policy(self) -> dict[str, Any]:
        return dict(self.settings.get("Policies", {}).get("PasswordPolicy") or {})

    @property
    def schema(self) -> list[dict[str, Any]]:
        return list(self.settings.get("SchemaAttributes") or [])

    @property
    def deletion_protected(self) -> bool:
        return self.settings.get("DeletionProtection") == "ACTIVE"

    @property
    def admin_create_user_only(self) -> bool:
        return bool(self.settings.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly"))

    def key(self, value: str) -> str:
        """A username or alias as this pool compares it."""
        return value if self.case_sensitive else value.lower()


@dataclass(frozen=True)
class AppClient:
    client_id: str
    pool_id: str
    name: str
    secret: str | None = field(repr=False)
    settings: dict[str, Any]
    created: datetime
    modified: datetime

    @property
    def prevents_user_existence_errors(self) -> bool:
        return bool(self.settings.get("PreventUserExistenceErrors", "ENABLED") == "ENABLED")

    @property
    def token_revocation_enabled(self) -> bool:
        return bool(self.settings.get("EnableTokenRevocation", True))

    @property
    def auth_session_minutes(self) -> int:
        return int(self.settings.get("AuthSessionValidity", 3))


@dataclass(frozen=True)
class User:
    sub: str
    pool_id: str
    username: str
    status: str
    enabled: bool
    created: datetime
    modified: datetime
    attributes: dict[str, str]
    salt: str | None = field(default=None, repr=False)
    verifier: str | None = field(default=None, repr=False)
    password_set: datetime | None = None
    password_history: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    failed_attempts: int = 0
    last_failure: datetime | None = None
    locked_until: datetime | None = None

    @property
    def has_password(self) -> bool:
        return self.salt is not None and self.verifier is not None

    def verified(self, attribute: str) -> bool:
        """Whether ``email`` / ``phone_number`` is verified (its *_verified attribute is "true")."""
        return self.attributes.get(f"{attribute}_verified", "false").lower() == "true"


@dataclass(frozen=True)
class Group:
    pool_id: str
    name: str
    description: str | None
    role_arn: str | None
    precedence: int | None
    created: datetime
    modified: datetime


@dataclass(frozen=True)
class AuthSession:
    """One sign-in: its refresh token and every ID / access token minted from it share ``origin_jti``."""

    origin_jti: str
    pool_id: str
    client_id: str
    sub: str
    auth_time: int
    created: datetime
    expires: datetime
    revoked: datetime | None

    def usable(self, now: datetime) -> bool:
        return self.revoked is None and now < self.expires
