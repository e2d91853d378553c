"""The source side of CopyObject and UploadPartCopy: parse x-amz-copy-source, authorize, read, copy bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from hutch.auth.checksums import ChecksumAlgorithm
from hutch.errors import ServiceError
from hutch.operations import Call
from hutch.services.s3.authz import authorize, missing_object, object_arn, service, tag_context
from hutch.services.s3.conditions import ByteRange, Preconditions
from hutch.services.s3.data import STREAM_CHUNK, open_object, segments_for
from hutch.services.s3.ingest import INLINE_OBJECT_MAX
from hutch.services.s3.integrity import ObjectHasher
from hutch.services.s3.keys import key_bytes
from hutch.services.s3.model import Bucket, ObjectPart, ObjectRecord

if TYPE_CHECKING:
    from hutch.services.s3.service import S3Service

_READ_ATTEMPTS = 3


@dataclass(frozen=True)
class Source:
    bucket: Bucket
    key: str
    record: ObjectRecord
    parts: list[ObjectPart]
    header: str  # x-amz-copy-source as sent


def parse_copy_source(value: str) -> tuple[str, str]:
    """x-amz-copy-source: "bucket/key" or "/bucket/key", URL-encoded, maybe "?versionId=..."."""
    raw, _, query = value.partition("?")
    if query:
        version = query.removeprefix("versionId=") if query.startswith("versionId=") else None
        if version is None or version != "null":
            raise ServiceError(
                "InvalidArgument",
                "Invalid version id specified",
                400,
                fields={"ArgumentName": "x-amz-copy-source", "ArgumentValue": value},
            )
    decoded = unquote(raw).lstrip("/")
    bucket, _, key = decoded.partition("/")
    if not bucket or not key or decoded.startswith("arn:"):
        raise ServiceError(
            "InvalidArgument",
            "Invalid copy source object key",
            400,
            fields={"ArgumentName": "x-amz-copy-source", "ArgumentValue": value},
        )
    return bucket, key


def load_source(call: Call, params: dict[str, Any]) -> Source:
    """The copy source, after s3:GetObject on it and its x-amz-copy-source-if-* conditions."""
    svc = service(call)
    header = str(params["CopySource"])
    bucket_name, key = parse_copy_source(header)
    key_bytes(key)
    bucket = svc.bucket(bucket_name, params.get("ExpectedSourceBucketOwner"))
    record, parts = svc.store.get_object_and_parts(bucket.name, key)
    context = tag_context("ExistingObjectTag", record.tags) if record is not None else {}
    authorize(call, bucket, "s3:GetObject", object_arn(bucket.name, key), context)
    if record is None:
        raise missing_object(call, bucket, key)
    Preconditions.of(params, "CopySourceIf").check_copy_source(record)
    return Source(bucket, key, record, parts, header)


@dataclass
class Copied:
    blob_id: str | None  # None: the copy is small and kept inline
    size: int
    md5: bytes
    checksum: str | None
    inline: bytes | None = None


def _span_size(record: ObjectRecord, span: ByteRange | None) -> int:
    return span.length if span is not None else record.size


def copy_bytes(
    call: Call,
    source: Source,
    span: ByteRange | None,
    algorithm: ChecksumAlgorithm | None,
    *,
    allow_inline: bool,
) -> Copied:
    """Copy (a range of) the source into a new blob, or inline bytes when small and ``allow_inline``.

    Re-reads the source if it was replaced while we opened it.
    """
    svc = service(call)
    record, parts = source.record, source.parts
    for _ in range(_READ_ATTEMPTS):
        hasher = ObjectHasher(algorithm)
        if record.inline is not None or (allow_inline and _span_size(record, span) <= INLINE_OBJECT_MAX):
            data = _small_bytes(svc, record, parts, span)
            if data is None:
                record, parts = _reread(call, source, record)
                continue
            hasher.update(data)
            if allow_inline and len(data) <= INLINE_OBJECT_MAX:
                return Copied(None, hasher.size, hasher.md5(), hasher.checksum(), data)
            writer = svc.blobs.writer()
            try:
                writer.write(data)
                blob_id = writer.commit()
            except BaseException:
                writer.abort()
                raise
            return Copied(blob_id, hasher.size, hasher.md5(), hasher.checksum())
        opened = open_object(svc.blobs, svc.pins, segments_for(record, parts, span))
        if opened is None:
            record, parts = _reread(call, source, record)
            continue
        writer = svc.blobs.writer()
        try:
            try:
                while True:
                    chunk = opened.read(STREAM_CHUNK)
                    if not chunk:
                        break
                    hasher.update(chunk)
                    writer.write(chunk)
            finally:
                opened.close()
            blob_id = writer.commit()
        except BaseException:
            writer.abort()
            raise
        return Copied(blob_id, hasher.size, hasher.md5(), hasher.checksum())
    raise ServiceError("SlowDown", "Please reduce your request rate.", 503, sender_fault=False)


def _small_bytes(
    svc: S3Service, record: ObjectRecord, parts: list[ObjectPart], span: ByteRange | None
) -> bytes | None:
    """The bytes of a small span (None when the blobs vanished under us)."""
    if record.inline is not None:
        return record.inline[span.start : span.end + 1] if span is not None else record.inline
    opened = open_object(svc.blobs, svc.pins, segments_for(record, parts, span))
    if opened is None:
        return None
    try:
        return opened.read_all()
    finally:
        opened.close()


def _reread(call: Call, source: Source, seen: ObjectRecord) -> tuple[ObjectRecord, list[ObjectPart]]:
    fresh, parts = service(call).store.get_object_and_parts(source.bucket.name, source.key)
    if fresh is None:
        raise missing_object(call, source.bucket, source.key)
    if fresh.etag != seen.etag:
        # The source changed under us: S3 would have copied one version or the other; we refuse.
        raise ServiceError(
            "PreconditionFailed", "The copy source changed during the copy; please retry.", 412
        )
    return fresh, parts
