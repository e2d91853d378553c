from __future__ import annotations

import pytest

from hutch.policy import PolicySizeExceededError, check_policy_size, policy_size
from hutch.policy.positions import position_of, statement_spans
from hutch.policy.validate import MANAGED_POLICY_QUOTA


def test_policy_size_ignores_whitespace() -> None:
    assert policy_size('{ "a" :\n\t"b c" }') == 10


def test_check_policy_size_raises_iam_wording() -> None:
    quota, limit = MANAGED_POLICY_QUOTA
    check_policy_size("x" * limit, quota, limit)
    with pytest.raises(PolicySizeExceededError) as info:
        check_policy_size("x" * (limit + 1) + " " * 10, quota, limit)
    assert info.value.reason == "Cannot exceed quota for PolicySize: 6144"


def test_positions() -> None:
    text = '{"Statement": {"Effect": "Allow"},\n "Version": "2012-10-17"}'
    assert statement_spans(text) == [(14, 33)]
    assert position_of(text, 14).line == 1 and position_of(text, 14).column == 15
    assert position_of(text, 36).line == 2
    assert statement_spans("not json") == []
