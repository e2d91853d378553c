"""The listing walk shared by ListObjects, ListObjectsV2 and ListMultipartUploads.

Keys are walked in byte order from a cursor with keyset queries (``key > cursor ORDER BY key LIMIT n``), so a
page costs the same at the start of a bucket as after a million keys. With a delimiter, a run of keys that
share a common prefix is reported once and skipped with one seek past the prefix, never scanned.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from hutch.errors import ServiceError
from hutch.services.s3.keys import prefix_end

_SMALL_BATCH = 16


@dataclass(frozen=True)
class Cursor:
    """Where a walk resumes: at ``key`` itself (inclusive) or just after it."""

    key: bytes
    inclusive: bool = False

    def token(self) -> str:
        return base64.urlsafe_b64encode((b"\x01" if self.inclusive else b"\x00") + self.key).decode()

    @classmethod
    def from_token(cls, token: str, prefix: bytes = b"") -> Cursor:
        """The cursor of a continuation token this listing (same prefix) handed out; InvalidArgument else."""
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raw = b""
        if not raw or raw[0] not in (0, 1) or not raw[1:].startswith(prefix):
            raise ServiceError("InvalidArgument", "The continuation token provided is incorrect", 400)
        return cls(raw[1:], raw[0] == 1)


class HasKey(Protocol):
    @property
    def key_bytes(self) -> bytes: ...


Row = TypeVar("Row", bound=HasKey)


@dataclass
class Page(Generic[Row]):
    entries: list[Row]
    common_prefixes: list[bytes]
    truncated: bool
    next_cursor: Cursor | None  # where the next page starts, when truncated
    last_returned: bytes | None  # the last key or common prefix returned (ListObjects' NextMarker)


def start_cursor(prefix: bytes, delimiter: bytes | None, after: bytes | None) -> Cursor | None:
    """The first position for a listing that resumes after ``after`` (a marker / StartAfter key).

    When ``after`` is itself a common prefix of this listing (a V1 NextMarker), the whole group is skipped.
    """
    if after is None:
        return Cursor(prefix, True) if prefix else None
    if delimiter and after.startswith(prefix):
        cut = after.find(delimiter, len(prefix))
        if cut >= 0 and cut + len(delimiter) == len(after):
            end = prefix_end(after)
            return Cursor(end, True) if end is not None else Cursor(after, False)
    if prefix and after < prefix:
        return Cursor(prefix, True)
    return Cursor(after, False)


def walk(
    fetch: Callable[[Cursor | None, bytes | None, int], Sequence[Row]],
    *,
    prefix: bytes,
    delimiter: bytes | None,
    cursor: Cursor | None,
    max_keys: int,
    batch: int = 1000,
) -> Page[Row]:
    """One page of at most ``max_keys`` entries + common prefixes, starting at ``cursor``.

    ``fetch(cursor, upper, limit)`` returns up to ``limit`` rows with cursor <= key < upper, in key order.
    """
    upper = prefix_end(prefix) if prefix else None
    entries: list[Row] = []
    prefixes: list[bytes] = []
    last: bytes | None = None
    if max_keys <= 0:
        return Page(entries, prefixes, False, None, None)
    if cursor is not None and upper is not None and cursor.key >= upper:
        return Page(entries, prefixes, False, None, None)
    if cursor is not None and cursor.key < prefix:
        # A listing never leaves its prefix, whatever cursor it was handed: authorization covered the prefix.
        cursor = Cursor(prefix, True)

    def full() -> bool:
        return len(entries) + len(prefixes) >= max_keys

    # With a delimiter, rows fetched past the start of a common prefix are wasted, so batches start small and
    # grow only while no group is met; a page of prefixes over huge groups then reads few rows per group.
    size = batch if not delimiter else min(batch, _SMALL_BATCH)
    while True:
        want = min(size, max_keys - len(entries) - len(prefixes) + 1)
        rows = fetch(cursor, upper, want)
        skip_group: bytes | None = None
        met_group = False
        for row in rows:
            key = row.key_bytes
            if skip_group is not None and key.startswith(skip_group):
                continue
            skip_group = None
            group = _group_of(key, prefix, delimiter)
            if full():
                # One more entry exists beyond this page.
                return Page(entries, prefixes, True, cursor, last)
            if group is not None:
                met_group = True
                prefixes.append(group)
                last = group
                end = prefix_end(group)
                if end is None:
                    return Page(entries, prefixes, False, None, last)
                cursor = Cursor(end, True)
                skip_group = group
            else:
                entries.append(row)
                last = key
                cursor = Cursor(key, False)
        if len(rows) < want:
            return Page(entries, prefixes, False, None, last)
        # A full batch: fetch on from the cursor (which already skips any group the batch ended inside).
        size = min(batch, _SMALL_BATCH) if met_group else min(batch, size * 2)


def _group_of(key: bytes, prefix: bytes, delimiter: bytes | None) -> bytes | None:
    if not delimiter:
        return None
    cut = key.find(delimiter, len(prefix))
    if cut < 0:
        return None
    return key[: cut + len(delimiter)]
