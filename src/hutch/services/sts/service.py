"""The STS service object: sessions as a credential source, and the role assumptions other code asks for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from hutch.services.sts import assume
from hutch.services.sts.sessions import PURGE_EVERY_SECONDS, IssuedCredentials, Sessions
from hutch.services.sts.web_identity import WebIdentityVerifier

if TYPE_CHECKING:
    from hutch.operations import Call
    from hutch.runtime import Runtime

WEB_IDENTITY_ACTION = "sts:AssumeRoleWithWebIdentity"
TAG_SESSION_ACTION = "sts:TagSession"


class StsService:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.sessions = Sessions(rt)
        self.web_identity = WebIdentityVerifier(rt)
        rt.credentials.add(self.sessions)
        rt.add_maintenance(self.sessions.purge, PURGE_EVERY_SECONDS)

    def assume_role_for_web_identity(
        self,
        role_arn: str,
        *,
        provider: str,
        session_name: str,
        context: Mapping[str, str | Sequence[str]],
        session_policies: Sequence[str] = (),
        tags: Mapping[str, str] | None = None,
        duration_seconds: int = 3600,
        subject: str | None = None,
        call: Call | None = None,
    ) -> IssuedCredentials:
        """Credentials for ``role_arn`` on behalf of a web identity already verified by the caller.

        The role's trust policy must allow ``{"Federated": provider}`` to perform
        sts:AssumeRoleWithWebIdentity (and sts:TagSession when ``tags`` are given) with ``context`` as the
        condition keys (e.g. cognito-identity.amazonaws.com:aud / :sub / :amr). Refusals are ServiceErrors:
        AccessDenied (role missing or trust says no) or ValidationError (duration). ``context`` also goes
        into every request the session signs. Pass ``call`` to have the trust decision recorded for
        ``hutch explain`` under its request id.
        """
        denied = assume.access_denied(f"Not authorized to perform {WEB_IDENTITY_ACTION}")
        role = assume.role_or_denied(self.rt, role_arn, denied)
        if not assume.MIN_DURATION <= duration_seconds <= role.max_session_duration:
            raise assume.validation_error(
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
            )
        keys = {k: v if isinstance(v, str) else tuple(v) for k, v in context.items()}
        sub = subject or _single(keys.get(f"{provider}:sub")) or session_name
        principal = assume.federated_principal(provider, sub)
        trust_context = dict(keys)
        trust_context.setdefault("aws:FederatedProvider", provider)
        trust_context["sts:RoleSessionName"] = session_name
        if call is not None:
            trust_context = {**self._request_keys(call), **trust_context}
        tags = dict(tags or {})
        trust_context.update(assume.tag_context(tags))
        actions = [WEB_IDENTITY_ACTION, TAG_SESSION_ACTION] if tags else [WEB_IDENTITY_ACTION]
        if not assume.trust_allows(self.rt, call, role, principal, actions, trust_context, None):
            raise denied
        session_keys = dict(keys)
        session_keys.setdefault("aws:FederatedProvider", provider)
        return self.sessions.issue(
            role_id=role.id,
            role_arn=role.arn,
            session_name=session_name,
            duration=timedelta(seconds=duration_seconds),
            session_policies=tuple(session_policies),
            context=session_keys,
            tags=tags,
            federated_provider=provider,
        )

    def _request_keys(self, call: Call) -> dict[str, str | tuple[str, ...]]:
        """The request's global keys (aws:SourceIp, aws:CurrentTime, ...) for a trust evaluation."""
        from hutch.access import Subject
        from hutch.policy import PolicySet, RequestPrincipal

        empty = Subject(RequestPrincipal.anonymous(), PolicySet(identity=None), {})
        return {
            k: v if isinstance(v, str) else tuple(v)
            for k, v in self.rt.access.request_context(call, empty).items()
        }


def _single(value: Any) -> str | None:
    return value if isinstance(value, str) else None
