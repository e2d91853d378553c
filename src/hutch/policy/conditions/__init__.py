"""Condition operators: one module per family, a registry, and the compiled per-key test.

Importing this package registers every operator family.
"""

from __future__ import annotations

from hutch.policy.conditions import arns, binary, boolean, dates, ip, numeric, strings
from hutch.policy.conditions.clause import KeyCondition
from hutch.policy.conditions.registry import (
    FOR_ALL_VALUES,
    FOR_ANY_VALUE,
    REGISTRY,
    OperatorDef,
    ParsedOperator,
    parse_operator,
)

_FAMILIES = (arns, binary, boolean, dates, ip, numeric, strings)

__all__ = [
    "FOR_ALL_VALUES",
    "FOR_ANY_VALUE",
    "REGISTRY",
    "KeyCondition",
    "OperatorDef",
    "ParsedOperator",
    "parse_operator",
]
