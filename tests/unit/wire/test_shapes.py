"""Scalar conversions shared by the protocols."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest

from hutch.wire.shapes import (
    WireValueError,
    float_text,
    format_timestamp,
    iso8601,
    parse_blob,
    parse_boolean,
    parse_float,
    parse_integer,
    parse_timestamp,
    result_datetime,
)

MOMENT = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("2024-05-06T07:08:09Z", "iso8601"),
        ("2024-05-06T07:08:09.000Z", "iso8601"),
        ("2024-05-06T09:08:09+02:00", "iso8601"),
        ("Mon, 06 May 2024 07:08:09 GMT", "rfc822"),
        ("1714979289", "unixtimestamp"),
        ("1714979289", "iso8601"),
        ("Mon, 06 May 2024 07:08:09 GMT", None),
    ],
)
def test_timestamps_parse_in_every_aws_format(text: str, fmt: str | None) -> None:
    parsed = parse_timestamp(text, fmt)

    assert parsed == MOMENT
    assert parsed.tzinfo is UTC


def test_numeric_timestamps_keep_their_fraction() -> None:
    assert parse_timestamp(1714979289.25, "unixtimestamp") == MOMENT + timedelta(milliseconds=250)


@pytest.mark.parametrize("bad", ["yesterday", "", "2024-13-45T00:00:00Z", "1e400", True])
def test_a_timestamp_that_is_none_of_the_formats_is_refused(bad: object) -> None:
    with pytest.raises(WireValueError):
        parse_timestamp(bad, "iso8601")  # type: ignore[arg-type]


def test_timestamps_are_written_with_millisecond_precision() -> None:
    moment = MOMENT.replace(microsecond=123456)

    assert format_timestamp(moment, "iso8601", "t") == "2024-05-06T07:08:09.123Z"
    assert format_timestamp(moment, "unixtimestamp", "t") == 1714979289.123
    assert format_timestamp(MOMENT, "unixtimestamp", "t") == 1714979289
    assert format_timestamp(moment, "rfc822", "t") == "Mon, 06 May 2024 07:08:09 GMT"
    assert iso8601(MOMENT, always_millis=True) == "2024-05-06T07:08:09.000Z"


def test_naive_and_offset_datetimes_from_handlers_are_utc() -> None:
    assert result_datetime(datetime(2024, 5, 6, 7, 8, 9), "t") == MOMENT
    assert result_datetime(datetime(2024, 5, 6, 9, 8, 9, tzinfo=timezone(timedelta(hours=2))), "t") == MOMENT


def test_a_handler_timestamp_of_the_wrong_type_is_a_bug() -> None:
    with pytest.raises(TypeError):
        result_datetime("2024-05-06", "t")


@pytest.mark.parametrize(("text", "value"), [("42", 42), (" -7 ", -7), ("+3", 3)])
def test_integers_parse_strictly(text: str, value: int) -> None:
    assert parse_integer(text) == value


@pytest.mark.parametrize("text", ["4.0", "1e3", "", "ten", "0x10"])
def test_integers_that_are_not_integers_are_refused(text: str) -> None:
    with pytest.raises(WireValueError):
        parse_integer(text)


def test_booleans_are_true_or_false_only() -> None:
    assert parse_boolean("true") is True
    assert parse_boolean("FALSE") is False
    with pytest.raises(WireValueError):
        parse_boolean("1")


def test_special_floats_use_aws_spellings() -> None:
    assert math.isnan(parse_float("NaN"))
    assert parse_float("-Infinity") == -math.inf
    assert float_text(math.inf) == "Infinity"
    with pytest.raises(WireValueError):
        parse_float("inf")


def test_blobs_are_strict_base64() -> None:
    assert parse_blob("aGk=") == b"hi"
    with pytest.raises(WireValueError):
        parse_blob("not base64!")
