"""Assuming a role: trust policy, duration bounds, session policies and tags, then a new session.

The trust policy is evaluated by the policy engine (``evaluate_trust``) like every other decision, and the
decision is recorded for ``hutch explain`` when there is a request to record it under.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from hutch.errors import ServiceError
from hutch.policy import (
    AuthzRequest,
    Decision,
    MalformedPolicyError,
    NamedPolicy,
    PolicyKind,
    PolicySet,
    RequestPrincipal,
    evaluate_trust,
    parse_policy,
    policy_size,
)
from hutch.policy import principal as engine_principal

if TYPE_CHECKING:
    from hutch.access import Subject
    from hutch.operations import Call
    from hutch.runtime import Runtime
    from hutch.services.iam.model import Role

DEFAULT_DURATION = 3600
CHAINED_MAX_DURATION = 3600
MIN_DURATION = 900
MAX_SESSION_POLICY_ARNS = 10
MAX_SESSION_TAGS = 50
# Session policies and tags are packed into the token; AWS's quota for the plaintext policy is 2,048
# characters, and PackedPolicySize reports the share of the packed space used.
PACKED_POLICY_LIMIT = 2048


def validation_error(message: str) -> ServiceError:
    return ServiceError("ValidationError", message, 400)


def access_denied(message: str) -> ServiceError:
    return ServiceError("AccessDenied", message, 403)


@dataclass(frozen=True)
class SessionRequest:
    """What a caller asked for beyond the role: validated session policies, tags and duration."""

    duration: timedelta
    session_policies: tuple[str, ...]
    tags: dict[str, str]
    packed_size: int | None  # percent, when session policies or tags were given


def role_or_denied(rt: Runtime, role_arn: str, denied: ServiceError) -> Role:
    """The role; a missing one is refused exactly like a trust policy that says no (nothing leaks)."""
    role: Role | None = rt.services["iam"].role_by_arn(role_arn)
    if role is None:
        raise denied
    return role


def session_request(
    rt: Runtime,
    role: Role,
    params: Mapping[str, Any],
    *,
    chained: bool,
) -> SessionRequest:
    """Check DurationSeconds, Policy, PolicyArns and Tags as STS does."""
    duration = params.get("DurationSeconds")
    seconds = DEFAULT_DURATION if duration is None else int(duration)
    if seconds < MIN_DURATION:
        raise validation_error(
            f"1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to satisfy "
            "constraint: Member must have value greater than or equal to 900"
        )
    if seconds > role.max_session_duration:
        raise validation_error(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )
    if chained and seconds > CHAINED_MAX_DURATION:
        raise validation_error(
            "The requested DurationSeconds exceeds the 1 hour session limit "
            "for roles assumed by role chaining."
        )
    policies: list[str] = []
    packed = 0
    text = params.get("Policy")
    if text:
        try:
            parse_policy(text, PolicyKind.IDENTITY)
        except MalformedPolicyError as exc:
            raise ServiceError("MalformedPolicyDocument", exc.reason, 400) from None
        packed += policy_size(text)
        policies.append(text)
    arns = [entry["arn"] for entry in params.get("PolicyArns") or ()]
    if len(arns) > MAX_SESSION_POLICY_ARNS:
        raise validation_error(
            f"1 validation error detected: Value at 'policyArns' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_SESSION_POLICY_ARNS}"
        )
    iam = rt.services["iam"]
    for arn in arns:
        document = iam.managed_policy_document(arn)
        if document is None:
            raise ServiceError(
                "InvalidParameterValue", f"Policy {arn} does not exist or is not attachable.", 400
            )
        packed += len(arn)
        policies.append(document)
    tags = session_tags(params.get("Tags"))
    packed += sum(len(k) + len(v) for k, v in tags.items())
    percent = math.ceil(packed * 100 / PACKED_POLICY_LIMIT) if (text or arns or tags) else None
    if percent is not None and percent > 100:
        raise ServiceError(
            "PackedPolicyTooLarge",
            f"Packed policy consumes {percent}% of allotted space, "
            "please use smaller policy for the session.",
            400,
        )
    return SessionRequest(timedelta(seconds=seconds), tuple(policies), tags, percent)


def session_tags(raw: Sequence[Mapping[str, str]] | None) -> dict[str, str]:
    tags: dict[str, str] = {}
    seen: set[str] = set()
    for entry in raw or ():
        key = str(entry["Key"])
        if key.lower() in seen:
            raise validation_error(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive."
            )
        seen.add(key.lower())
        tags[key] = str(entry.get("Value", ""))
    if len(tags) > MAX_SESSION_TAGS:
        raise validation_error(
            f"1 validation error detected: Value at 'tags' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_SESSION_TAGS}"
        )
    return tags


def tag_context(tags: Mapping[str, str]) -> dict[str, str | tuple[str, ...]]:
    context: dict[str, str | tuple[str, ...]] = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
    if tags:
        context["aws:TagKeys"] = tuple(tags)
    return context


def trust_allows(
    rt: Runtime,
    call: Call | None,
    role: Role,
    principal: RequestPrincipal,
    actions: Sequence[str],
    context: Mapping[str, str | tuple[str, ...]],
    caller: Subject | None,
) -> bool:
    """Does the role's trust policy admit ``principal`` for every one of ``actions`` (sts:AssumeRole,
    sts:TagSession, ...)? Each decision is recorded under the call's request id."""
    trust = NamedPolicy.from_text(f"trust policy of {role.arn}", role.trust_policy, PolicyKind.TRUST)
    layers = caller.policies if caller is not None else None
    for action in actions:
        request = AuthzRequest(principal, action, role.arn, context)
        decision = evaluate_trust(request, trust, layers)
        if call is not None:
            rt.access.record(call, request, decision, _explainer(request, trust, layers))
        if not decision.allowed:
            return False
    return True


def _explainer(request: AuthzRequest, trust: NamedPolicy, layers: PolicySet | None) -> Callable[[], Decision]:
    return lambda: evaluate_trust(request, trust, layers, explain=True)


def federated_principal(provider: str, subject: str) -> RequestPrincipal:
    return RequestPrincipal(
        f"{provider}:{subject}", "", engine_principal.FEDERATED_WEB_IDENTITY, {"Federated": (provider,)}
    )
