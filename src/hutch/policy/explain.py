"""Render a decision and its trace for people (plain text) and for machines (JSON-able dicts).

``hutch explain REQUEST_ID`` and the admin endpoint wrap these. The data is complete: principal,
action, resource, context values, every policy and statement considered, why each did or did not
apply (with variables shown substituted and failing conditions with both sides), and the decision.
"""

from __future__ import annotations

from typing import Any

from hutch.policy.evaluate import Decision
from hutch.policy.trace import ConditionTrace, EvaluationTrace, Outcome, StatementTrace


def _condition_dict(c: ConditionTrace) -> dict[str, Any]:
    return {
        "operator": c.operator,
        "key": c.key,
        "policyValues": list(c.policy_values),
        "resolvedValues": list(c.resolved_values),
        "contextValues": None if c.context_values is None else list(c.context_values),
        "result": c.result,
        "note": c.note,
    }


def _statement_dict(s: StatementTrace) -> dict[str, Any]:
    return {
        "index": s.index,
        "sid": s.sid,
        "effect": s.effect,
        "outcome": s.outcome.value,
        "detail": s.detail,
        "notAction" if s.action_negated else "action": list(s.action_patterns),
        "resources": [
            {"pattern": r.pattern, "resolved": r.resolved, "matched": r.matched} for r in s.resources
        ],
        "resourceNegated": s.resource_negated,
        "principal": s.principal_note,
        "conditions": [_condition_dict(c) for c in s.conditions],
    }


def trace_to_dict(trace: EvaluationTrace) -> dict[str, Any]:
    return {
        "principal": {"arn": trace.principal_arn, "kind": trace.principal_kind},
        "action": trace.action,
        "resource": trace.resource,
        "context": {k: (v if isinstance(v, str) else list(v)) for k, v in trace.context},
        "layers": [layer.value for layer in trace.layers_applied],
        "policies": [
            {
                "name": p.name,
                "layer": p.layer.value,
                "statements": [_statement_dict(s) for s in p.statements],
            }
            for p in trace.policies
        ],
        "summary": trace.summary,
    }


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    out: dict[str, Any] = {
        "allowed": decision.allowed,
        "effect": decision.effect,
        "deniedBy": decision.denied_by.value if decision.denied_by else None,
        "reason": decision.reason,
        "matchedStatements": [
            {
                "policy": m.policy_name,
                "layer": m.layer.value,
                "index": m.statement_index,
                "sid": m.sid,
                "effect": m.effect,
            }
            for m in decision.matched_statements
        ],
        "missingContextKeys": list(decision.missing_context_keys),
    }
    if decision.trace is not None:
        out["trace"] = trace_to_dict(decision.trace)
    return out


def _format_values(values: tuple[str, ...] | tuple[str | None, ...] | None) -> str:
    if values is None:
        return "(absent)"
    return ", ".join("(no value)" if v is None else repr(v) for v in values) or "(empty)"


def _statement_lines(s: StatementTrace) -> list[str]:
    label = f"#{s.index}" + (f" ({s.sid})" if s.sid else "")
    mark = "APPLIES" if s.outcome is Outcome.APPLIED else "skipped"
    lines = [f"    statement {label} {s.effect}: {mark} - {s.detail}"]
    element = "NotAction" if s.action_negated else "Action"
    lines.append(f"      {element}: {', '.join(s.action_patterns)}")
    if s.principal_note:
        lines.append(f"      Principal: matched {s.principal_note}")
    for r in s.resources:
        shown = (
            r.pattern
            if r.resolved == r.pattern
            else f"{r.pattern} -> {r.resolved or '(variable has no value)'}"
        )
        element = "NotResource" if s.resource_negated else "Resource"
        lines.append(f"      {element}: {shown} [{'matches' if r.matched else 'no match'}]")
    for c in s.conditions:
        wanted = _format_values(c.resolved_values)
        lines.append(
            f"      Condition {c.operator} {c.key}: request {_format_values(c.context_values)} "
            f"vs policy {wanted} -> {str(c.result).lower()} ({c.note})"
        )
    return lines


def render_text(decision: Decision) -> str:
    """A readable explanation; needs a decision made with ``explain=True`` for the full detail."""
    trace = decision.trace
    if trace is None:
        return f"{decision.effect} {decision.reason}".strip()
    lines = [
        f"Principal: {trace.principal_arn} ({trace.principal_kind})",
        f"Action:    {trace.action}",
        f"Resource:  {trace.resource}",
        "Context:",
    ]
    lines += [f"  {k} = {v if isinstance(v, str) else list(v)}" for k, v in trace.context] or ["  (none)"]
    lines.append(
        "Policies considered (" + ", ".join(layer.value for layer in trace.layers_applied) + " layers):"
    )
    if not trace.policies:
        lines.append("  (none)")
    for policy in trace.policies:
        lines.append(f"  [{policy.layer.value}] {policy.name}")
        for statement in policy.statements:
            lines += _statement_lines(statement)
    if decision.missing_context_keys:
        lines.append(
            "Context keys the policies read but the request lacked: "
            + ", ".join(decision.missing_context_keys)
        )
    lines.append(f"Decision: {trace.summary}")
    return "\n".join(lines)
