from __future__ import annotations

from decimal import Decimal

import pytest

from hutch.policy.conditions.dates import parse_date
from tests.unit.policy.conditions.helpers import holds


@pytest.mark.parametrize(
    ("text", "epoch"),
    [
        ("1970-01-01T00:00:00Z", Decimal(0)),
        ("1970-01-01", Decimal(0)),
        ("2019", Decimal(2019)),  # all digits: epoch seconds
        ("2019-07-16T12:00:00Z", Decimal(1563278400)),
        ("2019-07-16T13:00:00+01:00", Decimal(1563278400)),
        ("2019-07-16T12:00:00.5Z", Decimal("1563278400.5")),
        ("2016-12-13t2:00:00.593194+23", Decimal(1481594400) - 23 * 3600 + Decimal("0.593194")),
        ("1563278400", Decimal(1563278400)),
        ("-292275054", Decimal(-292275054)),
    ],
)
def test_parse_date(text: str, epoch: Decimal) -> None:
    assert parse_date(text) == epoch


@pytest.mark.parametrize(
    "text",
    [
        "sdfdsf",
        "234-13",
        "2019-13-01",
        "2016-12-13t2:00:00.1999999999+10:59",
        "2016-12-13T2:00+1",
        "9223372036854775808",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("DateEquals", "2020-01-01T00:00:00Z", True),
        ("DateEquals", "1577836800", True),
        ("DateNotEquals", "2020-01-01T00:00:01Z", True),
        ("DateLessThan", "2019-12-31T23:59:59Z", True),
        ("DateLessThan", "2020-01-01T00:00:00Z", False),
        ("DateLessThanEquals", "2020-01-01T01:00:00+01:00", True),
        ("DateGreaterThan", "2020-01-01T00:00:00.001Z", True),
        ("DateGreaterThanEquals", "2019-01-01", False),
        ("DateEquals", "yesterday", False),
    ],
)
def test_date_operators(operator: str, value: str, expected: bool) -> None:
    assert holds(operator, "aws:CurrentTime", "2020-01-01T00:00:00Z", {"aws:CurrentTime": value}) is expected


def test_overlong_epoch_is_not_a_date_and_does_not_raise() -> None:
    """Epoch (UNIX) time is a 64-bit count of seconds; a request value of thousands of digits is simply not
    a date (and must not make the evaluation raise: Python refuses int() on over 4300 digits)."""
    digits = "9" * 5000
    assert parse_date(digits) is None
    assert parse_date("-" + digits) is None
    assert (
        holds("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", {"aws:CurrentTime": digits}) is False
    )
    assert holds("DateNotEquals", "k", "2020-01-01T00:00:00Z", {"k": digits}, deny=True) is True


def test_non_ascii_digits_are_not_a_date() -> None:
    """Dates are W3C ISO 8601 or epoch seconds, both written with ASCII digits."""
    assert parse_date("\u0661\u0667\u0660\u0660") is None  # Arabic-Indic "1700"
    assert parse_date("\uff12\uff10\uff12\uff10-01-01") is None  # full-width "2020"
