"""The condition-operator registry: one :class:`OperatorDef` per base operator name.

Each operator family module (strings, numeric, dates, ...) registers its operators at import. An
operator knows how to read a policy value (``compile``), how to interpret a context value (``parse``;
``None`` means uninterpretable and never matches) and how to compare the two (``test``). Negation,
``...IfExists``, the ``ForAllValues:``/``ForAnyValue:`` qualifiers and missing keys are handled once,
for every operator, in :mod:`hutch.policy.conditions.clause`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hutch.policy.errors import MalformedPolicyError
from hutch.policy.wildcard import Token

SYNTAX_ERROR = "Syntax errors in policy."

FOR_ALL_VALUES = "ForAllValues"
FOR_ANY_VALUE = "ForAnyValue"
_QUALIFIERS = (FOR_ALL_VALUES, FOR_ANY_VALUE)
_IF_EXISTS = "IfExists"


@dataclass(frozen=True, slots=True)
class OperatorDef:
    name: str
    negated: bool
    # How policy values are read: wildcards (* ?) and policy variables apply only to some families.
    wildcards: bool
    variables: bool
    compile: Callable[[tuple[Token, ...]], Any | None]
    parse: Callable[[str], Any | None]
    test: Callable[[Any, Any], bool]
    # Null tests existence, not values: missing-key rules and IfExists do not apply to it.
    existence: bool = False
    describe_value: str = "a string"


@dataclass(frozen=True, slots=True)
class ParsedOperator:
    """An operator as written in a policy, e.g. ``ForAnyValue:StringLikeIfExists``."""

    text: str
    definition: OperatorDef
    qualifier: str | None
    if_exists: bool


REGISTRY: dict[str, OperatorDef] = {}


def register(*definitions: OperatorDef) -> None:
    for definition in definitions:
        REGISTRY[definition.name] = definition


def parse_operator(text: str) -> ParsedOperator:
    """Resolve an operator name; unknown names are a policy syntax error, as IAM reports them."""
    qualifier: str | None = None
    base = text
    if ":" in text:
        qualifier, _, base = text.partition(":")
        if qualifier not in _QUALIFIERS:
            raise MalformedPolicyError(SYNTAX_ERROR)
    if_exists = False
    definition = REGISTRY.get(base)
    if definition is None and base.endswith(_IF_EXISTS):
        definition = REGISTRY.get(base[: -len(_IF_EXISTS)])
        if_exists = True
    if definition is None or (if_exists and definition.existence):
        raise MalformedPolicyError(SYNTAX_ERROR)
    return ParsedOperator(text, definition, qualifier, if_exists)


def literal_text(tokens: tuple[Token, ...]) -> str:
    """The text of tokens read without wildcards (every token is a literal string)."""
    return "".join(t if isinstance(t, str) else t.value for t in tokens)
