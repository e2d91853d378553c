"""CopyObject: s3:GetObject on the source, s3:PutObject on the destination, metadata COPY or REPLACE."""

from __future__ import annotations

from typing import Any

from hutch.auth.checksums import ChecksumAlgorithm
from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.s3 import tagging
from hutch.services.s3.authz import authorize, object_arn, service, tag_context
from hutch.services.s3.conditions import check_write
from hutch.services.s3.copying import Source, copy_bytes, load_source
from hutch.services.s3.errors import invalid_request
from hutch.services.s3.headers import check_unsupported, stored_headers, user_metadata
from hutch.services.s3.integrity import DEFAULT_ALGORITHM, SUPPORTED, algorithm_named, checksum_members
from hutch.services.s3.keys import key_bytes
from hutch.services.s3.model import ObjectRecord, StoredChecksum, epoch

MAX_COPY_SOURCE = 5 * 1024**3


def _directive(params: dict[str, Any], name: str) -> str:
    value = str(params.get(name) or "COPY").upper()
    if value not in ("COPY", "REPLACE"):
        header = "x-amz-metadata-directive" if name == "MetadataDirective" else "x-amz-tagging-directive"
        raise ServiceError(
            "InvalidArgument",
            f"Unknown {header} value",
            400,
            fields={"ArgumentName": header, "ArgumentValue": value},
        )
    return value


def _checksum_algorithm(params: dict[str, Any], source: Source) -> ChecksumAlgorithm:
    if params.get("ChecksumAlgorithm"):
        return algorithm_named(str(params["ChecksumAlgorithm"]))
    if source.record.checksum is not None:
        found = ChecksumAlgorithm.from_name(source.record.checksum.algorithm)
        if found in SUPPORTED:
            return found
    return DEFAULT_ALGORITHM


@operation("s3", "CopyObject")
def copy_object(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    key = params["Key"]
    call.log["key"] = key
    key_bytes(key)
    metadata_directive = _directive(params, "MetadataDirective")
    tagging_directive = _directive(params, "TaggingDirective")
    source = load_source(call, params)
    new_tags = (
        tagging.from_header(params.get("Tagging")) if tagging_directive == "REPLACE" else source.record.tags
    )
    context: dict[str, Any] = {
        "s3:x-amz-copy-source": source.header,
        "s3:x-amz-metadata-directive": metadata_directive,
        **tag_context("RequestObjectTag", new_tags if tagging_directive == "REPLACE" else ()),
    }
    authorize(call, bucket, "s3:PutObject", object_arn(bucket.name, key), context)
    if new_tags:
        # Copying tags reads them from the source and writes them to the destination, as S3 checks.
        if tagging_directive == "COPY":
            authorize(
                call,
                source.bucket,
                "s3:GetObjectTagging",
                object_arn(source.bucket.name, source.key),
                tag_context("ExistingObjectTag", source.record.tags),
            )
        authorize(call, bucket, "s3:PutObjectTagging", object_arn(bucket.name, key), context)
    check_unsupported(params)
    same_object = source.bucket.name == bucket.name and source.key == key
    changes_something = (
        metadata_directive == "REPLACE"
        or tagging_directive == "REPLACE"
        or params.get("StorageClass") is not None
        or params.get("WebsiteRedirectLocation") is not None
        or params.get("ChecksumAlgorithm") is not None
    )
    if same_object and not changes_something:
        raise invalid_request(
            "This copy request is illegal because it is trying to copy an object to itself without changing "
            "the object's metadata, storage class, website redirect location or encryption attributes."
        )
    if source.record.size > MAX_COPY_SOURCE:
        raise invalid_request(
            "The specified copy source is larger than the maximum allowable size for a copy source: "
            f"{MAX_COPY_SOURCE}"
        )
    if metadata_directive == "REPLACE":
        headers, meta = stored_headers(params), user_metadata(params)
    else:
        headers, meta = dict(source.record.headers), dict(source.record.meta)
        if params.get("StorageClass"):
            headers.update({k: v for k, v in stored_headers(params).items() if k == "StorageClass"})
    if_match, if_none_match = params.get("IfMatch"), params.get("IfNoneMatch")
    if if_match is not None or if_none_match is not None:
        check_write(svc.store.get_object(bucket.name, key), if_match, if_none_match)
    algorithm = _checksum_algorithm(params, source)
    copied = copy_bytes(call, source, None, algorithm, allow_inline=True)
    record = ObjectRecord(
        bucket=bucket.name,
        key=key,
        size=copied.size,
        etag=copied.md5.hex(),
        last_modified=int(call.rt.now().timestamp()),
        blob_id=copied.blob_id,
        headers=headers,
        meta=meta,
        tags=tuple(new_tags),
        checksum=StoredChecksum(algorithm.value, copied.checksum) if copied.checksum else None,
        inline=copied.inline,
    )
    try:
        displaced = svc.store.put_object(
            record, precondition=lambda current: check_write(current, if_match, if_none_match)
        )
    except BaseException:
        if copied.blob_id is not None:
            svc.blobs.delete(copied.blob_id)
        raise
    svc.discard(displaced)
    return {
        "CopyObjectResult": {
            "ETag": record.quoted_etag,
            "LastModified": epoch(record.last_modified),
            **checksum_members(record.checksum),
        }
    }
