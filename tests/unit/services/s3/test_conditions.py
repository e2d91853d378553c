"""Conditional requests and ranges, with S3's precedence rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hutch.errors import ServiceError
from hutch.services.s3.conditions import (
    ByteRange,
    Preconditions,
    check_write,
    etag_matches,
    parse_copy_range,
    parse_range,
)
from hutch.services.s3.model import ObjectRecord

MODIFIED = int(datetime(2026, 1, 10, 12, 0, 0, tzinfo=UTC).timestamp())
BEFORE = datetime(2026, 1, 9, tzinfo=UTC)
AFTER = datetime(2026, 1, 11, tzinfo=UTC)
SAME_SECOND = datetime(2026, 1, 10, 12, 0, 0, tzinfo=UTC)


def obj(etag: str = "abc") -> ObjectRecord:
    return ObjectRecord("b", "k", 10, etag, MODIFIED, "0" * 32)


def code_of(pre: Preconditions) -> int | None:
    try:
        pre.check_read(obj())
    except ServiceError as error:
        return error.status
    return None


@pytest.mark.parametrize(
    ("pre", "status"),
    [
        (Preconditions(if_match='"abc"'), None),
        (Preconditions(if_match='"other"'), 412),
        (Preconditions(if_match="*"), None),
        (Preconditions(if_match='"x", "abc"'), None),
        (Preconditions(if_unmodified_since=AFTER), None),
        (Preconditions(if_unmodified_since=BEFORE), 412),
        # S3: If-Match true and If-Unmodified-Since false -> 200.
        (Preconditions(if_match='"abc"', if_unmodified_since=BEFORE), None),
        (Preconditions(if_none_match='"abc"'), 304),
        (Preconditions(if_none_match='"zzz"'), None),
        (Preconditions(if_modified_since=BEFORE), None),
        (Preconditions(if_modified_since=AFTER), 304),
        # The object's own Last-Modified, as a client echoes it back, is "not modified".
        (Preconditions(if_modified_since=SAME_SECOND), 304),
        # S3: If-None-Match false and If-Modified-Since true -> 304.
        (Preconditions(if_none_match='"abc"', if_modified_since=BEFORE), 304),
        # If-None-Match true wins over If-Modified-Since false.
        (Preconditions(if_none_match='"zzz"', if_modified_since=AFTER), None),
    ],
)
def test_read_preconditions(pre: Preconditions, status: int | None) -> None:
    assert code_of(pre) == status


def test_not_modified_carries_etag_and_last_modified() -> None:
    with pytest.raises(ServiceError) as err:
        Preconditions(if_none_match='"abc"').check_read(obj())
    assert err.value.headers["ETag"] == '"abc"'
    assert err.value.headers["Last-Modified"] == "Sat, 10 Jan 2026 12:00:00 GMT"


def test_copy_source_conditions_are_all_412() -> None:
    for pre in (Preconditions(if_none_match='"abc"'), Preconditions(if_modified_since=AFTER)):
        with pytest.raises(ServiceError) as err:
            pre.check_copy_source(obj())
        assert err.value.status == 412


def test_preconditions_read_from_params() -> None:
    pre = Preconditions.of({"CopySourceIfMatch": '"a"', "CopySourceIfModifiedSince": BEFORE}, "CopySourceIf")
    assert pre.if_match == '"a"' and pre.if_modified_since == BEFORE


def test_etag_match_ignores_quotes_and_weakness() -> None:
    assert etag_matches('W/"abc"', "abc")
    assert etag_matches("abc", "abc")
    assert not etag_matches('"abcd"', "abc")


@pytest.mark.parametrize(
    ("current", "if_match", "if_none_match", "code"),
    [
        (None, None, "*", None),
        (obj(), None, "*", "PreconditionFailed"),
        (obj(), '"abc"', None, None),
        (obj(), '"nope"', None, "PreconditionFailed"),
        (None, '"abc"', None, "NoSuchKey"),
        (obj(), None, '"abc"', "NotImplemented"),
    ],
)
def test_conditional_writes(
    current: ObjectRecord | None, if_match: str | None, if_none_match: str | None, code: str | None
) -> None:
    try:
        check_write(current, if_match, if_none_match)
    except ServiceError as error:
        assert error.code == code
    else:
        assert code is None


@pytest.mark.parametrize(
    ("header", "size", "span"),
    [
        (None, 10, None),
        ("bytes=0-4", 10, ByteRange(0, 4)),
        ("bytes=5-", 10, ByteRange(5, 9)),
        ("bytes=-3", 10, ByteRange(7, 9)),
        ("bytes=-30", 10, ByteRange(0, 9)),
        ("bytes=2-100", 10, ByteRange(2, 9)),
        ("bytes=0-0", 1, ByteRange(0, 0)),
        ("bytes=5-2", 10, None),  # not a valid range: ignored
        ("bytes=0-1,4-5", 10, None),  # several ranges: S3 sends the whole object
        ("items=0-1", 10, None),
    ],
)
def test_ranges(header: str | None, size: int, span: ByteRange | None) -> None:
    assert parse_range(header, size) == span


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=10-", 10), ("bytes=10-20", 10), ("bytes=-0", 10), ("bytes=0-", 0)]
)
def test_unsatisfiable_ranges_are_416_invalid_range(header: str, size: int) -> None:
    with pytest.raises(ServiceError) as err:
        parse_range(header, size)
    assert (err.value.code, err.value.status) == ("InvalidRange", 416)
    assert err.value.headers["Content-Range"] == f"bytes */{size}"
    assert err.value.fields["ActualObjectSize"] == str(size)


def test_content_range_header() -> None:
    assert ByteRange(2, 5).content_range(10) == "bytes 2-5/10"
    assert ByteRange(2, 5).length == 4


def test_copy_source_range_must_be_exact_and_inside() -> None:
    assert parse_copy_range("bytes=0-9", 10) == ByteRange(0, 9)
    for bad in ("bytes=0-", "bytes=-5", "0-5"):
        with pytest.raises(ServiceError) as err:
            parse_copy_range(bad, 10)
        assert err.value.code == "InvalidArgument"
    with pytest.raises(ServiceError) as err:
        parse_copy_range("bytes=5-10", 10)
    assert err.value.code == "InvalidRange"
