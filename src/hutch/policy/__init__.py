"""hutch.policy -- the one IAM policy engine: S3 requests, IAM/STS calls, trust policies, the simulator.

Pure Python, no I/O. Glue code collects the policies (``PolicySet`` of ``NamedPolicy``) and the request
(``AuthzRequest`` with a ``RequestPrincipal`` and its context) and calls ``evaluate`` or, for role
trust policies, ``evaluate_trust``. ``explain=True`` adds a trace that ``hutch.policy.explain``
renders as text or JSON-able dicts.
"""

from __future__ import annotations

from hutch.policy.compile import CompiledPolicy, compile_policy
from hutch.policy.context import ContextValue, RequestContext
from hutch.policy.document import Policy, PolicyKind, parse_policy
from hutch.policy.errors import MalformedPolicyError, PolicySizeExceededError
from hutch.policy.evaluate import (
    ALLOW,
    EXPLICIT_DENY,
    IMPLICIT_DENY,
    AuthzRequest,
    Decision,
    MatchedStatement,
    NamedPolicy,
    PolicySet,
    access_denied_message,
    evaluate,
    evaluate_trust,
)
from hutch.policy.principal import RequestPrincipal
from hutch.policy.trace import EvaluationTrace, Layer
from hutch.policy.validate import check_policy_size, policy_size

__all__ = [
    "ALLOW",
    "EXPLICIT_DENY",
    "IMPLICIT_DENY",
    "AuthzRequest",
    "CompiledPolicy",
    "ContextValue",
    "Decision",
    "EvaluationTrace",
    "Layer",
    "MalformedPolicyError",
    "MatchedStatement",
    "NamedPolicy",
    "Policy",
    "PolicyKind",
    "PolicySet",
    "PolicySizeExceededError",
    "RequestContext",
    "RequestPrincipal",
    "access_denied_message",
    "check_policy_size",
    "compile_policy",
    "evaluate",
    "evaluate_trust",
    "parse_policy",
    "policy_size",
]
