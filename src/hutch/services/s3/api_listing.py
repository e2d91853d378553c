"""ListObjectsV2 and ListObjects: prefix, delimiter + CommonPrefixes, markers and continuation tokens."""

from __future__ import annotations

from typing import Any

from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.s3.authz import authorize, service
from hutch.services.s3.keys import key_encoder
from hutch.services.s3.listing import Cursor, Page, start_cursor
from hutch.services.s3.model import Bucket, ObjectRecord, epoch, owner

MAX_KEYS = 1000


def _max_keys(params: dict[str, Any]) -> int:
    value = params.get("MaxKeys")
    if value is None:
        return MAX_KEYS
    value = int(value)
    if value < 0:
        raise ServiceError(
            "InvalidArgument",
            "Argument maxKeys must be an integer between 0 and 2147483647",
            400,
            fields={"ArgumentName": "maxKeys", "ArgumentValue": str(value)},
        )
    return min(value, MAX_KEYS)


def _authorize_list(call: Call, bucket: Bucket, params: dict[str, Any]) -> None:
    # s3:prefix is "" for a listing without one, so policies can allow exactly the bucket's root.
    context: dict[str, Any] = {"s3:prefix": params.get("Prefix") or ""}
    if params.get("Delimiter") is not None:
        context["s3:delimiter"] = params["Delimiter"]
    if params.get("MaxKeys") is not None:
        context["s3:max-keys"] = str(params["MaxKeys"])
    authorize(call, bucket, "s3:ListBucket", bucket.arn, context)


def _contents(page: Page[ObjectRecord], encode: Any, fetch_owner: bool, account: str) -> list[dict[str, Any]]:
    out = []
    for record in page.entries:
        item: dict[str, Any] = {
            "Key": encode(record.key),
            "LastModified": epoch(record.last_modified),
            "ETag": record.quoted_etag,
            "Size": record.size,
            "StorageClass": record.headers.get("StorageClass", "STANDARD"),
        }
        if record.checksum is not None:
            item["ChecksumAlgorithm"] = [record.checksum.algorithm]
            item["ChecksumType"] = record.checksum.type
        if fetch_owner:
            item["Owner"] = owner(account)
        out.append(item)
    return out


def _list(
    call: Call, params: dict[str, Any], after: bytes | None, token: Cursor | None
) -> tuple[Bucket, Page[ObjectRecord]]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    _authorize_list(call, bucket, params)
    prefix = (params.get("Prefix") or "").encode("utf-8")
    delimiter = (params.get("Delimiter") or "").encode("utf-8") or None
    cursor = token if token is not None else start_cursor(prefix, delimiter, after)
    page = svc.store.list_objects(
        bucket.name, prefix=prefix, delimiter=delimiter, cursor=cursor, max_keys=_max_keys(params)
    )
    return bucket, page


@operation("s3", "ListObjectsV2")
def list_objects_v2(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    encode = key_encoder(params)
    token = params.get("ContinuationToken")
    cursor = Cursor.from_token(token, (params.get("Prefix") or "").encode("utf-8")) if token else None
    start_after = params.get("StartAfter")
    bucket, page = _list(call, params, start_after.encode("utf-8") if start_after else None, cursor)
    result: dict[str, Any] = {
        "IsTruncated": page.truncated,
        "Name": bucket.name,
        "Prefix": encode(params.get("Prefix") or ""),
        "MaxKeys": _max_keys(params),
        "KeyCount": len(page.entries) + len(page.common_prefixes),
    }
    contents = _contents(page, encode, bool(params.get("FetchOwner")), bucket.owner)
    if contents:
        result["Contents"] = contents
    if page.common_prefixes:
        result["CommonPrefixes"] = [{"Prefix": encode(p.decode("utf-8"))} for p in page.common_prefixes]
    if params.get("Delimiter") is not None:
        result["Delimiter"] = encode(params["Delimiter"])
    if params.get("EncodingType"):
        result["EncodingType"] = params["EncodingType"]
    if token:
        result["ContinuationToken"] = token
    if start_after:
        result["StartAfter"] = encode(start_after)
    if page.truncated and page.next_cursor is not None:
        result["NextContinuationToken"] = page.next_cursor.token()
    return result


@operation("s3", "ListObjects")
def list_objects(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    encode = key_encoder(params)
    marker = params.get("Marker")
    bucket, page = _list(call, params, marker.encode("utf-8") if marker else None, None)
    result: dict[str, Any] = {
        "IsTruncated": page.truncated,
        "Name": bucket.name,
        "Prefix": encode(params.get("Prefix") or ""),
        "Marker": encode(marker or ""),
        "MaxKeys": _max_keys(params),
    }
    contents = _contents(page, encode, True, bucket.owner)
    if contents:
        result["Contents"] = contents
    if page.common_prefixes:
        result["CommonPrefixes"] = [{"Prefix": encode(p.decode("utf-8"))} for p in page.common_prefixes]
    if params.get("Delimiter") is not None:
        result["Delimiter"] = encode(params["Delimiter"])
        # Without a delimiter S3 leaves NextMarker out: clients continue from the last key.
        if page.truncated and page.last_returned is not None:
            result["NextMarker"] = encode(page.last_returned.decode("utf-8"))
    if params.get("EncodingType"):
        result["EncodingType"] = params["EncodingType"]
    return result
