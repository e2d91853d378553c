"""What the engine looked at and why: the data behind ``hutch explain`` and the policy simulator.

A trace is built only when asked for (``evaluate(..., explain=True)``); the decision itself never
depends on it -- both paths call the same matchers, and the tests check they agree.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Layer(enum.Enum):
    """The policy types of a single-account evaluation, named as AWS names them in AccessDenied."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    BOUNDARY = "boundary"
    SESSION = "session"

    @property
    def article_name(self) -> str:
        return {
            Layer.IDENTITY: "an identity-based policy",
            Layer.RESOURCE: "a resource-based policy",
            Layer.BOUNDARY: "a permissions boundary",
            Layer.SESSION: "a session policy",
        }[self]

    @property
    def plain_name(self) -> str:
        return {
            Layer.IDENTITY: "identity-based policy",
            Layer.RESOURCE: "resource-based policy",
            Layer.BOUNDARY: "permissions boundary",
            Layer.SESSION: "session policy",
        }[self]


class Outcome(enum.Enum):
    """Why a statement did or did not apply to the request."""

    APPLIED = "applied"
    ACTION_MISMATCH = "action-mismatch"
    RESOURCE_MISMATCH = "resource-mismatch"
    PRINCIPAL_MISMATCH = "principal-mismatch"
    CONDITION_FAILED = "condition-failed"


@dataclass(frozen=True, slots=True)
class ConditionTrace:
    """One (operator, key) test: what the request had, what the policy wanted, and the result."""

    operator: str
    key: str
    policy_values: tuple[str, ...]
    # Policy values with variables substituted; None where a variable had no value.
    resolved_values: tuple[str | None, ...]
    # None when the key is absent from the request context.
    context_values: tuple[str, ...] | None
    result: bool
    note: str


@dataclass(frozen=True, slots=True)
class ResourceTrace:
    pattern: str
    resolved: str | None  # None: a variable in the pattern had no value
    matched: bool


@dataclass(frozen=True, slots=True)
class StatementTrace:
    index: int
    sid: str | None
    effect: str
    outcome: Outcome
    detail: str
    action_patterns: tuple[str, ...]
    action_negated: bool
    resources: tuple[ResourceTrace, ...] = ()
    resource_negated: bool = False
    principal_note: str = ""
    conditions: tuple[ConditionTrace, ...] = ()

    @property
    def applied(self) -> bool:
        return self.outcome is Outcome.APPLIED


@dataclass(frozen=True, slots=True)
class PolicyTrace:
    name: str
    layer: Layer
    statements: tuple[StatementTrace, ...]


@dataclass(frozen=True, slots=True)
class EvaluationTrace:
    principal_arn: str
    principal_kind: str
    action: str
    resource: str
    context: tuple[tuple[str, str | tuple[str, ...]], ...]
    layers_applied: tuple[Layer, ...]
    policies: tuple[PolicyTrace, ...] = field(default_factory=tuple)
    summary: str = ""
