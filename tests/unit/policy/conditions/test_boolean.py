from __future__ import annotations

import pytest

from tests.unit.policy.conditions.helpers import holds


@pytest.mark.parametrize(
    ("policy", "value", "expected"),
    [
        ("true", "true", True),
        ("true", "TRUE", True),
        ("false", "true", False),
        ("false", "false", True),
        ("true", "yes", False),
    ],
)
def test_bool(policy: str, value: str, expected: bool) -> None:
    assert holds("Bool", "aws:SecureTransport", policy, {"aws:SecureTransport": value}) is expected


@pytest.mark.parametrize(
    ("policy", "context", "expected"),
    [
        ("true", {}, True),
        ("true", {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}, False),
        ("false", {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}, True),
        ("false", {}, False),
        ("true", {"aws:TokenIssueTime": []}, True),
    ],
)
def test_null(policy: str, context: dict[str, object], expected: bool) -> None:
    assert holds("Null", "aws:TokenIssueTime", policy, context) is expected  # type: ignore[arg-type]
