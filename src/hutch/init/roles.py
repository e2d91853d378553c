"""The identity pool's roles: trust policy, folder policy (inline, one name) and the app tag."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from hutch.init.names import ROLE_POLICY_NAME, TAG_KEY, Names
from hutch.init.policies import Document, RoleKind
from hutch.init.report import Report


def ensure_role(
    iam: Any, names: Names, kind: RoleKind, trust: Document, permissions: Document, report: Report
) -> str:
    """The role's ARN, with exactly ``trust`` and the inline policy ``permissions`` in place."""
    name = names.role(kind)
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except ClientError as err:
        if err.response["Error"]["Code"] not in ("NoSuchEntity", "NoSuchEntityException"):
            raise
        role = iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=json.dumps(trust),
            Description=f"{kind} identities of the {names.app} identity pool (hutch init)",
            Tags=[{"Key": k, "Value": v} for k, v in names.tags.items()],
        )["Role"]
        iam.put_role_policy(
            RoleName=name, PolicyName=ROLE_POLICY_NAME, PolicyDocument=json.dumps(permissions)
        )
        report.created("role", name)
        return str(role["Arn"])

    changes = []
    if _document(role.get("AssumeRolePolicyDocument")) != trust:
        iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust))
        changes.append("trust policy")
    if _inline_policy(iam, name) != permissions:
        iam.put_role_policy(
            RoleName=name, PolicyName=ROLE_POLICY_NAME, PolicyDocument=json.dumps(permissions)
        )
        changes.append(f"policy {ROLE_POLICY_NAME}")
    tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=name).get("Tags", [])}
    if tags.get(TAG_KEY) != names.app:
        iam.tag_role(RoleName=name, Tags=[{"Key": k, "Value": v} for k, v in names.tags.items()])
        changes.append("tag")
    report.outcome("role", name, changes)
    return str(role["Arn"])


def _inline_policy(iam: Any, role: str) -> Document | None:
    try:
        found = iam.get_role_policy(RoleName=role, PolicyName=ROLE_POLICY_NAME)
    except ClientError as err:
        if err.response["Error"]["Code"] in ("NoSuchEntity", "NoSuchEntityException"):
            return None
        raise
    return _document(found.get("PolicyDocument"))


def _document(value: Any) -> Document | None:
    # botocore decodes IAM's URL-encoded policy documents into dicts; a string is decoded here just in case.
    if isinstance(value, str):
        loaded: Document = json.loads(value)
        return loaded
    return value if isinstance(value, dict) else None
