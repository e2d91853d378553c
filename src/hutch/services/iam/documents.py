"""Policy documents at IAM's door: validated by the policy engine's parser, returned URL-encoded."""

from __future__ import annotations

from urllib.parse import quote

from hutch.policy import validate as policy_validate
from hutch.policy.document import PolicyKind, parse_policy
from hutch.policy.errors import MalformedPolicyError, PolicySizeExceededError
from hutch.services.iam import errors


def check(text: str, kind: PolicyKind, quota: tuple[str, int] | None = None, *, managed: bool = False) -> str:
    """Validate ``text`` as IAM does (MalformedPolicyDocument / LimitExceeded) and return it unchanged.

    IAM keeps a document as the caller wrote it, whitespace and all, and returns that text. Managed policies
    must be Version 2012-10-17; inline ones may leave the Version out.
    """
    document = text
    if quota is not None:
        try:
            policy_validate.check_policy_size(document, *quota)
        except PolicySizeExceededError as exc:
            raise errors.limit_exceeded(exc.reason) from None
    try:
        parse_policy(document, kind, require_current_version=managed)
    except MalformedPolicyError as exc:
        raise errors.malformed_policy(exc.reason) from None
    return document


def size(text: str) -> int:
    return policy_validate.policy_size(text)


def encoded(text: str) -> str:
    """IAM returns policy documents URL-encoded; SDKs and the CLI decode them (botocore's policy handler)."""
    return quote(text, safe="-_.~")
