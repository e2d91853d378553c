"""Helpers for the IAM policy simulator (SimulateCustomPolicy / SimulatePrincipalPolicy).

The decision itself comes from :func:`hutch.policy.evaluate` -- the same code that enforces requests.
This module converts the simulator's typed ContextEntries into a request context and shapes a
decision into the simulator's EvaluationResult members.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hutch.policy.conditions.binary import parse_base64
from hutch.policy.conditions.boolean import parse_bool
from hutch.policy.conditions.dates import parse_date
from hutch.policy.conditions.ip import parse_address
from hutch.policy.conditions.numeric import parse_number
from hutch.policy.evaluate import AuthzRequest, Decision, MatchedStatement, NamedPolicy
from hutch.policy.positions import Position, position_of

_CHECKS: dict[str, Callable[[str], object | None]] = {
    "string": lambda v: v,
    "numeric": parse_number,
    "boolean": parse_bool,
    "ip": parse_address,
    "binary": parse_base64,
    "date": parse_date,
}
CONTEXT_KEY_TYPES = tuple(t for base in _CHECKS for t in (base, base + "List"))


class SimulationInputError(ValueError):
    """A ContextEntry IAM would refuse (the IAM handler answers InvalidInput)."""


def context_from_entries(entries: Sequence[Mapping[str, Any]]) -> dict[str, str | list[str]]:
    """ContextEntries (ContextKeyName, ContextKeyValues, ContextKeyType) -> engine context.

    Scalar types take exactly one value; ``...List`` types become multi-valued keys. Values are checked
    against their declared type and passed on as text, which the operators interpret.
    """
    context: dict[str, str | list[str]] = {}
    for entry in entries:
        name = entry.get("ContextKeyName")
        values = list(entry.get("ContextKeyValues") or [])
        key_type = entry.get("ContextKeyType")
        if not name or key_type not in CONTEXT_KEY_TYPES:
            raise SimulationInputError(f"Invalid context entry for key {name!r} of type {key_type!r}")
        is_list = key_type.endswith("List")
        check = _CHECKS[key_type[:-4] if is_list else key_type]
        for value in values:
            if not isinstance(value, str) or check(value) is None:
                raise SimulationInputError(
                    f"Context key {name} has a value that is not a valid {key_type}: {value!r}"
                )
        if is_list:
            context[name] = values
        elif len(values) == 1:
            context[name] = values[0]
        else:
            raise SimulationInputError(f"Context key {name} of type {key_type} takes exactly one value")
    return context


def statement_positions(policy: NamedPolicy, index: int) -> tuple[Position, Position] | None:
    """Start and end (line, column) of statement ``index`` in the policy text."""
    for statement in policy.policy.document.statements:
        if statement.index == index and statement.span is not None:
            text = policy.policy.text
            return position_of(text, statement.span[0]), position_of(text, statement.span[1])
    return None


def matched_statement_dict(
    matched: MatchedStatement,
    policies: Mapping[str, NamedPolicy],
    source_type: Callable[[MatchedStatement], str],
) -> dict[str, Any]:
    """One MatchedStatements member.

    ``source_type`` gives its SourcePolicyType ("user", "role", "resource", ...).
    """
    out: dict[str, Any] = {"SourcePolicyId": matched.policy_name, "SourcePolicyType": source_type(matched)}
    policy = policies.get(matched.policy_name)
    positions = statement_positions(policy, matched.statement_index) if policy else None
    if positions:
        start, end = positions
        out["StartPosition"] = {"Line": start.line, "Column": start.column}
        out["EndPosition"] = {"Line": end.line, "Column": end.column}
    return out


def evaluation_result(
    request: AuthzRequest,
    decision: Decision,
    policies: Sequence[NamedPolicy],
    source_type: Callable[[MatchedStatement], str],
) -> dict[str, Any]:
    """An EvaluationResult: EvalActionName, EvalResourceName, EvalDecision, MatchedStatements and
    MissingContextValues."""
    by_name = {p.name: p for p in policies}
    return {
        "EvalActionName": request.action,
        "EvalResourceName": request.resource,
        "EvalDecision": decision.eval_decision,
        "MatchedStatements": [
            matched_statement_dict(m, by_name, source_type) for m in decision.matched_statements
        ],
        "MissingContextValues": list(decision.missing_context_keys),
    }
