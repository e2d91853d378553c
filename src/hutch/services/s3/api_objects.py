"""Object operations: PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import anyio.to_thread

from hutch.auth.checksums import ChecksumAlgorithm, VerifiedChecksum
from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.s3 import ingest, tagging
from hutch.services.s3.authz import (
    access_denied,
    allowed,
    authorize,
    missing_object,
    object_arn,
    service,
    tag_context,
)
from hutch.services.s3.body import declared_algorithm, declared_length, stored_checksum, verified_checksum
from hutch.services.s3.conditions import ByteRange, Preconditions, check_write, parse_range
from hutch.services.s3.data import INLINE_LIMIT, ObjectStream, open_object, segments_for
from hutch.services.s3.errors import invalid_request, malformed_xml, no_such_bucket
from hutch.services.s3.headers import (
    apply_overrides,
    check_unsupported,
    object_headers,
    stored_headers,
    user_metadata,
)
from hutch.services.s3.integrity import DEFAULT_ALGORITHM, checksum_members
from hutch.services.s3.keys import check_version, key_bytes
from hutch.services.s3.model import Bucket, ObjectRecord, StoredChecksum
from hutch.services.s3.service import check_owner
from hutch.wire.http import Headers

MAX_DELETE_KEYS = 1000
_READ_ATTEMPTS = 3


# -- PutObject ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PutPlan:
    bucket: Bucket
    key: str
    headers: dict[str, str]
    meta: dict[str, str]
    tags: tuple[tuple[str, str], ...]
    compute: ChecksumAlgorithm | None  # the checksum hutch computes itself (the client sent none)
    length: int  # as declared by the request


def _plan_put(call: Call, params: dict[str, Any]) -> PutPlan:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    key = params["Key"]
    call.log["key"] = key
    key_bytes(key)
    tags = tagging.from_header(params.get("Tagging"))
    arn = object_arn(bucket.name, key)
    context: dict[str, Any] = tag_context("RequestObjectTag", tags)
    if params.get("ACL"):
        context["s3:x-amz-acl"] = params["ACL"]
    if params.get("StorageClass"):
        context["s3:x-amz-storage-class"] = params["StorageClass"]
    authorize(call, bucket, "s3:PutObject", arn, context)
    if tags:
        authorize(call, bucket, "s3:PutObjectTagging", arn, context)
    check_unsupported(params)
    if params.get("WriteOffsetBytes") is not None:
        raise ServiceError("NotImplemented", "Appending to objects is not supported by hutch.", 501)
    length = declared_length(call, params)
    plan = PutPlan(
        bucket,
        key,
        stored_headers(params),
        user_metadata(params),
        tags,
        None if declared_algorithm(call.http.headers) else DEFAULT_ALGORITHM,
        length,
    )
    if params.get("IfMatch") is not None or params.get("IfNoneMatch") is not None:
        # Fail fast, before the body is read; checked again when the object is committed.
        check_write(svc.store.get_object(bucket.name, key), params.get("IfMatch"), params.get("IfNoneMatch"))
    return plan


def finish_put(
    call: Call,
    params: dict[str, Any],
    plan: PutPlan,
    received: ingest.Received,
    verified: VerifiedChecksum | None,
) -> dict[str, Any]:
    """Store a received body as the object (PutObject, and POST Object's form uploads)."""
    svc = service(call)
    inline = received.take_inline()
    blob_id = received.commit(svc.blobs) if inline is None else None
    record = ObjectRecord(
        bucket=plan.bucket.name,
        key=plan.key,
        size=received.hasher.size,
        etag=received.hasher.md5().hex(),
        last_modified=int(call.rt.now().timestamp()),
        blob_id=blob_id,
        headers=plan.headers,
        meta=plan.meta,
        tags=plan.tags,
        checksum=stored_checksum(verified, received.hasher.checksum()),
        inline=inline,
    )
    if_match, if_none_match = params.get("IfMatch"), params.get("IfNoneMatch")
    try:
        displaced = svc.store.put_object(
            record, precondition=lambda current: check_write(current, if_match, if_none_match)
        )
    except BaseException:
        if blob_id is not None:
            svc.blobs.delete(blob_id)
        raise
    svc.discard(displaced)
    return {"ETag": record.quoted_etag, **checksum_members(record.checksum)}


@operation("s3", "PutObject")
async def put_object(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    plan = await anyio.to_thread.run_sync(_plan_put, call, params)
    body: AsyncIterator[bytes] | bytes = params.get("Body") or b""
    received = await ingest.receive(svc.blobs, body, plan.compute, declared_length=plan.length)
    try:
        return await anyio.to_thread.run_sync(
            finish_put, call, params, plan, received, verified_checksum(body)
        )
    except BaseException:
        await anyio.to_thread.run_sync(received.discard)
        raise


# -- GetObject / HeadObject ------------------------------------------------------------------------


def _read(call: Call, params: dict[str, Any], *, with_body: bool) -> dict[str, Any]:
    svc = service(call)
    key = params["Key"]
    found, record, parts = svc.store.get_bucket_and_object(params["Bucket"], key)
    if found is None:
        raise no_such_bucket(params["Bucket"])
    check_owner(found, params.get("ExpectedBucketOwner"))
    bucket = found
    call.log["key"] = key
    check_version(params)
    if call.principal.is_anonymous and any(params.get(p) is not None for p in _OVERRIDE_PARAMS):
        raise invalid_request("Request specific response headers cannot be used for anonymous GET requests.")
    part_number = params.get("PartNumber")
    if part_number is not None and params.get("Range") is not None:
        raise invalid_request("Cannot specify both Range header and partNumber query parameter")
    with_checksum = str(params.get("ChecksumMode") or "").upper() == "ENABLED"
    arn = object_arn(bucket.name, key)
    for attempt in range(_READ_ATTEMPTS):
        if attempt:
            record, parts = svc.store.get_object_and_parts(bucket.name, key)
        context = tag_context("ExistingObjectTag", record.tags) if record is not None else {}
        authorize(call, bucket, "s3:GetObject", arn, context)
        if record is None:
            raise missing_object(call, bucket, key)
        Preconditions.of(params).check_read(record)
        span: ByteRange | None
        if part_number is not None:
            span, result = _part_span(record, parts, int(part_number), with_checksum)
        else:
            span = parse_range(params.get("Range"), record.size)
            result = object_headers(record, with_checksum=with_checksum and span is None)
            if span is not None:
                result["ContentRange"] = span.content_range(record.size)
                result["ContentLength"] = span.length
        apply_overrides(result, params)
        if not with_body:
            return result
        if record.inline is not None:
            result["Body"] = record.inline[span.start : span.end + 1] if span is not None else record.inline
            return result
        opened = open_object(svc.blobs, svc.pins, segments_for(record, parts, span))
        if opened is None:
            continue  # overwritten while we looked: read the new version
        if opened.remaining <= INLINE_LIMIT:
            try:
                result["Body"] = opened.read_all()
            finally:
                opened.close()
        else:
            result["Body"] = ObjectStream(opened)
        return result
    raise ServiceError("SlowDown", "Please reduce your request rate.", 503, sender_fault=False)


_OVERRIDE_PARAMS = (
    "ResponseContentType",
    "ResponseCacheControl",
    "ResponseContentDisposition",
    "ResponseContentEncoding",
    "ResponseContentLanguage",
    "ResponseExpires",
)


def _part_span(
    record: ObjectRecord, parts: list[Any], number: int, with_checksum: bool
) -> tuple[ByteRange | None, dict[str, Any]]:
    """GET/HEAD ?partNumber=N: that part of a multipart object (part 1 of any other object is all of it)."""
    count = record.parts_count or 1
    if not 1 <= number <= count:
        raise ServiceError(
            "InvalidPartNumber",
            "The requested partnumber is not satisfiable",
            416,
            fields={"PartNumberRequested": str(number), "ActualPartCount": str(count)},
        )
    result = object_headers(record, with_checksum=False)
    if record.parts_count is None:
        span = ByteRange(0, record.size - 1) if record.size else None
        if with_checksum:
            result.update(checksum_members(record.checksum))
    else:
        part = parts[number - 1]
        span = ByteRange(part.start, part.start + part.size - 1) if part.size else None
        result["PartsCount"] = record.parts_count
        if with_checksum and part.checksum and record.checksum is not None:
            result.update(
                checksum_members(StoredChecksum(record.checksum.algorithm, part.checksum, "FULL_OBJECT"))
            )
    if span is not None:
        result["ContentRange"] = span.content_range(record.size)
        result["ContentLength"] = span.length
    else:
        result["ContentLength"] = 0
    return span, result


@operation("s3", "GetObject")
def get_object(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _read(call, params, with_body=True)


@operation("s3", "HeadObject")
def head_object(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _read(call, params, with_body=False)


# -- DeleteObject / DeleteObjects ------------------------------------------------------------------


@operation("s3", "DeleteObject")
def delete_object(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    key = params["Key"]
    call.log["key"] = key
    check_version(params)
    authorize(call, bucket, "s3:DeleteObject", object_arn(bucket.name, key))
    key_bytes(key)
    if_match = params.get("IfMatch")

    def precondition(current: ObjectRecord | None) -> None:
        if if_match is not None and current is not None:
            check_write(current, if_match, None)

    svc.discard(svc.store.delete_object(bucket.name, key, precondition))
    return {}


def _has_integrity_header(headers: Headers) -> bool:
    return "content-md5" in headers or declared_algorithm(headers) is not None


@operation("s3", "DeleteObjects")
def delete_objects(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    if not _has_integrity_header(call.http.headers):
        raise invalid_request("Missing required header for this request: Content-MD5 OR x-amz-checksum-*")
    request = params.get("Delete") or {}
    entries = request.get("Objects") or []
    if not entries or len(entries) > MAX_DELETE_KEYS:
        raise malformed_xml()
    quiet = bool(request.get("Quiet"))
    deleted: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    to_delete: list[str] = []
    for entry in entries:
        key = str(entry.get("Key", ""))
        version = entry.get("VersionId")
        if version is not None and version != "null":
            errors.append(
                {
                    "Key": key,
                    "VersionId": version,
                    "Code": "NoSuchVersion",
                    "Message": "The specified version does not exist.",
                }
            )
            continue
        try:
            key_bytes(key)
        except ServiceError as error:
            errors.append({"Key": key, "Code": error.code, "Message": error.message})
            continue
        if not allowed(call, bucket, "s3:DeleteObject", object_arn(bucket.name, key)):
            denied = access_denied()
            errors.append({"Key": key, "Code": denied.code, "Message": denied.message})
            continue
        to_delete.append(key)
        if not quiet:
            deleted.append({"Key": key})
    if to_delete:
        svc.discard(svc.store.delete_objects(bucket.name, to_delete))
    result: dict[str, Any] = {}
    if deleted:
        result["Deleted"] = deleted
    if errors:
        result["Errors"] = errors
    return result
