"""CompleteMultipartUpload, ListParts and ListMultipartUploads."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.s3.api_multipart import effective_algorithm, load_upload, upload_checksum_type
from hutch.services.s3.authz import authorize, object_arn, service
from hutch.services.s3.conditions import check_write
from hutch.services.s3.errors import bad_checksum, invalid_request, malformed_xml
from hutch.services.s3.integrity import PartChecksum, combine, member_name, multipart_etag, supplied_checksum
from hutch.services.s3.keys import key_encoder
from hutch.services.s3.model import (
    ObjectPart,
    ObjectRecord,
    StoredChecksum,
    Upload,
    UploadPart,
    canonical_user_id,
    epoch,
    owner,
)
from hutch.services.s3.upload_store import PartChanged

MIN_PART_SIZE = 5 * 1024 * 1024
MAX_PARTS_LISTED = 1000
MAX_UPLOADS_LISTED = 1000


def _invalid_part(number: int, etag: str) -> ServiceError:
    return ServiceError(
        "InvalidPart",
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the "
        "specified entity tag may not match the part's entity tag.",
        400,
        fields={"PartNumber": str(number), "ETag": etag},
    )


def _chosen_parts(params: dict[str, Any], upload: Upload, stored: dict[int, UploadPart]) -> list[UploadPart]:
    requested = (params.get("MultipartUpload") or {}).get("Parts") or []
    if not requested:
        raise malformed_xml()
    algorithm = effective_algorithm(upload)
    chosen: list[UploadPart] = []
    previous = 0
    for entry in requested:
        number = int(entry.get("PartNumber") or 0)
        if number <= previous:
            raise ServiceError(
                "InvalidPartOrder",
                "The list of parts was not in ascending order. Parts must be ordered by part number.",
                400,
                fields={"UploadId": upload.upload_id},
            )
        previous = number
        etag = str(entry.get("ETag") or "").strip().strip('"')
        part = stored.get(number)
        if part is None or part.etag != etag:
            raise _invalid_part(number, etag)
        claimed = entry.get(member_name(algorithm.value))
        if claimed is not None and part.checksum is not None and claimed != part.checksum:
            raise _invalid_part(number, etag)
        chosen.append(part)
    for part in chosen[:-1]:
        if part.size < MIN_PART_SIZE:
            raise ServiceError(
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed object size.",
                400,
                fields={
                    "ProposedSize": str(part.size),
                    "MinSizeAllowed": str(MIN_PART_SIZE),
                    "PartNumber": str(part.number),
                    "ETag": part.etag,
                },
            )
    return chosen


def _object_checksum(
    params: dict[str, Any], upload: Upload, parts: list[UploadPart]
) -> StoredChecksum | None:
    algorithm = effective_algorithm(upload)
    kind = upload_checksum_type(upload)
    requested_type = params.get("ChecksumType")
    if requested_type is not None and upload.checksum_algorithm and requested_type != kind:
        raise invalid_request(
            f"The upload was created using the {kind} checksum mode. The complete request must use the same "
            "checksum mode."
        )
    if any(p.checksum is None for p in parts):
        return None
    value = combine(algorithm, kind, [PartChecksum(p.checksum or "", p.size) for p in parts])
    claimed = supplied_checksum(params)
    if claimed is not None:
        claimed_algorithm, claimed_value = claimed
        if claimed_algorithm is not algorithm:
            raise invalid_request(
                f"Checksum Type mismatch occurred, expected checksum Type: {algorithm.value.lower()}, "
                f"actual checksum Type: {claimed_algorithm.value.lower()}"
            )
        if claimed_value.split("-")[0] != value.split("-")[0]:
            raise bad_checksum(algorithm.value)
    return StoredChecksum(algorithm.value, value, kind)


@operation("s3", "CompleteMultipartUpload")
def complete_multipart_upload(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket, upload = load_upload(call, params)
    authorize(call, bucket, "s3:PutObject", object_arn(bucket.name, upload.key))
    stored = {p.number: p for p in svc.uploads.parts(upload.upload_id)}
    chosen = _chosen_parts(params, upload, stored)
    total = sum(p.size for p in chosen)
    expected_size = params.get("MpuObjectSize")
    if expected_size is not None and int(expected_size) != total:
        raise invalid_request(
            f"The provided 'x-amz-mp-object-size' header value {expected_size} does not match what was "
            f"computed: {total}"
        )
    object_parts: list[ObjectPart] = []
    start = 0
    for part in chosen:
        object_parts.append(ObjectPart(part.number, start, part.size, part.blob_id, part.etag, part.checksum))
        start += part.size
    record = ObjectRecord(
        bucket=bucket.name,
        key=upload.key,
        size=total,
        etag=multipart_etag([bytes.fromhex(p.etag) for p in chosen]),
        last_modified=int(call.rt.now().timestamp()),
        blob_id=None,
        parts_count=len(chosen),
        headers=upload.headers,
        meta=upload.meta,
        tags=upload.tags,
        checksum=_object_checksum(params, upload, chosen),
    )
    if_match, if_none_match = params.get("IfMatch"), params.get("IfNoneMatch")
    try:
        displaced = svc.store.put_object(
            record,
            object_parts,
            precondition=lambda current: check_write(current, if_match, if_none_match),
            extra=svc.uploads.finish(upload.upload_id, {p.number: p.blob_id for p in chosen}),
        )
    except PartChanged as changed:
        raise _invalid_part(changed.part_number, stored[changed.part_number].etag) from None
    svc.discard(displaced)
    result: dict[str, Any] = {
        "Location": f"{call.rt.config.base_url}/{bucket.name}/{quote(upload.key)}",
        "Bucket": bucket.name,
        "Key": upload.key,
        "ETag": record.quoted_etag,
    }
    if record.checksum is not None:
        result[member_name(record.checksum.algorithm)] = record.checksum.value
        result["ChecksumType"] = record.checksum.type
    return result


def _initiator(upload: Upload, account: str) -> dict[str, str]:
    if upload.initiator.endswith(":root"):
        return {"ID": canonical_user_id(account)}
    return {"ID": upload.initiator, "DisplayName": upload.initiator.rsplit("/", 1)[-1]}


@operation("s3", "ListParts")
def list_parts(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket, upload = load_upload(call, params)
    authorize(call, bucket, "s3:ListMultipartUploadParts", object_arn(bucket.name, upload.key))
    max_parts = min(int(params.get("MaxParts") or MAX_PARTS_LISTED), MAX_PARTS_LISTED)
    if max_parts < 0:
        raise ServiceError(
            "InvalidArgument", "Argument max-parts must be an integer between 0 and 2147483647", 400
        )
    marker = int(params.get("PartNumberMarker") or 0)
    found = svc.uploads.parts(upload.upload_id, after=marker, limit=max_parts + 1)
    page = found[:max_parts]
    algorithm = effective_algorithm(upload)
    parts = []
    for part in page:
        item: dict[str, Any] = {
            "PartNumber": part.number,
            "LastModified": epoch(part.last_modified),
            "ETag": f'"{part.etag}"',
            "Size": part.size,
        }
        if part.checksum and upload.checksum_algorithm:
            item[member_name(algorithm.value)] = part.checksum
        parts.append(item)
    result: dict[str, Any] = {
        "Bucket": bucket.name,
        "Key": upload.key,
        "UploadId": upload.upload_id,
        "PartNumberMarker": marker,
        "MaxParts": max_parts,
        "IsTruncated": len(found) > max_parts,
        "Initiator": _initiator(upload, bucket.owner),
        "Owner": owner(bucket.owner),
        "StorageClass": upload.headers.get("StorageClass", "STANDARD"),
    }
    if parts:
        result["Parts"] = parts
        result["NextPartNumberMarker"] = page[-1].number
    if upload.checksum_algorithm:
        result["ChecksumAlgorithm"] = upload.checksum_algorithm
        result["ChecksumType"] = upload_checksum_type(upload)
    return result


@operation("s3", "ListMultipartUploads")
def list_multipart_uploads(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:ListBucketMultipartUploads", bucket.arn)
    encode = key_encoder(params)
    max_uploads = min(int(params.get("MaxUploads") or MAX_UPLOADS_LISTED), MAX_UPLOADS_LISTED)
    prefix = params.get("Prefix") or ""
    delimiter = params.get("Delimiter")
    key_marker = params.get("KeyMarker")
    listing = svc.uploads.list_uploads(
        bucket.name,
        prefix=prefix.encode("utf-8"),
        delimiter=delimiter.encode("utf-8") if delimiter else None,
        key_marker=key_marker.encode("utf-8") if key_marker else None,
        upload_id_marker=params.get("UploadIdMarker"),
        max_uploads=max_uploads,
    )
    result: dict[str, Any] = {
        "Bucket": bucket.name,
        "KeyMarker": encode(key_marker or ""),
        "UploadIdMarker": params.get("UploadIdMarker") or "",
        "Prefix": encode(prefix),
        "MaxUploads": max_uploads,
        "IsTruncated": listing.truncated,
    }
    if delimiter:
        result["Delimiter"] = encode(delimiter)
    if params.get("EncodingType"):
        result["EncodingType"] = params["EncodingType"]
    if listing.truncated:
        result["NextKeyMarker"] = encode(listing.next_key_marker or "")
        result["NextUploadIdMarker"] = listing.next_upload_id_marker or ""
    uploads = []
    for up in listing.uploads:
        item: dict[str, Any] = {
            "UploadId": up.upload_id,
            "Key": encode(up.key),
            "Initiated": epoch(up.initiated),
            "StorageClass": up.headers.get("StorageClass", "STANDARD"),
            "Owner": owner(bucket.owner),
            "Initiator": _initiator(up, bucket.owner),
        }
        if up.checksum_algorithm:
            item["ChecksumAlgorithm"] = up.checksum_algorithm
            item["ChecksumType"] = up.checksum_type or "FULL_OBJECT"
        uploads.append(item)
    if uploads:
        result["Uploads"] = uploads
    if listing.common_prefixes:
        result["CommonPrefixes"] = [{"Prefix": encode(p.decode("utf-8"))} for p in listing.common_prefixes]
    return result
