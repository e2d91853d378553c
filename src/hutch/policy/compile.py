"""Turn a parsed policy into matchers, once per distinct document (cached by text + kind).

Compilation lower-cases action patterns, splits resource ARNs into parts, parses variables and
condition values, and indexes statements by action lazily, so a repeat decision for the same policy
touches only the statements that can apply to the requested action.
"""

from __future__ import annotations

from functools import lru_cache

from hutch.policy.arn import ArnPattern
from hutch.policy.conditions import KeyCondition, parse_operator
from hutch.policy.context import RequestContext
from hutch.policy.document import Policy, PolicyKind, Statement, parse_policy
from hutch.policy.principal import CompiledPrincipal, PrincipalMatch, RequestPrincipal
from hutch.policy.trace import Outcome, ResourceTrace, StatementTrace
from hutch.policy.variables import parse_template
from hutch.policy.wildcard import Glob

_ACTION_INDEX_LIMIT = 4096


class CompiledStatement:
    __slots__ = (
        "_actions",
        "allow",
        "conditions",
        "key_spellings",
        "principal",
        "referenced_keys",
        "resource_negated",
        "resources",
        "statement",
    )

    def __init__(self, statement: Statement, variables: bool) -> None:
        self.statement = statement
        self.allow = statement.effect == "Allow"
        self._actions = tuple(Glob.from_text(a.lower()) for a in statement.actions)
        self.resource_negated = statement.resources_negated
        self.resources = tuple(
            ArnPattern(parse_template(r, variables=variables, wildcards=True)) for r in statement.resources
        )
        deny = not self.allow
        self.principal = CompiledPrincipal(statement.principal, deny=deny) if statement.principal else None
        self.conditions = tuple(
            KeyCondition(parse_operator(c.operator), c.key, c.values, variables=variables, deny=deny)
            for c in statement.conditions
        )
        spellings: dict[str, str] = {}
        for condition in self.conditions:
            spellings.setdefault(condition.lookup, condition.key)
            for template in condition.templates:
                for variable in template.variables:
                    spellings.setdefault(variable.lookup, variable.key)
        for pattern in self.resources:
            for variable in pattern.template.variables:
                spellings.setdefault(variable.lookup, variable.key)
        self.key_spellings = spellings
        # Ordered (first appearance in the statement) so MissingContextValues is stable.
        self.referenced_keys = tuple(spellings)

    def matches_action(self, action: str) -> bool:
        """``action`` is lower-cased; NotAction statements match every action they do not list."""
        hit = any(glob.match(action) for glob in self._actions)
        return hit != self.statement.actions_negated

    def matches_resource(self, resource: str, context: RequestContext) -> bool:
        if not self.resources:  # trust policies have no Resource element
            return True
        if not self.resource_negated:
            # Plain loops, not any()/all() over generators: this is the per-request hot path.
            for pattern in self.resources:  # noqa: SIM110
                if pattern.match(resource, context) is True:
                    return True
            return False
        results = [pattern.match(resource, context) for pattern in self.resources]
        # A pattern whose variable has no value matches no resource (IAM User Guide, "Policy variables
        # with no value"): a Deny's NotResource then excludes nothing. An Allow fails closed instead.
        if None in results and self.allow:
            return False
        return not any(result is True for result in results)

    def matches_conditions(self, context: RequestContext) -> bool:
        for condition in self.conditions:  # noqa: SIM110 - hot path, see matches_resource
            if not condition.evaluate(context):
                return False
        return True

    def match_principal(
        self, principal: RequestPrincipal, *, bounded: bool = False
    ) -> tuple[PrincipalMatch | None, str]:
        if self.principal is None:
            return PrincipalMatch.DIRECT, ""
        return self.principal.match(principal, bounded=bounded)

    def missing_keys(self, context: RequestContext) -> list[str]:
        missing: list[str] = []
        for key in self.referenced_keys:
            if context.raw(key) is None:
                missing.append(self.key_spellings[key])
        return missing

    def explain(
        self,
        action: str,
        resource: str,
        context: RequestContext,
        principal: RequestPrincipal,
        shown_action: str = "",
        *,
        bounded: bool = False,
    ) -> tuple[StatementTrace, PrincipalMatch | None]:
        """Check the statement step by step with the same matchers, recording why it (did not) apply.

        ``action`` is lower-cased for matching; ``shown_action`` is the request's spelling for the text.
        """
        statement = self.statement
        base = {
            "index": statement.index,
            "sid": statement.sid,
            "effect": statement.effect,
            "action_patterns": statement.actions,
            "action_negated": statement.actions_negated,
            "resource_negated": statement.resources_negated,
        }
        if not self.matches_action(action):
            verb = "lists" if statement.actions_negated else "does not list"
            element = "NotAction" if statement.actions_negated else "Action"
            return StatementTrace(
                outcome=Outcome.ACTION_MISMATCH,
                detail=f"{element} {verb} {shown_action or action}",
                **base,  # type: ignore[arg-type]
            ), None
        strength, principal_note = self.match_principal(principal, bounded=bounded)
        if strength is None:
            return StatementTrace(
                outcome=Outcome.PRINCIPAL_MISMATCH,
                detail=f"Principal does not name {principal.arn}"
                + (f" ({principal_note})" if principal_note else ""),
                principal_note=principal_note,
                **base,  # type: ignore[arg-type]
            ), None
        resources = tuple(
            ResourceTrace(p.source, p.resolved_text(context), p.match(resource, context) is True)
            for p in self.resources
        )
        if not self.matches_resource(resource, context):
            element = "NotResource" if statement.resources_negated else "Resource"
            return StatementTrace(
                outcome=Outcome.RESOURCE_MISMATCH,
                detail=f"{element} does not cover {resource}"
                if not statement.resources_negated
                else f"NotResource excludes {resource} (or has a variable without a value)",
                resources=resources,
                principal_note=principal_note,
                **base,  # type: ignore[arg-type]
            ), None
        conditions = tuple(c.explain(context) for c in self.conditions)
        if not all(c.result for c in conditions):
            failed = next(c for c in conditions if not c.result)
            return StatementTrace(
                outcome=Outcome.CONDITION_FAILED,
                detail=f"condition {failed.operator} on {failed.key} is false: {failed.note}",
                resources=resources,
                principal_note=principal_note,
                conditions=conditions,
                **base,  # type: ignore[arg-type]
            ), None
        return StatementTrace(
            outcome=Outcome.APPLIED,
            detail="statement applies",
            resources=resources,
            principal_note=principal_note,
            conditions=conditions,
            **base,  # type: ignore[arg-type]
        ), strength


class CompiledPolicy:
    """A validated policy and its compiled statements."""

    __slots__ = ("_by_action", "document", "statements")

    def __init__(self, document: Policy) -> None:
        self.document = document
        variables = document.variables_enabled
        self.statements = tuple(CompiledStatement(s, variables) for s in document.statements)
        self._by_action: dict[str, tuple[CompiledStatement, ...]] = {}

    @property
    def kind(self) -> PolicyKind:
        return self.document.kind

    @property
    def text(self) -> str:
        return self.document.text

    def for_action(self, action: str) -> tuple[CompiledStatement, ...]:
        """Statements whose Action/NotAction covers the lower-cased ``action``."""
        found = self._by_action.get(action)
        if found is None:
            found = tuple(s for s in self.statements if s.matches_action(action))
            if len(self._by_action) >= _ACTION_INDEX_LIMIT:
                self._by_action.clear()  # bounded: action names can come from callers (the simulator)
            self._by_action[action] = found
        return found


@lru_cache(maxsize=4096)
def compile_policy(text: str, kind: PolicyKind) -> CompiledPolicy:
    """Parse, validate and compile ``text``; repeated calls with the same text and kind are free."""
    return CompiledPolicy(parse_policy(text, kind))
