"""Builders shared by the evaluation tests."""

from __future__ import annotations

import json
from typing import Any

from hutch.policy import NamedPolicy, PolicyKind, RequestPrincipal

ACCOUNT = "123456789012"
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/app"
SESSION_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/s1"
OBJECT = "arn:aws:s3:::bkt/key.txt"


def policy(
    *statements: dict[str, Any],
    kind: PolicyKind = PolicyKind.IDENTITY,
    name: str = "p",
    version: str = "2012-10-17",
) -> NamedPolicy:
    return NamedPolicy.from_text(name, json.dumps({"Version": version, "Statement": list(statements)}), kind)


def allow(action: str = "s3:GetObject", resource: str = OBJECT, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str = "s3:GetObject", resource: str = OBJECT, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def user() -> RequestPrincipal:
    return RequestPrincipal(USER_ARN, ACCOUNT, "user", {"AWS": [USER_ARN]})


def role_session() -> RequestPrincipal:
    return RequestPrincipal(SESSION_ARN, ACCOUNT, "assumed-role", {"AWS": [SESSION_ARN, ROLE_ARN]})


def root() -> RequestPrincipal:
    return RequestPrincipal(
        f"arn:aws:iam::{ACCOUNT}:root", ACCOUNT, "root", {"AWS": [f"arn:aws:iam::{ACCOUNT}:root"]}
    )
