"""Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy, AbortMultipartUpload."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import anyio.to_thread

from hutch.auth.checksums import ChecksumAlgorithm, VerifiedChecksum
from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.s3 import ingest, tagging
from hutch.services.s3.authz import authorize, object_arn, service, tag_context
from hutch.services.s3.body import declared_algorithm, declared_length, verified_checksum
from hutch.services.s3.conditions import parse_copy_range
from hutch.services.s3.copying import copy_bytes, load_source
from hutch.services.s3.errors import invalid_request, no_such_upload
from hutch.services.s3.headers import check_unsupported, stored_headers, user_metadata
from hutch.services.s3.integrity import (
    COMPOSITE_CAPABLE,
    DEFAULT_ALGORITHM,
    FULL_OBJECT_CAPABLE,
    algorithm_named,
    member_name,
)
from hutch.services.s3.keys import key_bytes
from hutch.services.s3.model import Bucket, ChecksumType, Upload, UploadPart, epoch

MAX_PART_NUMBER = 10_000


def new_upload_id(now_ms: int) -> str:
    # Time first, so ordering uploads by id orders them by initiation (ListMultipartUploads).
    return f"{now_ms:012x}" + secrets.token_urlsafe(30)


def load_upload(call: Call, params: dict[str, Any]) -> tuple[Bucket, Upload]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    key = params["Key"]
    call.log["key"] = key
    upload_id = str(params["UploadId"])
    upload = svc.uploads.get(upload_id)
    if upload is None or upload.bucket != bucket.name or upload.key != key:
        raise no_such_upload(upload_id)
    return bucket, upload


def checked_part_number(value: Any) -> int:
    number = int(value)
    if not 1 <= number <= MAX_PART_NUMBER:
        raise ServiceError(
            "InvalidArgument",
            f"Part number must be an integer between 1 and {MAX_PART_NUMBER}, inclusive",
            400,
            fields={"ArgumentName": "partNumber", "ArgumentValue": str(number)},
        )
    return number


def _checksum_choice(params: dict[str, Any]) -> tuple[ChecksumAlgorithm | None, ChecksumType | None]:
    name, raw_kind = params.get("ChecksumAlgorithm"), params.get("ChecksumType")
    kind: ChecksumType | None
    if raw_kind is None:
        kind = None
    elif raw_kind in ("FULL_OBJECT", "COMPOSITE"):
        kind = "FULL_OBJECT" if raw_kind == "FULL_OBJECT" else "COMPOSITE"
    else:
        raise invalid_request(f"Value for x-amz-checksum-type header is invalid: {raw_kind}")
    if name is None:
        if kind is not None:
            raise invalid_request(
                "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header."
            )
        return None, None
    algorithm = algorithm_named(str(name))
    if kind is None:
        kind = "FULL_OBJECT" if algorithm is ChecksumAlgorithm.CRC64NVME else "COMPOSITE"
    if kind == "FULL_OBJECT" and algorithm not in FULL_OBJECT_CAPABLE:
        raise invalid_request(
            f"The FULL_OBJECT checksum type cannot be used with the {algorithm.value.lower()} checksum "
            "algorithm."
        )
    if kind == "COMPOSITE" and algorithm not in COMPOSITE_CAPABLE:
        raise invalid_request(
            f"The COMPOSITE checksum type cannot be used with the {algorithm.value.lower()} checksum "
            "algorithm."
        )
    return algorithm, kind


def effective_algorithm(upload: Upload) -> ChecksumAlgorithm:
    """What each part is checksummed with: the upload's algorithm, or S3's default (CRC64NVME)."""
    if upload.checksum_algorithm:
        found = ChecksumAlgorithm.from_name(upload.checksum_algorithm)
        if found is not None:
            return found
    return DEFAULT_ALGORITHM


def upload_checksum_type(upload: Upload) -> ChecksumType:
    return upload.checksum_type or "FULL_OBJECT"


@operation("s3", "CreateMultipartUpload")
def create_multipart_upload(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    key = params["Key"]
    call.log["key"] = key
    key_bytes(key)
    tags = tagging.from_header(params.get("Tagging"))
    arn = object_arn(bucket.name, key)
    context = tag_context("RequestObjectTag", tags)
    authorize(call, bucket, "s3:PutObject", arn, context)
    if tags:
        authorize(call, bucket, "s3:PutObjectTagging", arn, context)
    check_unsupported(params)
    algorithm, kind = _checksum_choice(params)
    now = call.rt.now()
    upload = Upload(
        upload_id=new_upload_id(int(now.timestamp() * 1000)),
        bucket=bucket.name,
        key=key,
        initiated=int(now.timestamp()),
        initiator=call.principal.arn,
        initiator_id=call.principal.user_id,
        headers=stored_headers(params),
        meta=user_metadata(params),
        tags=tags,
        checksum_algorithm=algorithm.value if algorithm else None,
        checksum_type=kind,
    )
    svc.uploads.create(upload)
    result: dict[str, Any] = {"Bucket": bucket.name, "Key": key, "UploadId": upload.upload_id}
    if algorithm is not None:
        result["ChecksumAlgorithm"] = algorithm.value
        result["ChecksumType"] = kind
    return result


# -- UploadPart ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartPlan:
    upload: Upload
    number: int
    algorithm: ChecksumAlgorithm  # the upload's
    compute: ChecksumAlgorithm | None  # computed here when the client's checksum is not the upload's
    length: int  # as declared by the request


def _plan_part(call: Call, params: dict[str, Any]) -> PartPlan:
    bucket, upload = load_upload(call, params)
    authorize(call, bucket, "s3:PutObject", object_arn(bucket.name, upload.key))
    number = checked_part_number(params["PartNumber"])
    length = declared_length(call, params)
    algorithm = effective_algorithm(upload)
    sent = declared_algorithm(call.http.headers)
    if upload.checksum_algorithm and sent is not None and sent is not algorithm:
        raise invalid_request(
            f"Checksum Type mismatch occurred, expected checksum Type: {algorithm.value.lower()}, "
            f"actual checksum Type: {sent.value.lower()}"
        )
    return PartPlan(upload, number, algorithm, None if sent is algorithm else algorithm, length)


def _finish_part(
    call: Call, plan: PartPlan, received: ingest.Received, verified: VerifiedChecksum | None
) -> dict[str, Any]:
    svc = service(call)
    blob_id = received.commit(svc.blobs)
    computed = received.hasher.checksum()
    own = computed if computed is not None else (verified.value if verified is not None else None)
    part = UploadPart(
        number=plan.number,
        size=received.size,
        blob_id=blob_id,
        etag=received.hasher.md5().hex(),
        last_modified=int(call.rt.now().timestamp()),
        checksum=own,
    )
    try:
        displaced = svc.uploads.put_part(plan.upload.upload_id, part)
    except BaseException:
        svc.blobs.delete(blob_id)
        raise
    svc.discard(displaced)
    result: dict[str, Any] = {"ETag": f'"{part.etag}"'}
    if verified is not None:
        result[member_name(verified.algorithm.value)] = verified.value
    elif plan.upload.checksum_algorithm and own is not None:
        result[member_name(plan.algorithm.value)] = own
    return result


@operation("s3", "UploadPart")
async def upload_part(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    plan = await anyio.to_thread.run_sync(_plan_part, call, params)
    body: AsyncIterator[bytes] | bytes = params.get("Body") or b""
    received = await ingest.receive(svc.blobs, body, plan.compute, declared_length=plan.length)
    try:
        return await anyio.to_thread.run_sync(_finish_part, call, plan, received, verified_checksum(body))
    except BaseException:
        await anyio.to_thread.run_sync(received.discard)
        raise


@operation("s3", "UploadPartCopy")
def upload_part_copy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket, upload = load_upload(call, params)
    authorize(
        call,
        bucket,
        "s3:PutObject",
        object_arn(bucket.name, upload.key),
        {"s3:x-amz-copy-source": str(params["CopySource"])},
    )
    number = checked_part_number(params["PartNumber"])
    source = load_source(call, params)
    span = None
    if params.get("CopySourceRange"):
        span = parse_copy_range(str(params["CopySourceRange"]), source.record.size)
    elif source.record.size > ingest.MAX_SINGLE_UPLOAD:
        raise invalid_request(
            "The specified copy source is larger than the maximum allowable size for a copy source: "
            f"{ingest.MAX_SINGLE_UPLOAD}"
        )
    algorithm = effective_algorithm(upload)
    copied = copy_bytes(call, source, span, algorithm, allow_inline=False)
    assert copied.blob_id is not None  # parts are always blobs
    part = UploadPart(
        number=number,
        size=copied.size,
        blob_id=copied.blob_id,
        etag=copied.md5.hex(),
        last_modified=int(call.rt.now().timestamp()),
        checksum=copied.checksum,
    )
    try:
        displaced = svc.uploads.put_part(upload.upload_id, part)
    except BaseException:
        svc.blobs.delete(copied.blob_id)
        raise
    svc.discard(displaced)
    result: dict[str, Any] = {"ETag": f'"{part.etag}"', "LastModified": epoch(part.last_modified)}
    if upload.checksum_algorithm and part.checksum:
        result[member_name(algorithm.value)] = part.checksum
    return {"CopyPartResult": result}


@operation("s3", "AbortMultipartUpload")
def abort_multipart_upload(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket, upload = load_upload(call, params)
    authorize(call, bucket, "s3:AbortMultipartUpload", object_arn(bucket.name, upload.key))
    expected = params.get("IfMatchInitiatedTime")
    if expected is not None and int(expected.timestamp()) != upload.initiated:
        raise ServiceError(
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
            412,
            fields={"Condition": "x-amz-if-match-initiated-time"},
        )
    blobs = svc.uploads.abort(upload.upload_id)
    if blobs is None:
        raise no_such_upload(upload.upload_id)
    svc.discard(blobs)
    return {}
