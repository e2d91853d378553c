"""Evaluate one condition test the way a statement does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hutch.policy.conditions import KeyCondition, parse_operator
from hutch.policy.context import RequestContext


def holds(
    operator: str,
    key: str,
    values: Sequence[str] | str,
    context: Mapping[str, str | Sequence[str]],
    *,
    variables: bool = True,
    deny: bool = False,
) -> bool:
    """``deny`` evaluates the test as it appears in a Deny statement."""
    policy_values = [values] if isinstance(values, str) else list(values)
    condition = KeyCondition(parse_operator(operator), key, policy_values, variables=variables, deny=deny)
    result = condition.evaluate(RequestContext(context))
    # The explained path must agree with the fast path.
    assert condition.explain(RequestContext(context)).result is result
    return result
