"""BinaryEquals: both the policy value and the context value are base64; the decoded bytes compare."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from hutch.policy.conditions.registry import OperatorDef, literal_text, register
from hutch.policy.wildcard import Token


def parse_base64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


def _compile(tokens: tuple[Token, ...]) -> bytes | None:
    return parse_base64(literal_text(tokens))


def _equal(value: Any, policy: Any) -> bool:
    return bool(value == policy)


register(
    OperatorDef("BinaryEquals", False, False, False, _compile, parse_base64, _equal, describe_value="base64"),
)
