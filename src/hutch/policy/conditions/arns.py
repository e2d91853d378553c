"""ArnEquals / ArnLike / ArnNotEquals / ArnNotLike.

IAM documents ArnEquals and ArnLike identically: case-sensitive, each of the six colon-separated
parts compared separately, ``*`` and ``?`` allowed within a part. A context value that is not an ARN
never matches. Policy variables may appear in the values.
"""

from __future__ import annotations

from typing import Any

from hutch.policy.arn import ArnPattern, looks_like_arn
from hutch.policy.conditions.registry import OperatorDef, register
from hutch.policy.context import RequestContext
from hutch.policy.variables import Template
from hutch.policy.wildcard import Token, render

_NO_VARIABLES = RequestContext()


def _compile(tokens: tuple[Token, ...]) -> ArnPattern:
    return ArnPattern(Template(render(tokens), tokens))


def _parse(text: str) -> str | None:
    return text if looks_like_arn(text) else None


def _match(value: Any, pattern: Any) -> bool:
    return pattern.match(value, _NO_VARIABLES) is True


def _arn(name: str, negated: bool) -> OperatorDef:
    return OperatorDef(name, negated, True, True, _compile, _parse, _match, describe_value="an ARN")


register(
    _arn("ArnEquals", False), _arn("ArnLike", False), _arn("ArnNotEquals", True), _arn("ArnNotLike", True)
)
