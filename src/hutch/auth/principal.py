"""Who is calling: the principal a verified request (or an unsigned one) acts as."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

PrincipalKind = Literal["root", "user", "assumed-role", "anonymous"]


@dataclass(frozen=True)
class RoleSession:
    """What a temporary credential of an assumed role carries into every request it signs."""

    role_arn: str
    role_id: str  # AROA...
    role_name: str
    session_name: str
    issued_at: datetime
    expires_at: datetime
    # Session policies (AssumeRole Policy/PolicyArns, the identity-pool guest policy) as JSON documents.
    session_policies: tuple[str, ...] = ()
    # Condition keys the session contributes to every request context, e.g.
    # cognito-identity.amazonaws.com:sub / :aud / :amr for identity-pool sessions (lists are multi-valued).
    context: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    source_identity: str | None = None
    federated_provider: str | None = None  # e.g. cognito-identity.amazonaws.com for web-identity sessions


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    arn: str
    account: str
    user_id: str  # the aws:userid value: account id (root), AIDA... (user), AROA...:session (role)
    name: str | None = None  # IAM user name or role name
    access_key_id: str | None = None
    session: RoleSession | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_root(self) -> bool:
        return self.kind == "root"

    @property
    def is_anonymous(self) -> bool:
        return self.kind == "anonymous"

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "arn": self.arn, "user_id": self.user_id}


def root(account: str, access_key_id: str | None = None) -> Principal:
    return Principal("root", f"arn:aws:iam::{account}:root", account, account, None, access_key_id)


def anonymous(account: str) -> Principal:
    return Principal("anonymous", "*", account, "anonymous")
