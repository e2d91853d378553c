from __future__ import annotations

import pytest

from tests.unit.policy.conditions.helpers import holds


@pytest.mark.parametrize(
    ("operator", "policy", "value", "expected"),
    [
        ("StringEquals", "abc", "abc", True),
        ("StringEquals", "abc", "ABC", False),
        ("StringEquals", "a*", "abc", False),
        ("StringEquals", "a*", "a*", True),
        ("StringNotEquals", "abc", "abd", True),
        ("StringNotEquals", "abc", "abc", False),
        ("StringEqualsIgnoreCase", "ABC", "abc", True),
        ("StringEqualsIgnoreCase", "ABC", "abd", False),
        ("StringNotEqualsIgnoreCase", "ABC", "abc", False),
        ("StringNotEqualsIgnoreCase", "ABC", "x", True),
        ("StringLike", "home/*", "home/alice/x", True),
        ("StringLike", "home/?", "home/a", True),
        ("StringLike", "home/?", "home/ab", False),
        ("StringLike", "Home/*", "home/a", False),
        ("StringNotLike", "home/*", "etc/x", True),
        ("StringNotLike", "home/*", "home/x", False),
    ],
)
def test_string_operators(operator: str, policy: str, value: str, expected: bool) -> None:
    assert holds(operator, "k", policy, {"k": value}) is expected


def test_like_with_variable_matches_value_literally() -> None:
    policy = "cognito/app/${cognito-identity.amazonaws.com:sub}/*"
    ctx = {"cognito-identity.amazonaws.com:sub": "us-east-1:*"}
    assert (
        holds("StringLike", "s3:prefix", policy, {**ctx, "s3:prefix": "cognito/app/us-east-1:bob/"}) is False
    )
    assert holds("StringLike", "s3:prefix", policy, {**ctx, "s3:prefix": "cognito/app/us-east-1:*/x"}) is True


def test_like_with_special_wildcard_escapes() -> None:
    assert holds("StringLike", "k", "a${*}", {"k": "a*"}) is True
    assert holds("StringLike", "k", "a${*}", {"k": "ab"}) is False
