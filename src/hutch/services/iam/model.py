"""IAM entities as the store hands them out: immutable values, ARNs and ids in AWS's formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

Tags = tuple[tuple[str, str], ...]  # (key, value) in the order they were added, as IAM lists them


@dataclass(frozen=True)
class Role:
    id: str  # AROA...
    name: str
    path: str
    arn: str
    trust_policy: str
    description: str | None
    max_session_duration: int
    boundary_arn: str | None
    tags: Tags
    created_at: datetime


@dataclass(frozen=True)
class User:
    id: str  # AIDA...
    name: str
    path: str
    arn: str
    boundary_arn: str | None
    tags: Tags
    created_at: datetime


@dataclass(frozen=True)
class InlinePolicy:
    name: str
    document: str


@dataclass(frozen=True)
class ManagedPolicy:
    id: str  # ANPA...
    name: str
    path: str
    arn: str
    description: str | None
    default_version: int
    tags: Tags
    created_at: datetime
    updated_at: datetime
    attachment_count: int = 0
    boundary_usage_count: int = 0
    aws_managed: bool = False

    @property
    def default_version_id(self) -> str:
        return f"v{self.default_version}"


@dataclass(frozen=True)
class PolicyVersion:
    policy_arn: str
    version: int
    document: str
    is_default: bool
    created_at: datetime

    @property
    def version_id(self) -> str:
        return f"v{self.version}"


@dataclass(frozen=True)
class AccessKey:
    access_key_id: str
    user_id: str
    user_name: str
    secret_access_key: str
    status: str  # Active | Inactive
    created_at: datetime


@dataclass(frozen=True)
class OidcProvider:
    arn: str
    url: str  # as registered, with its https:// scheme
    client_ids: tuple[str, ...]
    thumbprints: tuple[str, ...]
    tags: Tags
    created_at: datetime

    @property
    def host_path(self) -> str:
        """The provider's URL without scheme: its name in ARNs, trust policies and condition keys."""
        return url_host_path(self.url)


@dataclass(frozen=True)
class EntityPolicies:
    """Every policy document that governs a user or a role, gathered for one authorization."""

    inline: tuple[InlinePolicy, ...] = ()
    managed: tuple[tuple[str, str], ...] = ()  # (policy ARN, default version's document)
    boundary: tuple[str, str] | None = None  # (policy ARN, document)
    tags: Tags = field(default_factory=tuple)


def url_host_path(url: str) -> str:
    for scheme in ("https://", "http://"):
        if url.lower().startswith(scheme):
            return url[len(scheme) :]
    return url


def role_arn(account: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account}:role{path}{name}"


def user_arn(account: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account}:user{path}{name}"


def policy_arn(account: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account}:policy{path}{name}"


def oidc_provider_arn(account: str, url: str) -> str:
    return f"arn:aws:iam::{account}:oidc-provider/{url_host_path(url)}"
