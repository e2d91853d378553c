"""One compiled condition test -- an operator applied to one key -- with AWS's rules for every operator.

- Several values for one key are ORed; for a negated operator a value must match *none* of them.
- A missing key (absent, or a multi-valued key with no values) makes a positive operator false and a
  negated operator true; ``...IfExists`` makes it true; ``ForAllValues:`` is true, ``ForAnyValue:``
  false (true with IfExists).
- ``ForAnyValue:`` -- at least one request value satisfies the operator; ``ForAllValues:`` -- every
  request value does. A negated operator's request value "satisfies" it when it matches no policy value.
- A multivalued key needs a set operator (IAM User Guide, "Single-valued vs. multivalued context keys"):
  in an Allow statement a bare operator on a multi-valued key never holds. In a Deny statement hutch
  keeps the stricter reading -- positive: some request value matches; negated: no request value does.
- Values that cannot be read -- a policy value the operator cannot interpret, a policy variable with no
  value, a request value the operator cannot interpret -- depend on the statement's effect:

  * Allow (``deny=False``): fail closed. An unreadable request value satisfies nothing, negated or not;
    an unreadable policy value or unresolved variable makes the whole test false.
  * Deny (``deny=True``): the value is null, as the User Guide describes a variable with no value
    ("Policy variables with no value"): it equals / is like nothing, so positive operators do not match
    it and negated operators do. A deny is therefore never skipped because of a value hutch could not
    read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hutch.policy.conditions.registry import FOR_ALL_VALUES, FOR_ANY_VALUE, ParsedOperator
from hutch.policy.context import ContextValue, RequestContext
from hutch.policy.trace import ConditionTrace
from hutch.policy.variables import LiteralPlan, Template, parse_template
from hutch.policy.wildcard import Literal, Prefix

_PLAN_OPERATORS = frozenset({"StringEquals", "StringNotEquals", "StringLike", "StringNotLike"})


class KeyCondition:
    __slots__ = (
        "_compiled",
        "_definition",
        "_has_variables",
        "_negated",
        "_plans",
        "deny",
        "if_exists",
        "key",
        "lookup",
        "operator",
        "qualifier",
        "templates",
        "values",
    )

    def __init__(
        self,
        operator: ParsedOperator,
        key: str,
        values: Sequence[str],
        *,
        variables: bool,
        deny: bool = False,
    ) -> None:
        definition = operator.definition
        self.deny = deny
        self.operator = operator
        self._definition = definition
        self._negated = definition.negated
        self.qualifier = operator.qualifier
        self.if_exists = operator.if_exists
        self.key = key
        self.lookup = key.lower()
        self.values = tuple(values)
        self.templates: tuple[Template, ...] = tuple(
            parse_template(v, variables=variables and definition.variables, wildcards=definition.wildcards)
            for v in self.values
        )
        self._has_variables = any(t.has_variables for t in self.templates)
        # Static values compile once; None marks a policy value the operator cannot read.
        self._compiled: tuple[Any, ...] | None = None
        if not self._has_variables:
            self._compiled = tuple(definition.compile(t.static_tokens()) for t in self.templates)
        # Per-user string values ("home/${aws:username}/*") need no glob: text, ==, startswith.
        self._plans: tuple[LiteralPlan, ...] | None = None
        if self._has_variables and definition.name in _PLAN_OPERATORS:
            plans = tuple(t.literal_plan() for t in self.templates)
            if all(p is not None for p in plans):
                self._plans = plans  # type: ignore[assignment]

    @property
    def invalid_policy_values(self) -> tuple[str, ...]:
        """Static policy values the operator cannot read (IAM refuses such Date values)."""
        if self._compiled is None:
            return ()
        return tuple(v for v, c in zip(self.values, self._compiled, strict=True) if c is None)

    @property
    def variable_keys(self) -> frozenset[str]:
        return frozenset(v.lookup for t in self.templates for v in t.variables)

    def _policy_values(self, context: RequestContext) -> tuple[Any, ...] | None:
        if self._plans is not None:
            return self._plan_values(context)
        compiled = self._compiled
        if compiled is None:
            out = []
            for template in self.templates:
                tokens = template.substitute(context, merge=False)
                out.append(None if tokens is None else self._definition.compile(tokens))
            compiled = tuple(out)
        if None in compiled:
            # Deny: an unreadable value is null and matches nothing; Allow: the test fails closed.
            return tuple(c for c in compiled if c is not None) if self.deny else None
        return compiled

    def _plan_values(self, context: RequestContext) -> tuple[Any, ...] | None:
        like = self._definition.wildcards
        out: list[Any] = []
        for plan in self._plans or ():
            text = plan.render(context)
            if text is None:
                if self.deny:
                    continue
                return None
            if not like:
                out.append(text)
            else:
                out.append(Prefix(text) if plan.trailing_star else Literal(text))
        return tuple(out)

    def evaluate(self, context: RequestContext) -> bool:
        raw = context.raw(self.lookup)
        if self._plans is not None and type(raw) is str:
            return self._evaluate_plans(raw, context)
        definition = self._definition
        if definition.existence:
            return self._evaluate_null(raw)
        policy = self._policy_values(context)
        if policy is None:
            return False
        if raw is None or (not raw and not isinstance(raw, str)):
            if self.qualifier == FOR_ALL_VALUES:
                return True
            if self.qualifier == FOR_ANY_VALUE:
                return self.if_exists
            return self.if_exists or self._negated
        if isinstance(raw, str):
            return self._satisfies(raw, policy)
        if self.qualifier is None and not self.deny:
            return False  # a multivalued key needs ForAnyValue: / ForAllValues: to grant anything
        satisfied = [self._satisfies(v, policy) for v in raw]
        if self.qualifier == FOR_ALL_VALUES:
            return all(satisfied)
        if self.qualifier == FOR_ANY_VALUE or not self._negated:
            return any(satisfied)
        return all(satisfied)  # unqualified negated (Deny only): no request value may match

    def _evaluate_plans(self, value: str, context: RequestContext) -> bool:
        """The single-valued string case with per-request values, without building matchers."""
        like = self._definition.wildcards
        hit = False
        for plan in self._plans or ():
            text = plan.render(context)
            if text is None:
                if self.deny:
                    continue  # null: equal to / like nothing
                return False  # an unresolved variable fails the whole test closed
            if value.startswith(text) if like and plan.trailing_star else value == text:
                hit = True
        return hit != self._negated

    def _satisfies(self, raw_value: str, policy: tuple[Any, ...]) -> bool:
        value = self._definition.parse(raw_value)
        if value is None:
            # Deny: an unreadable request value matches no policy value (so a negated test holds).
            return self.deny and self._negated
        test = self._definition.test
        hit = any(test(value, p) for p in policy)
        return hit != self._negated

    def _evaluate_null(self, raw: ContextValue | None) -> bool:
        compiled = self._compiled or ()
        if None in compiled:
            if not self.deny:
                return False
            compiled = tuple(c for c in compiled if c is not None)
        absent = raw is None or (not raw and not isinstance(raw, str))
        return any((want == "true") == absent for want in compiled)

    def explain(self, context: RequestContext) -> ConditionTrace:
        """The same test as :meth:`evaluate`, with what it saw."""
        result = self.evaluate(context)
        seen = context.values_of(self.lookup)
        resolved = tuple(t.substitute_text(context) for t in self.templates)
        return ConditionTrace(
            operator=self.operator.text,
            key=self.key,
            policy_values=self.values,
            resolved_values=resolved,
            context_values=seen,
            result=result,
            note=self._note(
                result, seen, resolved, multi_valued=not isinstance(context.raw(self.lookup), str)
            ),
        )

    def _note(
        self,
        result: bool,
        seen: tuple[str, ...] | None,
        resolved: tuple[str | None, ...],
        *,
        multi_valued: bool,
    ) -> str:
        definition = self._definition
        if definition.existence:
            return "key is absent" if seen is None or seen == () else "key is present"
        unreadable = " (in a Deny it is null and matches nothing)" if self.deny else " (fails closed)"
        unresolved = [t.source for t, r in zip(self.templates, resolved, strict=True) if r is None]
        if unresolved:
            return "policy variable has no value in " + ", ".join(unresolved) + unreadable
        if self._compiled is not None and None in self._compiled:
            return f"policy value is not {definition.describe_value}" + unreadable
        if seen is None or seen == ():
            if self.qualifier == FOR_ALL_VALUES:
                return "key is absent: ForAllValues is true on a missing key"
            if self.qualifier == FOR_ANY_VALUE:
                return "key is absent: IfExists makes it true" if self.if_exists else "key is absent"
            if self.if_exists:
                return "key is absent: IfExists makes it true"
            return "key is absent: a negated operator is true" if self._negated else "key is absent"
        if multi_valued and self.qualifier is None and not self.deny:
            return "multivalued key without ForAnyValue:/ForAllValues: matches nothing"
        bad = [v for v in seen if definition.parse(v) is None]
        if bad:
            return f"request value {bad[0]!r} is not {definition.describe_value}"
        return "matched" if result else "no request value satisfies the operator"
