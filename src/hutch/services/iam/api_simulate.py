"""The policy simulator: SimulateCustomPolicy and SimulatePrincipalPolicy, decided by the enforcing engine.

Every (action, resource) pair is evaluated by :func:`hutch.policy.evaluate` -- the function that decides
real requests -- with the policy layers the caller names (or the principal's own) and the ContextEntries
as the request context. The simulated caller is never treated as the root user: a simulation answers what
the policies say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hutch.operations import Call, operation
from hutch.policy import (
    AuthzRequest,
    MalformedPolicyError,
    MatchedStatement,
    NamedPolicy,
    PolicyKind,
    PolicySet,
    RequestPrincipal,
    evaluate,
)
from hutch.policy import principal as engine_principal
from hutch.policy.simulate import SimulationInputError, context_from_entries, evaluation_result
from hutch.services.iam import aws_managed, errors, guard
from hutch.services.iam.guard import iam
from hutch.services.iam.model import EntityPolicies
from hutch.services.iam.validation import paginate

Params = dict[str, Any]
Result = dict[str, Any]


def _compile(name: str, text: str, kind: PolicyKind) -> NamedPolicy:
    try:
        return NamedPolicy.from_text(name, text, kind)
    except MalformedPolicyError as exc:
        raise errors.invalid_input(f"Invalid policy {name}: {exc.reason}") from None


def _inputs(prefix: str, texts: Sequence[str] | None, kind: PolicyKind) -> list[NamedPolicy]:
    return [_compile(f"{prefix}.{i + 1}", text, kind) for i, text in enumerate(texts or ())]


def _caller(arn: str | None, account: str) -> RequestPrincipal:
    """The principal a resource policy is matched against (CallerArn, or the simulated user/role)."""
    if not arn:
        return RequestPrincipal(
            f"arn:aws:iam::{account}:user/simulated-caller", account, engine_principal.USER
        )
    if ":assumed-role/" in arn:
        parts = arn.split(":", 5)
        role_name = parts[5].split("/")[1] if len(parts) == 6 and parts[5].count("/") >= 2 else ""
        role = f"arn:aws:iam::{parts[4] if len(parts) == 6 else account}:role/{role_name}"
        return RequestPrincipal(arn, account, engine_principal.ASSUMED_ROLE, {"AWS": (arn, role)})
    if ":role/" in arn:
        return RequestPrincipal(arn, account, engine_principal.ASSUMED_ROLE, {"AWS": (arn,)})
    return RequestPrincipal(arn, account, engine_principal.USER, {"AWS": (arn,)})


def _simulate(
    call: Call,
    params: Params,
    principal: RequestPrincipal,
    identity: list[NamedPolicy],
    boundary: list[NamedPolicy] | None,
    source_types: Mapping[str, str],
) -> Result:
    try:
        context = context_from_entries(params.get("ContextEntries") or [])
    except SimulationInputError as exc:
        raise errors.invalid_input(str(exc)) from None
    resource: list[NamedPolicy] = []
    if params.get("ResourcePolicy"):
        resource.append(_compile("ResourcePolicy", params["ResourcePolicy"], PolicyKind.RESOURCE))
    policies = PolicySet(identity=tuple(identity), boundary=boundary, resource=tuple(resource))
    every = [*identity, *(boundary or ()), *resource]

    def source_type(matched: MatchedStatement) -> str:
        return source_types.get(
            matched.policy_name, "resource" if matched.policy_name == "ResourcePolicy" else "none"
        )

    results: list[dict[str, Any]] = []
    for action in params["ActionNames"]:
        for resource_arn in params.get("ResourceArns") or ["*"]:
            request = AuthzRequest(principal, action, resource_arn, context)
            decision = evaluate(request, policies)
            results.append(evaluation_result(request, decision, every, source_type))
    numbered = list(enumerate(results))
    page, more = paginate(numbered, params, lambda pair: f"{pair[0]:08d}")
    return {"EvaluationResults": [result for _, result in page], **more}


@operation("iam", "SimulateCustomPolicy")
def simulate_custom_policy(call: Call, params: Params) -> Result:
    guard.authorize(call, "SimulateCustomPolicy", "*")
    identity = _inputs("PolicyInputList", params["PolicyInputList"], PolicyKind.IDENTITY)
    boundary_texts = params.get("PermissionsBoundaryPolicyInputList")
    boundary = _inputs("PermissionsBoundaryPolicyInputList", boundary_texts, PolicyKind.IDENTITY) or None
    if params.get("ResourcePolicy") and not params.get("CallerArn"):
        raise errors.invalid_input("CallerArn must be specified when a ResourcePolicy is simulated.")
    types = {p.name: "IAM Policy" for p in [*identity, *(boundary or ())]}
    return _simulate(call, params, _caller(params.get("CallerArn"), call.account), identity, boundary, types)


@operation("iam", "SimulatePrincipalPolicy")
def simulate_principal_policy(call: Call, params: Params) -> Result:
    source = params["PolicySourceArn"]
    guard.authorize(call, "SimulatePrincipalPolicy", source)
    service = iam(call)
    own = f"arn:aws:iam::{call.account}:"
    kind = source[len(own) :].split("/", 1)[0] if source.startswith(own) else ""
    name = source.rsplit("/", 1)[-1]
    found: EntityPolicies | None
    if kind == "user":
        user = service.users.get(name)
        found, entity_type, principal_arn = service.user_policies(user.id), "user", user.arn
    elif kind == "role":
        role = service.roles.get(name)
        found, entity_type, principal_arn = service.role_policies(role.id), "role", role.arn
    else:
        raise errors.invalid_input(f"ARN {source} is not valid.")
    if found is None:  # deleted between the two reads
        raise errors.no_such_entity(f"The {entity_type} with name {name} cannot be found.")
    excluded = set(params.get("PolicyExclusionList") or ())
    identity: list[NamedPolicy] = []
    types: dict[str, str] = {}
    for inline in found.inline:
        if inline.name not in excluded:
            identity.append(_compile(inline.name, inline.document, PolicyKind.IDENTITY))
            types[inline.name] = entity_type
    for arn, document in found.managed:
        if arn not in excluded:
            identity.append(_compile(arn, document, PolicyKind.IDENTITY))
            types[arn] = "aws-managed" if aws_managed.is_aws_managed(arn) else "user-managed"
    extra = _inputs("PolicyInputList", params.get("PolicyInputList"), PolicyKind.IDENTITY)
    identity += extra
    types.update({p.name: "IAM Policy" for p in extra})
    boundary_inputs = params.get("PermissionsBoundaryPolicyInputList")
    boundary: list[NamedPolicy] | None
    if boundary_inputs:  # given boundaries replace the principal's own, as IAM's simulator does
        boundary = _inputs("PermissionsBoundaryPolicyInputList", boundary_inputs, PolicyKind.IDENTITY)
        types.update({p.name: "IAM Policy" for p in boundary})
    elif found.boundary is not None:
        arn, document = found.boundary
        boundary = [_compile(arn, document, PolicyKind.IDENTITY)] if document else []
        types[arn] = "aws-managed" if aws_managed.is_aws_managed(arn) else "user-managed"
    else:
        boundary = None
    principal = _caller(params.get("CallerArn") or principal_arn, call.account)
    return _simulate(call, params, principal, identity, boundary, types)
