"""Numeric operators. Values are decimal numbers ("10", "2.5", "-3"); anything else never matches."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from hutch.policy.conditions.registry import OperatorDef, literal_text, register
from hutch.policy.wildcard import Token


def parse_number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _compile(tokens: tuple[Token, ...]) -> Decimal | None:
    return parse_number(literal_text(tokens))


def _numeric(name: str, negated: bool, compare: Callable[[Any, Any], Any]) -> OperatorDef:
    return OperatorDef(
        name,
        negated,
        wildcards=False,
        variables=False,
        compile=_compile,
        parse=parse_number,
        test=lambda value, policy: bool(compare(value, policy)),
        describe_value="a number",
    )


register(
    _numeric("NumericEquals", False, operator.eq),
    _numeric("NumericNotEquals", True, operator.eq),
    _numeric("NumericLessThan", False, operator.lt),
    _numeric("NumericLessThanEquals", False, operator.le),
    _numeric("NumericGreaterThan", False, operator.gt),
    _numeric("NumericGreaterThanEquals", False, operator.ge),
)
