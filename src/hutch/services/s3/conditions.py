"""Conditional requests (If-Match & co.) and byte ranges, as S3 applies them.

Precedence follows RFC 9110 and S3's documentation: If-Match wins over If-Unmodified-Since (a matching ETag
proceeds even if the object changed since), If-None-Match wins over If-Modified-Since.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from hutch.errors import ServiceError
from hutch.services.s3.errors import precondition_failed
from hutch.services.s3.model import ObjectRecord, epoch

_SIMPLE_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)
_COPY_RANGE = re.compile(r"^bytes=(\d+)-(\d+)$")


def _etag_list(header: str) -> list[str]:
    return [v.strip().removeprefix("W/").strip('"') for v in header.split(",") if v.strip()]


def etag_matches(header: str, etag: str) -> bool:
    values = _etag_list(header)
    return "*" in values or etag in values


def _seconds(value: datetime) -> int:
    return int(value.timestamp())


@dataclass(frozen=True)
class Preconditions:
    if_match: str | None = None
    if_none_match: str | None = None
    if_modified_since: datetime | None = None
    if_unmodified_since: datetime | None = None

    @classmethod
    def of(cls, params: dict[str, object], prefix: str = "If") -> Preconditions:
        """From GetObject's IfMatch... or (prefix="CopySourceIf") CopyObject's CopySourceIfMatch..."""

        def get(name: str) -> object:
            return params.get(prefix + name)

        match, none_match = get("Match"), get("NoneMatch")
        modified, unmodified = get("ModifiedSince"), get("UnmodifiedSince")
        return cls(
            str(match) if match is not None else None,
            str(none_match) if none_match is not None else None,
            modified if isinstance(modified, datetime) else None,
            unmodified if isinstance(unmodified, datetime) else None,
        )

    def check_read(self, obj: ObjectRecord) -> None:
        """GET/HEAD: 412 PreconditionFailed or 304 Not Modified, as S3 answers."""
        self._check_412(obj, "If-Match", "If-Unmodified-Since")
        not_modified = False
        if self.if_none_match is not None:
            not_modified = etag_matches(self.if_none_match, obj.etag)
        elif self.if_modified_since is not None:
            not_modified = obj.last_modified <= _seconds(self.if_modified_since)
        if not_modified:
            raise ServiceError(
                "NotModified",
                "Not Modified",
                304,
                headers={
                    "ETag": obj.quoted_etag,
                    "Last-Modified": epoch(obj.last_modified).strftime("%a, %d %b %Y %H:%M:%S GMT"),
                },
            )

    def check_copy_source(self, obj: ObjectRecord) -> None:
        """x-amz-copy-source-if-*: every failed condition is 412."""
        self._check_412(obj, "x-amz-copy-source-If-Match", "x-amz-copy-source-If-Unmodified-Since")
        if self.if_none_match is not None:
            if etag_matches(self.if_none_match, obj.etag):
                raise precondition_failed("x-amz-copy-source-If-None-Match")
        elif self.if_modified_since is not None and obj.last_modified <= _seconds(self.if_modified_since):
            raise precondition_failed("x-amz-copy-source-If-Modified-Since")

    def _check_412(self, obj: ObjectRecord, match_name: str, unmodified_name: str) -> None:
        if self.if_match is not None:
            if not etag_matches(self.if_match, obj.etag):
                raise precondition_failed(match_name)
        elif self.if_unmodified_since is not None and obj.last_modified > _seconds(self.if_unmodified_since):
            raise precondition_failed(unmodified_name)


def check_write(current: ObjectRecord | None, if_match: str | None, if_none_match: str | None) -> None:
    """Conditional writes (PutObject / CompleteMultipartUpload / CopyObject with If-Match / If-None-Match)."""
    if if_none_match is not None:
        if if_none_match.strip() != "*":
            raise ServiceError(
                "NotImplemented",
                "A header you provided implies functionality that is not implemented",
                501,
                fields={"Header": "If-None-Match"},
            )
        if current is not None:
            raise precondition_failed("If-None-Match")
    if if_match is not None:
        if current is None:
            raise ServiceError("NoSuchKey", "The specified key does not exist.", 404)
        if not etag_matches(if_match, current.etag):
            raise precondition_failed("If-Match")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def _unsatisfiable(header: str, size: int) -> ServiceError:
    return ServiceError(
        "InvalidRange",
        "The requested range is not satisfiable",
        416,
        fields={"RangeRequested": header, "ActualObjectSize": str(size)},
        headers={"Content-Range": f"bytes */{size}"},
    )


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The Range a GET asks for; None means the whole object (absent, or syntax S3 ignores, e.g. lists)."""
    if header is None:
        return None
    m = _SIMPLE_RANGE.match(header)
    if m is None:
        return None
    first, last = m.group(1), m.group(2)
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise _unsatisfiable(header, size)
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # not a valid range: the whole object, as RFC 9110 says
    if start >= size:
        raise _unsatisfiable(header, size)
    return ByteRange(start, min(end, size - 1))


def parse_copy_range(header: str, size: int) -> ByteRange:
    """x-amz-copy-source-range for UploadPartCopy: exactly bytes=first-last, inside the source."""
    m = _COPY_RANGE.match(header.strip())
    if m is None:
        raise ServiceError(
            "InvalidArgument",
            "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are "
            "the zero-based offsets of the first and last bytes to copy",
            400,
            fields={"ArgumentName": "x-amz-copy-source-range", "ArgumentValue": header},
        )
    start, end = int(m.group(1)), int(m.group(2))
    if end < start or end >= size:
        raise ServiceError(
            "InvalidRange",
            "The requested range is not satisfiable",
            416,
            fields={"RangeRequested": header, "ActualObjectSize": str(size)},
        )
    return ByteRange(start, end)
