"""Authorization glue: the one place a call's policies and request context are gathered and decided.

For every authorization a handler asks for (``call.authorize`` / ``call.check``) this module

- turns the caller into a :class:`Subject`: the engine's ``RequestPrincipal``, the identity-side policy
  layers (a user's or role's inline + managed policies, its permissions boundary, a session's policies)
  and the condition keys that come with the principal (aws:username, aws:PrincipalTag/*, the
  identity-pool keys of a web-identity session, ...). Subjects are cached until the next IAM write;
- adds the per-request keys (aws:SourceIp, aws:CurrentTime, ...) and the operation's own (s3:prefix ...);
- asks :func:`hutch.policy.evaluate` (root is allowed unless a resource policy explicitly denies; anonymous
  callers only by resource policies; everyone else from implicit deny);
- records the decision on ``call.decisions`` and in ``rt.explain`` under the request id. The full trace
  is computed only when someone reads the record (``hutch explain``), by evaluating the same inputs again
  with ``explain=True``; the decision itself never waits for it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hutch.errors import ServiceError
from hutch.explain_words import UsernameLookup, cognito_sub_hint, plain_words
from hutch.policy import (
    AuthzRequest,
    Decision,
    MalformedPolicyError,
    NamedPolicy,
    PolicyKind,
    PolicySet,
    RequestPrincipal,
    access_denied_message,
    evaluate,
)
from hutch.policy import principal as engine_principal
from hutch.policy.explain import decision_to_dict, render_text

if TYPE_CHECKING:
    from hutch.auth.principal import Principal
    from hutch.operations import Call
    from hutch.runtime import Runtime

log = logging.getLogger("hutch.access")

ContextValues = dict[str, str | tuple[str, ...]]

_KINDS = {
    "root": engine_principal.ROOT,
    "user": engine_principal.USER,
    "assumed-role": engine_principal.ASSUMED_ROLE,
    "anonymous": engine_principal.ANONYMOUS,
}
_PRINCIPAL_TYPES = {
    "root": "Account",
    "user": "User",
    "assumed-role": "AssumedRole",
    "anonymous": "Anonymous",
}
# The error each protocol's clients expect for a denied request (code, HTTP status).
_DENIED = {"cognito-idp": ("AccessDeniedException", 400), "cognito-identity": ("AccessDeniedException", 400)}
MAX_SUBJECTS = 50_000


@dataclass(frozen=True)
class Subject:
    """A caller as the policy engine sees it."""

    principal: RequestPrincipal
    # The identity-side layers (identity, boundary, session); the resource layer is added per request.
    policies: PolicySet
    # Condition keys that come with the principal: aws:userid, aws:PrincipalTag/..., session keys.
    context: Mapping[str, str | tuple[str, ...]]


def iso8601(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Access:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._subjects: dict[tuple[str, str, str], tuple[int, Subject]] = {}
        self._lock = threading.Lock()
        self._clock_cache: tuple[int, str, str] = (-1, "", "")

    # ---- what handlers call ----------------------------------------------------------------------------

    def decide(
        self,
        call: Call,
        action: str,
        resource: str,
        *,
        context: Mapping[str, str | Iterable[str]] | None = None,
        resource_policies: Iterable[tuple[str, str]] = (),
        resource_account: str | None = None,
        purpose: str | None = None,
    ) -> Decision:
        """Decide ``action`` on ``resource`` for the call's principal, and record the decision (with
        ``purpose``, when the service asked it on the way to something else: see ``Call.check``).

        hutch serves one account, so every resource is in the caller's account and ``resource_account`` only
        documents intent (the engine applies same-account rules).
        """
        return self._evaluate(call, action, resource, context, resource_policies, purpose)[1]

    def require(
        self,
        call: Call,
        action: str,
        resource: str,
        *,
        context: Mapping[str, str | Iterable[str]] | None = None,
        resource_policies: Iterable[tuple[str, str]] = (),
        resource_account: str | None = None,
    ) -> Decision:
        """Like decide, but a denial raises the protocol's AccessDenied error."""
        request, decision = self._evaluate(call, action, resource, context, resource_policies)
        if not decision.allowed:
            raise self.denied(call, request, decision)
        return decision

    def _evaluate(
        self,
        call: Call,
        action: str,
        resource: str,
        context: Mapping[str, str | Iterable[str]] | None,
        resource_policies: Iterable[tuple[str, str]],
        purpose: str | None = None,
    ) -> tuple[AuthzRequest, Decision]:
        subject = self.subject(call.principal)
        request = AuthzRequest(
            subject.principal, action, resource, self.request_context(call, subject, context)
        )
        policies = subject.policies
        resource_policies = tuple(resource_policies)
        if resource_policies:
            try:
                resources = tuple(
                    NamedPolicy.from_text(name, text, PolicyKind.RESOURCE) for name, text in resource_policies
                )
            except MalformedPolicyError as exc:
                # A stored resource policy that no longer parses cannot be trusted to deny what it meant to.
                log.error("resource policy for %s does not parse (%s); denying", resource, exc.reason)
                resources = (_DENY_ALL,)
            policies = PolicySet(policies.identity, policies.boundary, policies.session, resources)
        decision = evaluate(request, policies)
        self.record(call, request, decision, lambda: evaluate(request, policies, explain=True), purpose)
        return request, decision

    def require_admin(self, principal: Principal, action: str, request_id: str) -> None:
        """hutch's own endpoints (/_hutch/explain ...): actions ``hutch:<Name>`` on ``*``."""
        if principal.is_root:
            return
        subject = self.subject(principal)
        context: ContextValues = dict(subject.context)
        context["aws:CurrentTime"], context["aws:EpochTime"] = self._clock()
        request = AuthzRequest(subject.principal, action, "*", context)
        decision = evaluate(request, subject.policies)
        if not decision.allowed:
            raise ServiceError("AccessDenied", access_denied_message(request, decision), 403)

    # ---- the parts, for STS (trust evaluation) and the simulator ---------------------------------------

    def subject(self, principal: Principal) -> Subject:
        key = (principal.kind, principal.arn, principal.access_key_id or "")
        generation = self._iam_generation()
        cached = self._subjects.get(key)
        if cached is not None and cached[0] == generation:
            return cached[1]
        subject = self._build_subject(principal)
        if self._iam_generation() == generation:
            with self._lock:
                if len(self._subjects) >= MAX_SUBJECTS:
                    self._subjects.clear()
                self._subjects[key] = (generation, subject)
        return subject

    def request_context(
        self, call: Call, subject: Subject, extra: Mapping[str, str | Iterable[str]] | None = None
    ) -> ContextValues:
        """The principal's keys, the request's global keys (aws:SourceIp ...), then the operation's."""
        context: ContextValues = dict(subject.context)
        context["aws:CurrentTime"], context["aws:EpochTime"] = self._clock()
        context["aws:SourceIp"] = call.http.client_ip
        context["aws:SecureTransport"] = "true" if call.http.scheme == "https" else "false"
        context["aws:RequestedRegion"] = call.region
        context["aws:ViaAWSService"] = "false"
        for key, value in (extra or {}).items():
            context[key] = value if isinstance(value, str) else tuple(value)
        return context

    def record(
        self,
        call: Call,
        request: AuthzRequest,
        decision: Decision,
        explained: Callable[[], Decision],
        purpose: str | None = None,
    ) -> None:
        """Keep the decision for ``hutch explain``: a summary now, the full trace when it is read."""
        call.decisions.append(decision)
        entry = _Explanation(call, request, decision, explained, self._username_for_sub, purpose)
        self.rt.explain.record(call.request_id, entry, denied=not decision.allowed)

    def _username_for_sub(self, pool_id: str, sub: str) -> str | None:
        idp = self.rt.services.get("cognito_idp")
        try:
            return idp.username_for_sub(pool_id, sub) if idp is not None else None
        except Exception:  # an explanation must never fail for want of a name
            log.debug("no username for %s in %s", sub, pool_id, exc_info=True)
            return None

    def denied(self, call: Call, request: AuthzRequest, decision: Decision) -> ServiceError:
        """The AccessDenied error for ``call``'s protocol, worded as AWS words it."""
        code, status = _DENIED.get(call.service, ("AccessDenied", 403))
        if call.service == "s3" and call.principal.is_anonymous:
            return ServiceError(code, "Access Denied", status)
        message = access_denied_message(request, decision, quote_resource=call.service == "s3")
        return ServiceError(code, message, status)

    def _clock(self) -> tuple[str, str]:
        """aws:CurrentTime and aws:EpochTime, formatted once per second rather than once per decision."""
        now = self.rt.now()
        epoch = int(now.timestamp())
        cached = self._clock_cache
        if cached[0] != epoch:
            cached = (epoch, iso8601(now), str(epoch))
            self._clock_cache = cached
        return cached[1], cached[2]

    # ---- building subjects -----------------------------------------------------------------------------

    def _iam_generation(self) -> int:
        iam = self.rt.services.get("iam")
        return int(iam.generation) if iam is not None else 0

    def _build_subject(self, principal: Principal) -> Subject:
        kind = principal.kind
        if kind == "anonymous":
            return Subject(
                RequestPrincipal.anonymous(),
                PolicySet(identity=None),
                {"aws:userid": "anonymous", "aws:PrincipalType": "Anonymous"},
            )
        context: ContextValues = {
            "aws:userid": principal.user_id,
            "aws:PrincipalAccount": principal.account,
            "aws:PrincipalType": _PRINCIPAL_TYPES[kind],
        }
        identifiers = [principal.arn]
        if kind == "root":
            context["aws:PrincipalArn"] = principal.arn
            policies = PolicySet(identity=())
        elif kind == "user":
            context["aws:PrincipalArn"] = principal.arn
            context["aws:username"] = principal.name or principal.arn.rsplit("/", 1)[-1]
            policies, tags = self._user_layers(principal)
            _add_tags(context, tags)
        else:
            session = principal.session
            if session is None:
                raise ValueError(f"assumed-role principal {principal.arn} has no session")
            identifiers.append(session.role_arn)
            context["aws:PrincipalArn"] = session.role_arn
            context["aws:TokenIssueTime"] = iso8601(session.issued_at)
            context["aws:MultiFactorAuthPresent"] = "false"
            if session.source_identity:
                context["aws:SourceIdentity"] = session.source_identity
            if session.federated_provider:
                context["aws:FederatedProvider"] = session.federated_provider
            policies, role_tags = self._role_layers(principal)
            # Session tags win over the role's tags with the same key.
            _add_tags(context, {**role_tags, **dict(session.tags)})
            for key, value in session.context.items():
                context[key] = value if isinstance(value, str) else tuple(value)
        request_principal = RequestPrincipal(
            principal.arn, principal.account, _KINDS[kind], {"AWS": tuple(identifiers)}
        )
        return Subject(request_principal, policies, context)

    def _user_layers(self, principal: Principal) -> tuple[PolicySet, dict[str, str]]:
        iam = self.rt.services.get("iam")
        found = iam.user_policies(principal.user_id) if iam is not None else None
        if found is None:
            return PolicySet(identity=()), {}
        return _layers(found, ()), dict(found.tags)

    def _role_layers(self, principal: Principal) -> tuple[PolicySet, dict[str, str]]:
        session = principal.session
        assert session is not None
        iam = self.rt.services.get("iam")
        found = iam.role_policies(session.role_id) if iam is not None else None
        session_policies = tuple(
            NamedPolicy.from_text(f"session policy {i + 1}", text, PolicyKind.IDENTITY)
            for i, text in enumerate(session.session_policies)
        )
        if found is None:  # the role is gone: its sessions keep nothing
            return PolicySet(identity=(), session=session_policies or None), {}
        return _layers(found, session_policies), dict(found.tags)


def _layers(found: Any, session_policies: tuple[NamedPolicy, ...]) -> PolicySet:
    """An EntityPolicies (from IAM) → the engine's identity, boundary and session layers."""
    identity = [NamedPolicy.from_text(p.name, p.document, PolicyKind.IDENTITY) for p in found.inline]
    identity += [NamedPolicy.from_text(arn, doc, PolicyKind.IDENTITY) for arn, doc in found.managed]
    boundary = None
    if found.boundary is not None:
        arn, document = found.boundary
        boundary = (NamedPolicy.from_text(arn, document, PolicyKind.IDENTITY),) if document else ()
    return PolicySet(identity=tuple(identity), boundary=boundary, session=session_policies or None)


def _add_tags(context: ContextValues, tags: Mapping[str, str]) -> None:
    for key, value in tags.items():
        context[f"aws:PrincipalTag/{key}"] = value


# One lock for materializing records: rare (someone ran `hutch explain`), so contention does not matter.
_RECORD_LOCK = threading.Lock()

_DENY_ALL = NamedPolicy.from_text(
    "unreadable resource policy",
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}',
    PolicyKind.RESOURCE,
)


class _Explanation(dict[str, Any]):
    """An explain record that is filled in when it is first read.

    ``explained`` re-evaluates the very same request and policies with ``explain=True``, so the trace
    shows exactly why this decision came out as it did, and a request that nobody asks about never pays
    for it. Reading any key (or serializing the record) materializes it.
    """

    __slots__ = ("_call", "_decision", "_explained", "_lock", "_purpose", "_request", "_usernames")

    def __init__(
        self,
        call: Call,
        request: AuthzRequest,
        decision: Decision,
        explained: Callable[[], Decision],
        usernames: UsernameLookup | None = None,
        purpose: str | None = None,
    ) -> None:
        # Never empty: json's C encoder answers "{}" for an empty dict without asking for its items.
        super().__init__(action=request.action)
        self._call: tuple[str, str] = (call.service, call.operation)
        self._request = request
        self._decision = decision
        self._explained: Callable[[], Decision] | None = explained
        self._lock = _RECORD_LOCK
        self._usernames = usernames
        self._purpose = purpose

    def _materialize(self) -> None:
        with self._lock:
            explained = self._explained
            if explained is None:
                return
            self._explained = None
            full = explained()
            request = self._request
            purpose = self._purpose
            # A question asked on the way (see Call.check) is not where a wrong folder name shows.
            hint = cognito_sub_hint(request, self._decision) if purpose is None else None
            summary = full.trace.summary if full.trace is not None else f"{full.effect} {full.reason}"
            text = render_text(full)
            if hint:
                summary = f"{summary}. {hint}"  # still one line
                text = f"{text}\n{hint}"
            # Plain words, for people: who may do what, and what this request did instead.
            words = plain_words(request, full, self._usernames, pitfalls=purpose is None)
            if purpose is not None:
                summary = f"{purpose} {summary}"
                text = f"{purpose}\n{text}"
                words = f"{purpose} {words}".strip()
            dict.update(
                self,
                service=self._call[0],
                operation=self._call[1],
                principal=request.principal.arn,
                action=request.action,
                resource=request.resource,
                allowed=full.allowed,
                effect=full.effect,
                summary=summary,
                words=words,
                text=text,
                trace=decision_to_dict(full),
            )

    def __getitem__(self, key: str) -> Any:
        self._materialize()
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._materialize()
        return super().get(key, default)

    def items(self) -> Any:
        self._materialize()
        return super().items()

    def keys(self) -> Any:
        self._materialize()
        return super().keys()

    def values(self) -> Any:
        self._materialize()
        return super().values()

    def __iter__(self) -> Iterator[str]:
        self._materialize()
        return super().__iter__()

    def __len__(self) -> int:
        self._materialize()
        return super().__len__()

    def __contains__(self, key: object) -> bool:
        self._materialize()
        return super().__contains__(key)
