"""Authorization of IAM's own operations: the action, the resource ARN and the condition keys IAM supplies.

The caller is authorized before hutch says whether the named entity exists, as IAM does, so a caller
without permission learns nothing from NoSuchEntity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hutch.operations import Call
from hutch.services.iam.model import Tags, role_arn, user_arn
from hutch.services.iam.service import IamService

Context = dict[str, str | Iterable[str]]


def iam(call: Call) -> IamService:
    service: IamService = call.rt.services["iam"]
    return service


def resource_tags(tags: Tags) -> Context:
    """aws:ResourceTag/<key> (and IAM's older iam:ResourceTag/<key>) for a user or role."""
    context: Context = {}
    for key, value in tags:
        context[f"aws:ResourceTag/{key}"] = value
        context[f"iam:ResourceTag/{key}"] = value
    return context


def request_tags(tags: Tags) -> Context:
    """aws:RequestTag/<key> and aws:TagKeys for operations that set tags."""
    context: Context = {f"aws:RequestTag/{key}": value for key, value in tags}
    if tags:
        context["aws:TagKeys"] = [key for key, _ in tags]
    return context


def authorize(call: Call, operation: str, resource: str, context: Context | None = None) -> None:
    call.authorize(f"iam:{operation}", resource, context=context or {})


def role(
    call: Call, operation: str, name: str, extra: Mapping[str, str | Iterable[str]] | None = None
) -> None:
    """Authorize ``operation`` on the role ``name`` (with its tags, when it exists)."""
    found = iam(call).roles.find(name)
    arn = found.arn if found else role_arn(call.account, "/", name)
    context = resource_tags(found.tags) if found else {}
    authorize(call, operation, arn, {**context, **(extra or {})})


def user(
    call: Call, operation: str, name: str, extra: Mapping[str, str | Iterable[str]] | None = None
) -> None:
    found = iam(call).users.find(name)
    arn = found.arn if found else user_arn(call.account, "/", name)
    context = resource_tags(found.tags) if found else {}
    authorize(call, operation, arn, {**context, **(extra or {})})


def account_resource(call: Call, kind: str) -> str:
    """The resource list operations are authorized on, e.g. arn:aws:iam::123456789012:role/*."""
    return f"arn:aws:iam::{call.account}:{kind}/*"
