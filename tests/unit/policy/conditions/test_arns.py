from __future__ import annotations

import pytest

from tests.unit.policy.conditions.helpers import holds

ROLE = "arn:aws:iam::123456789012:role/app"


@pytest.mark.parametrize("operator", ["ArnEquals", "ArnLike"])
@pytest.mark.parametrize(
    ("policy", "value", "expected"),
    [
        (ROLE, ROLE, True),
        ("arn:aws:iam::*:role/app", ROLE, True),
        ("arn:aws:iam::123456789012:role/*", ROLE, True),
        ("arn:aws:iam::123456789012:role/APP", ROLE, False),
        ("arn:aws:iam::*:role/app", "arn:aws:iam::123456789012:role/other", False),
        (ROLE, "not-an-arn", False),
    ],
)
def test_arn_positive(operator: str, policy: str, value: str, expected: bool) -> None:
    assert holds(operator, "aws:PrincipalArn", policy, {"aws:PrincipalArn": value}) is expected


@pytest.mark.parametrize("operator", ["ArnNotEquals", "ArnNotLike"])
def test_arn_negated(operator: str) -> None:
    assert holds(operator, "aws:PrincipalArn", "arn:aws:iam::*:role/app", {"aws:PrincipalArn": ROLE}) is False
    assert holds(operator, "aws:PrincipalArn", "arn:aws:iam::*:role/x", {"aws:PrincipalArn": ROLE}) is True
    assert holds(operator, "aws:PrincipalArn", "arn:aws:iam::*:role/x", {"aws:PrincipalArn": "bad"}) is False


def test_arn_with_variable() -> None:
    policy = "arn:aws:iam::${aws:PrincipalAccount}:role/*"
    context = {"aws:PrincipalAccount": "123456789012", "aws:PrincipalArn": ROLE}
    assert holds("ArnLike", "aws:PrincipalArn", policy, context) is True
    context["aws:PrincipalAccount"] = "999999999999"
    assert holds("ArnLike", "aws:PrincipalArn", policy, context) is False
