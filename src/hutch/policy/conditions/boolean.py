"""Bool and Null.

Bool compares "true"/"false" (case-insensitive; JSON booleans in a policy arrive as those strings).
Null tests existence: ``"true"`` holds when the key is absent (or an empty multi-valued key),
``"false"`` when it is present. Null has no IfExists form.
"""

from __future__ import annotations

from typing import Any

from hutch.policy.conditions.registry import OperatorDef, literal_text, register
from hutch.policy.wildcard import Token

_BOOLS = ("true", "false")


def parse_bool(text: str) -> str | None:
    lowered = text.strip().lower()
    return lowered if lowered in _BOOLS else None


def _compile(tokens: tuple[Token, ...]) -> str | None:
    return parse_bool(literal_text(tokens))


def _equal(value: Any, policy: Any) -> bool:
    return bool(value == policy)


register(
    OperatorDef("Bool", False, False, False, _compile, parse_bool, _equal, describe_value="a boolean"),
    OperatorDef(
        "Null", False, False, False, _compile, parse_bool, _equal, existence=True, describe_value="a boolean"
    ),
)
