"""The listing walk: pagination with and without delimiters, markers, and cost that stays flat."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hutch.errors import ServiceError
from hutch.services.s3.listing import Cursor, start_cursor, walk


@dataclass(frozen=True)
class Row:
    key_bytes: bytes


class FakeTable:
    """Sorted keys answering keyset queries the way the store does; counts the rows it hands out."""

    def __init__(self, keys: list[bytes]) -> None:
        self.keys = sorted(set(keys))
        self.rows_read = 0
        self.queries = 0

    def fetch(self, at: Cursor | None, upper: bytes | None, limit: int) -> list[Row]:
        self.queries += 1
        if at is None:
            i = 0
        elif at.inclusive:
            i = bisect.bisect_left(self.keys, at.key)
        else:
            i = bisect.bisect_right(self.keys, at.key)
        out = []
        while i < len(self.keys) and len(out) < limit:
            if upper is not None and self.keys[i] >= upper:
                break
            out.append(Row(self.keys[i]))
            i += 1
        self.rows_read += len(out)
        return out


def list_all(
    table: FakeTable, prefix: bytes, delimiter: bytes | None, max_keys: int
) -> tuple[list[bytes], list[bytes]]:
    """Follow continuation tokens to the end, as a paginator does."""
    keys: list[bytes] = []
    prefixes: list[bytes] = []
    cursor = start_cursor(prefix, delimiter, None)
    for _ in range(10_000):
        page = walk(table.fetch, prefix=prefix, delimiter=delimiter, cursor=cursor, max_keys=max_keys)
        keys += [r.key_bytes for r in page.entries]
        prefixes += page.common_prefixes
        assert len(page.entries) + len(page.common_prefixes) <= max_keys
        if not page.truncated:
            return keys, prefixes
        assert page.next_cursor is not None
        cursor = Cursor.from_token(page.next_cursor.token())
    raise AssertionError("pagination did not end")


def expected(keys: list[bytes], prefix: bytes, delimiter: bytes | None) -> tuple[list[bytes], list[bytes]]:
    contents: list[bytes] = []
    groups: list[bytes] = []
    for key in sorted(set(keys)):
        if not key.startswith(prefix):
            continue
        if delimiter:
            cut = key.find(delimiter, len(prefix))
            if cut >= 0:
                group = key[: cut + len(delimiter)]
                if group not in groups:
                    groups.append(group)
                continue
        contents.append(key)
    return contents, groups


KEYS = [b"a", b"a/1", b"a/2", b"a/b/3", b"ab", b"b/1", b"b/2", b"c", b"photos/2024/x.jpg", b"photos/y.jpg"]


@pytest.mark.parametrize("max_keys", [1, 2, 3, 1000])
@pytest.mark.parametrize(
    ("prefix", "delimiter"), [(b"", None), (b"", b"/"), (b"a", b"/"), (b"photos/", b"/"), (b"a/", None)]
)
def test_pages_concatenate_to_the_full_listing(max_keys: int, prefix: bytes, delimiter: bytes | None) -> None:
    assert list_all(FakeTable(KEYS), prefix, delimiter, max_keys) == expected(KEYS, prefix, delimiter)


def test_common_prefixes_count_toward_max_keys() -> None:
    page = walk(FakeTable(KEYS).fetch, prefix=b"", delimiter=b"/", cursor=None, max_keys=2)
    assert [r.key_bytes for r in page.entries] == [b"a"]
    assert page.common_prefixes == [b"a/"]
    assert page.truncated


def test_max_keys_zero_is_an_empty_untruncated_page() -> None:
    page = walk(FakeTable(KEYS).fetch, prefix=b"", delimiter=None, cursor=None, max_keys=0)
    assert page.entries == [] and page.common_prefixes == [] and not page.truncated


def test_exactly_max_keys_is_not_truncated() -> None:
    page = walk(FakeTable([b"x", b"y"]).fetch, prefix=b"", delimiter=None, cursor=None, max_keys=2)
    assert len(page.entries) == 2 and not page.truncated


def test_start_after_a_key_lists_strictly_after_it() -> None:
    cursor = start_cursor(b"", None, b"a/2")
    page = walk(FakeTable(KEYS).fetch, prefix=b"", delimiter=None, cursor=cursor, max_keys=3)
    assert [r.key_bytes for r in page.entries] == [b"a/b/3", b"ab", b"b/1"]


def test_marker_equal_to_a_common_prefix_skips_the_group() -> None:
    cursor = start_cursor(b"", b"/", b"a/")
    page = walk(FakeTable(KEYS).fetch, prefix=b"", delimiter=b"/", cursor=cursor, max_keys=10)
    assert [r.key_bytes for r in page.entries] == [b"ab", b"c"]
    assert page.common_prefixes == [b"b/", b"photos/"]


def test_marker_before_the_prefix_starts_at_the_prefix() -> None:
    cursor = start_cursor(b"b/", None, b"a")
    page = walk(FakeTable(KEYS).fetch, prefix=b"b/", delimiter=None, cursor=cursor, max_keys=10)
    assert [r.key_bytes for r in page.entries] == [b"b/1", b"b/2"]


def test_huge_groups_are_skipped_not_scanned() -> None:
    keys = [f"dir{d:02d}/file{n:05d}".encode() for d in range(20) for n in range(2000)]
    table = FakeTable(keys)
    page = walk(table.fetch, prefix=b"", delimiter=b"/", cursor=None, max_keys=1000)
    assert len(page.common_prefixes) == 20
    # A backtracking scan would read all 40,000 rows; the walk reads a handful per group.
    assert table.rows_read < 20 * 40


def test_bad_continuation_token_is_invalid_argument() -> None:
    for token in ["not base64!!", "", "Ag==", "AA"]:
        with pytest.raises(ServiceError) as err:
            Cursor.from_token(token)
        assert err.value.code == "InvalidArgument"


def test_a_token_from_outside_the_listed_prefix_is_refused() -> None:
    """Security: a forged token must not start a listing before the authorized prefix."""
    forged = Cursor(b"\x00", True).token()
    with pytest.raises(ServiceError) as err:
        Cursor.from_token(forged, b"cognito/app/me/")
    assert err.value.code == "InvalidArgument"
    ours = Cursor(b"cognito/app/me/b", False).token()
    assert Cursor.from_token(ours, b"cognito/app/me/").key == b"cognito/app/me/b"


def test_the_walk_never_returns_keys_before_its_prefix_whatever_the_cursor() -> None:
    table = FakeTable([b"admin/payroll.csv", b"cognito/app/alice/x", b"cognito/app/me/a", b"zzz"])
    page = walk(
        table.fetch, prefix=b"cognito/app/me/", delimiter=b"/", cursor=Cursor(b"\x00", True), max_keys=10
    )
    assert [r.key_bytes for r in page.entries] == [b"cognito/app/me/a"]
    assert page.common_prefixes == []


@settings(max_examples=150, deadline=None)
@given(
    keys=st.lists(
        st.text(alphabet="ab/é\x00", min_size=1, max_size=6).map(lambda s: s.encode()), max_size=40
    ),
    prefix=st.text(alphabet="ab/", max_size=2).map(str.encode),
    delimiter=st.sampled_from([None, b"/", b"b", b"ab"]),
    max_keys=st.integers(min_value=1, max_value=5),
)
def test_any_listing_pages_to_exactly_the_reference(
    keys: list[bytes], prefix: bytes, delimiter: bytes | None, max_keys: int
) -> None:
    assert list_all(FakeTable(keys), prefix, delimiter, max_keys) == expected(keys, prefix, delimiter)
