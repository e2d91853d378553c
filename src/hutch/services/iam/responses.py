"""IAM entities as the output shapes of botocore's IAM model (policy documents URL-encoded, as IAM sends)."""

from __future__ import annotations

from typing import Any

from hutch.services.iam import documents
from hutch.services.iam.model import AccessKey, ManagedPolicy, OidcProvider, PolicyVersion, Role, User
from hutch.services.iam.validation import tags_out


def _boundary(arn: str | None) -> dict[str, Any]:
    if arn is None:
        return {}
    return {"PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}}


def role(r: Role, *, detail: bool = True) -> dict[str, Any]:
    """A Role; ListRoles leaves out tags and the permissions boundary, as IAM does."""
    out: dict[str, Any] = {
        "Path": r.path,
        "RoleName": r.name,
        "RoleId": r.id,
        "Arn": r.arn,
        "CreateDate": r.created_at,
        "AssumeRolePolicyDocument": documents.encoded(r.trust_policy),
        "MaxSessionDuration": r.max_session_duration,
    }
    if r.description is not None:
        out["Description"] = r.description
    if detail:
        out.update(_boundary(r.boundary_arn))
        if r.tags:
            out["Tags"] = tags_out(r.tags)
        out["RoleLastUsed"] = {}
    return out


def user(u: User, *, detail: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Path": u.path,
        "UserName": u.name,
        "UserId": u.id,
        "Arn": u.arn,
        "CreateDate": u.created_at,
    }
    if detail:
        out.update(_boundary(u.boundary_arn))
        if u.tags:
            out["Tags"] = tags_out(u.tags)
    return out


def policy(p: ManagedPolicy, *, detail: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "PolicyName": p.name,
        "PolicyId": p.id,
        "Arn": p.arn,
        "Path": p.path,
        "DefaultVersionId": p.default_version_id,
        "AttachmentCount": p.attachment_count,
        "PermissionsBoundaryUsageCount": p.boundary_usage_count,
        "IsAttachable": True,
        "CreateDate": p.created_at,
        "UpdateDate": p.updated_at,
    }
    if detail:
        if p.description is not None:
            out["Description"] = p.description
        if p.tags:
            out["Tags"] = tags_out(p.tags)
    return out


def attached(p: ManagedPolicy) -> dict[str, Any]:
    return {"PolicyName": p.name, "PolicyArn": p.arn}


def policy_version(v: PolicyVersion, *, with_document: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "VersionId": v.version_id,
        "IsDefaultVersion": v.is_default,
        "CreateDate": v.created_at,
    }
    if with_document:
        out["Document"] = documents.encoded(v.document)
    return out


def access_key(k: AccessKey, *, with_secret: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "UserName": k.user_name,
        "AccessKeyId": k.access_key_id,
        "Status": k.status,
        "CreateDate": k.created_at,
    }
    if with_secret:
        out["SecretAccessKey"] = k.secret_access_key
    return out


def oidc_provider(p: OidcProvider) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Url": p.host_path,
        "ClientIDList": list(p.client_ids),
        "ThumbprintList": list(p.thumbprints),
        "CreateDate": p.created_at,
    }
    if p.tags:
        out["Tags"] = tags_out(p.tags)
    return out
