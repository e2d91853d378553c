from __future__ import annotations

import pytest

from tests.unit.policy.conditions.helpers import holds


@pytest.mark.parametrize(
    ("operator", "policy", "value", "expected"),
    [
        ("NumericEquals", "10", "10", True),
        ("NumericEquals", "10", "10.0", True),
        ("NumericEquals", "10", "11", False),
        ("NumericNotEquals", "10", "11", True),
        ("NumericNotEquals", "10", "10", False),
        ("NumericLessThan", "10", "9", True),
        ("NumericLessThan", "10", "10", False),
        ("NumericLessThanEquals", "10", "10", True),
        ("NumericGreaterThan", "10", "10.5", True),
        ("NumericGreaterThan", "10", "-1", False),
        ("NumericGreaterThanEquals", "10", "10", True),
        ("NumericLessThan", "10", "ten", False),
        ("NumericLessThan", "10", "NaN", False),
    ],
)
def test_numeric_operators(operator: str, policy: str, value: str, expected: bool) -> None:
    assert holds(operator, "s3:max-keys", policy, {"s3:max-keys": value}) is expected
