from __future__ import annotations

import pytest

from tests.unit.policy.conditions.helpers import holds


@pytest.mark.parametrize(
    ("operator", "policy", "value", "expected"),
    [
        ("IpAddress", "203.0.113.0/24", "203.0.113.7", True),
        ("IpAddress", "203.0.113.0/24", "203.0.114.7", False),
        ("IpAddress", "203.0.113.7", "203.0.113.7", True),
        ("IpAddress", "2001:db8::/32", "2001:db8::1", True),
        ("IpAddress", "2001:db8::/32", "2001:db9::1", False),
        ("IpAddress", "203.0.113.0/24", "2001:db8::1", False),
        ("IpAddress", "203.0.113.0/24", "garbage", False),
        ("NotIpAddress", "203.0.113.0/24", "198.51.100.1", True),
        ("NotIpAddress", "203.0.113.0/24", "203.0.113.1", False),
        ("NotIpAddress", "203.0.113.0/24", "garbage", False),
    ],
)
def test_ip_operators(operator: str, policy: str, value: str, expected: bool) -> None:
    assert holds(operator, "aws:SourceIp", policy, {"aws:SourceIp": value}) is expected


def test_multiple_ranges_are_ored() -> None:
    ranges = ["10.0.0.0/8", "192.168.0.0/16"]
    assert holds("IpAddress", "aws:SourceIp", ranges, {"aws:SourceIp": "192.168.1.1"}) is True
    assert holds("NotIpAddress", "aws:SourceIp", ranges, {"aws:SourceIp": "192.168.1.1"}) is False
