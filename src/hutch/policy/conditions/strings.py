"""String operators: StringEquals, StringNotEquals, ...IgnoreCase, StringLike, StringNotLike.

All are case-sensitive except the IgnoreCase pair; only the Like pair treats ``*`` and ``?`` as
wildcards. Policy variables may appear in every string operator's values.
"""

from __future__ import annotations

from typing import Any

from hutch.policy.conditions.registry import OperatorDef, literal_text, register
from hutch.policy.wildcard import Glob, Token


def _exact(tokens: tuple[Token, ...]) -> str:
    return literal_text(tokens)


def _folded(tokens: tuple[Token, ...]) -> str:
    return literal_text(tokens).casefold()


def _glob(tokens: tuple[Token, ...]) -> Glob:
    return Glob(tokens)


def _identity(value: str) -> str:
    return value


def _fold(value: str) -> str:
    return value.casefold()


def _equal(value: Any, policy: Any) -> bool:
    return bool(value == policy)


def _like(value: Any, policy: Any) -> bool:
    return bool(policy.match(value))


def _string(name: str, negated: bool, wildcards: bool, compile_: Any, parse: Any, test: Any) -> OperatorDef:
    return OperatorDef(name, negated, wildcards, True, compile_, parse, test)


register(
    _string("StringEquals", False, False, _exact, _identity, _equal),
    _string("StringNotEquals", True, False, _exact, _identity, _equal),
    _string("StringEqualsIgnoreCase", False, False, _folded, _fold, _equal),
    _string("StringNotEqualsIgnoreCase", True, False, _folded, _fold, _equal),
    _string("StringLike", False, True, _glob, _identity, _like),
    _string("StringNotLike", True, True, _glob, _identity, _like),
)
