"""The decision: is this principal allowed to perform this action on this resource?

Single-account evaluation as the IAM User Guide documents it ("Policy evaluation logic", "Permissions
boundaries", "Session policies"):

1. An explicit Deny that applies, in any policy of any layer, wins.
2. The account root user is allowed everything else.
3. A resource-based policy Allow that names the caller DIRECTLY (its user ARN, its role-session ARN,
   ``*``) allows the request even if identity policies, the permissions boundary or session policies
   do not.
4. Otherwise an identity-based Allow is needed -- or a resource-based Allow naming the caller's ROLE
   ARN, which joins the role's identity permissions before the session is created. A resource-based
   Allow that names only the caller's ACCOUNT delegates to the account and grants nothing by itself.
5. Those permissions are then intersected with the permissions boundary and the session policies,
   when those layers apply (``None`` = the layer does not apply; an empty list = it allows nothing).
6. Anything else is an implicit deny.

Trust policies (``evaluate_trust``) are resource-based policies that must allow explicitly: without
a trust-policy Allow for the caller nothing else counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from hutch.policy.compile import CompiledPolicy, compile_policy
from hutch.policy.context import ContextValue, RequestContext
from hutch.policy.document import PolicyKind, Statement
from hutch.policy.principal import ROOT, PrincipalMatch, RequestPrincipal
from hutch.policy.trace import EvaluationTrace, Layer, Outcome, PolicyTrace, StatementTrace

ALLOW = "Allow"
EXPLICIT_DENY = "ExplicitDeny"
IMPLICIT_DENY = "ImplicitDeny"


@dataclass(frozen=True, slots=True)
class NamedPolicy:
    """A policy as one layer holds it: a name or ARN (for traces and the simulator) and its document."""

    name: str
    policy: CompiledPolicy

    @classmethod
    def from_text(cls, name: str, text: str, kind: PolicyKind) -> NamedPolicy:
        return cls(name, compile_policy(text, kind))

    @property
    def kind(self) -> PolicyKind:
        return self.policy.kind


@dataclass(frozen=True, slots=True)
class PolicySet:
    """The policies that apply to one request, by layer."""

    identity: Sequence[NamedPolicy] | None = ()
    boundary: Sequence[NamedPolicy] | None = None
    session: Sequence[NamedPolicy] | None = None
    resource: Sequence[NamedPolicy] = ()


@dataclass(frozen=True, slots=True)
class AuthzRequest:
    principal: RequestPrincipal
    action: str  # "s3:GetObject"; compared case-insensitively
    resource: str  # an ARN (case-sensitive) or "*"
    context: Mapping[str, ContextValue] = field(default_factory=dict)


class MatchedStatement(NamedTuple):
    """A statement that applied (a NamedTuple: one is built per applied statement, on the hot path)."""

    policy_name: str
    layer: Layer
    statement_index: int  # position in the policy's Statement list
    sid: str | None
    effect: str
    span: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    effect: str  # ALLOW | EXPLICIT_DENY | IMPLICIT_DENY
    denied_by: Layer | None
    # The end of AWS's AccessDenied message: "because no identity-based policy allows the s3:PutObject
    # action", "with an explicit deny in a resource-based policy"; empty when allowed.
    reason: str
    matched_statements: tuple[MatchedStatement, ...]
    # Keys that statements for this action read but the request context lacked (as spelled in policy).
    missing_context_keys: tuple[str, ...]
    trace: EvaluationTrace | None = None

    @property
    def eval_decision(self) -> str:
        """The IAM simulator's EvalDecision: "allowed" | "explicitDeny" | "implicitDeny"."""
        return {ALLOW: "allowed", EXPLICIT_DENY: "explicitDeny", IMPLICIT_DENY: "implicitDeny"}[self.effect]


def access_denied_message(request: AuthzRequest, decision: Decision, *, quote_resource: bool = False) -> str:
    """ "User: ARN is not authorized to perform: ACTION on resource: ARN because ..." as AWS words it."""
    resource = f'"{request.resource}"' if quote_resource else request.resource
    who = request.principal.arn
    text = f"User: {who} is not authorized to perform: {request.action} on resource: {resource}"
    return f"{text} {decision.reason}" if decision.reason else text


def evaluate(request: AuthzRequest, policies: PolicySet, *, explain: bool = False) -> Decision:
    """Decide ``request`` against ``policies``; with ``explain`` the decision carries a full trace."""
    return _decide(request, policies, trust=False, explain=explain)


def evaluate_trust(
    request: AuthzRequest,
    trust_policy: NamedPolicy,
    caller: PolicySet | None = None,
    *,
    explain: bool = False,
) -> Decision:
    """May ``request.principal`` perform ``request.action`` (sts:AssumeRole, sts:AssumeRoleWithWebIdentity,
    sts:TagSession, ...) on the role whose trust policy this is?

    The trust policy is the role's resource-based policy and must allow the caller explicitly. When
    it names the caller directly (user ARN, role-session ARN, federated provider), that is enough;
    when it names the caller's account, the caller's own identity policies (``caller``, with its
    boundary and session layers) must allow the action too. Web-identity callers have no identity
    policies: pass ``caller=None``.
    """
    layers = caller or PolicySet(identity=None)
    policies = PolicySet(
        identity=layers.identity, boundary=layers.boundary, session=layers.session, resource=(trust_policy,)
    )
    return _decide(request, policies, trust=True, explain=explain)


# Slots of _Tally.allows, one per layer.
_RESOURCE, _IDENTITY, _BOUNDARY, _SESSION = range(4)


class _Tally:
    """What the statements said, layer by layer."""

    __slots__ = ("allowing", "allows", "deny_layer", "denying", "missing", "traces")

    def __init__(self, explain: bool) -> None:
        self.deny_layer: Layer | None = None
        # Strongest Allow per layer, indexed by layer slot (a list: hashing enums is slow).
        self.allows: list[int] = [0, 0, 0, 0]
        self.allowing: list[MatchedStatement] = []
        self.denying: list[MatchedStatement] = []
        self.missing: dict[str, None] = {}
        self.traces: list[PolicyTrace] | None = [] if explain else None


def _scan(
    tally: _Tally,
    layer: Layer,
    slot: int,
    named: NamedPolicy,
    request: AuthzRequest,
    action: str,
    context: RequestContext,
    bounded: bool,
) -> None:
    principal = request.principal
    resource = request.resource
    # A policy in a layer of the wrong kind -- an identity policy (which names no principal, so would
    # name everyone) as a resource policy, or a resource/trust policy as an identity policy -- keeps its
    # Deny statements but grants nothing there.
    grants = (named.kind is PolicyKind.IDENTITY) is (layer is not Layer.RESOURCE)
    if tally.traces is not None:
        statement_traces: list[StatementTrace] = []
        for statement in named.policy.statements:
            if statement.allow and not grants:
                statement_traces.append(_cannot_grant(statement.statement, named.kind, layer))
                continue
            trace, applied = statement.explain(
                action, resource, context, principal, request.action, bounded=bounded
            )
            statement_traces.append(trace)
            if trace.outcome not in (Outcome.ACTION_MISMATCH, Outcome.PRINCIPAL_MISMATCH):
                tally.missing.update(dict.fromkeys(statement.missing_keys(context)))
            if applied is not None:
                _record(tally, layer, slot, named, statement.statement, statement.allow, applied)
        tally.traces.append(PolicyTrace(named.name, layer, tuple(statement_traces)))
        return
    for statement in named.policy.for_action(action):
        if statement.allow and not grants:
            continue
        strength = PrincipalMatch.DIRECT
        if statement.principal is not None:
            named_as = statement.principal.match(principal, bounded=bounded)[0]
            if named_as is None:
                continue
            strength = named_as
        if statement.referenced_keys:
            missing = statement.missing_keys(context)
            if missing:
                tally.missing.update(dict.fromkeys(missing))
        if statement.matches_resource(resource, context) and statement.matches_conditions(context):
            _record(tally, layer, slot, named, statement.statement, statement.allow, strength)


def _cannot_grant(statement: Statement, kind: PolicyKind, layer: Layer) -> StatementTrace:
    return StatementTrace(
        index=statement.index,
        sid=statement.sid,
        effect=statement.effect,
        outcome=Outcome.PRINCIPAL_MISMATCH,
        detail=f"a policy of kind {kind.value} cannot grant as {layer.article_name}",
        action_patterns=statement.actions,
        action_negated=statement.actions_negated,
        resource_negated=statement.resources_negated,
    )


def _record(
    tally: _Tally,
    layer: Layer,
    slot: int,
    named: NamedPolicy,
    statement: Statement,
    allow: bool,
    strength: PrincipalMatch,
) -> None:
    matched = MatchedStatement(
        named.name, layer, statement.index, statement.sid, statement.effect, statement.span
    )
    if not allow:
        tally.denying.append(matched)
        if tally.deny_layer is None:
            tally.deny_layer = layer
    else:
        tally.allowing.append(matched)
        tally.allows[slot] = max(tally.allows[slot], strength)


def _decide(request: AuthzRequest, policies: PolicySet, *, trust: bool, explain: bool) -> Decision:
    context = RequestContext.of(request.context)
    action = request.action.lower()
    tally = _Tally(explain)
    layers: list[tuple[Layer, int, Sequence[NamedPolicy]]] = [(Layer.RESOURCE, _RESOURCE, policies.resource)]
    if policies.identity is not None:
        layers.append((Layer.IDENTITY, _IDENTITY, policies.identity))
    if policies.boundary is not None:
        layers.append((Layer.BOUNDARY, _BOUNDARY, policies.boundary))
    if policies.session is not None:
        layers.append((Layer.SESSION, _SESSION, policies.session))
    bounded = policies.boundary is not None  # the caller has a permissions boundary
    for layer, slot, named_policies in layers:
        for named in named_policies:
            _scan(tally, layer, slot, named, request, action, context, bounded)

    effect, denied_by, reason = _conclude(request, policies, tally, trust)
    if effect == ALLOW:
        matched = tuple(tally.allowing)
    elif effect == EXPLICIT_DENY:
        matched = tuple(tally.denying)
    else:
        matched = ()
    trace = None
    if tally.traces is not None:
        trace = EvaluationTrace(
            principal_arn=request.principal.arn,
            principal_kind=request.principal.kind,
            action=request.action,
            resource=request.resource,
            context=tuple(context.items_as_given()),
            layers_applied=tuple(layer for layer, _, _ in layers),
            policies=tuple(tally.traces),
            summary=_summary(effect, reason, request),
        )
    return Decision(effect == ALLOW, effect, denied_by, reason, matched, tuple(tally.missing), trace)


def _conclude(
    request: AuthzRequest, policies: PolicySet, tally: _Tally, trust: bool
) -> tuple[str, Layer | None, str]:
    action = request.action
    if tally.deny_layer is not None:
        return EXPLICIT_DENY, tally.deny_layer, f"with an explicit deny in {tally.deny_layer.article_name}"
    allows = tally.allows
    resource_grant = allows[_RESOURCE]
    if trust and not resource_grant:
        return IMPLICIT_DENY, Layer.RESOURCE, _no_allow(Layer.RESOURCE, action)
    if request.principal.kind == ROOT or resource_grant == PrincipalMatch.DIRECT:
        return ALLOW, None, ""
    if not allows[_IDENTITY] and resource_grant != PrincipalMatch.ROLE:
        layer = Layer.IDENTITY if policies.identity is not None else Layer.RESOURCE
        return IMPLICIT_DENY, layer, _no_allow(layer, action)
    if policies.boundary is not None and not allows[_BOUNDARY]:
        return IMPLICIT_DENY, Layer.BOUNDARY, _no_allow(Layer.BOUNDARY, action)
    if policies.session is not None and not allows[_SESSION]:
        return IMPLICIT_DENY, Layer.SESSION, _no_allow(Layer.SESSION, action)
    return ALLOW, None, ""


def _no_allow(layer: Layer, action: str) -> str:
    return f"because no {layer.plain_name} allows the {action} action"


def _summary(effect: str, reason: str, request: AuthzRequest) -> str:
    if effect == ALLOW:
        return f"Allowed: {request.principal.arn} may perform {request.action} on {request.resource}"
    kind = "Explicitly denied" if effect == EXPLICIT_DENY else "Implicitly denied"
    return f"{kind}: {request.principal.arn} may not perform {request.action} on {request.resource} {reason}"
