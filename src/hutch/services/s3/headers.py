"""The HTTP headers an object keeps (Content-Type & co., x-amz-meta-*) and gives back on GET/HEAD."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from hutch.errors import ServiceError
from hutch.services.s3.integrity import checksum_members
from hutch.services.s3.model import ObjectRecord, epoch

DEFAULT_CONTENT_TYPE = "binary/octet-stream"
MAX_METADATA_BYTES = 2048
STORAGE_CLASSES = frozenset(
    {
        "STANDARD",
        "REDUCED_REDUNDANCY",
        "STANDARD_IA",
        "ONEZONE_IA",
        "INTELLIGENT_TIERING",
        "GLACIER",
        "DEEP_ARCHIVE",
        "GLACIER_IR",
    }
)

# Request members an object stores and returns under the same name.
STORED = ("ContentType", "CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage")
# GetObject's response-* query overrides → the response member they replace.
OVERRIDES = {
    "ResponseContentType": "ContentType",
    "ResponseCacheControl": "CacheControl",
    "ResponseContentDisposition": "ContentDisposition",
    "ResponseContentEncoding": "ContentEncoding",
    "ResponseContentLanguage": "ContentLanguage",
    "ResponseExpires": "Expires",
}
_CANNED_ACLS_ALLOWED = frozenset({"private", "bucket-owner-full-control"})


def stored_headers(params: dict[str, Any]) -> dict[str, str]:
    """The headers to keep with a new object (PutObject, CreateMultipartUpload, CopyObject REPLACE)."""
    out = {name: str(params[name]) for name in STORED if params.get(name) not in (None, "")}
    out.setdefault("ContentType", DEFAULT_CONTENT_TYPE)
    expires = params.get("Expires")
    if isinstance(expires, datetime):
        out["Expires"] = expires.isoformat()
    if params.get("WebsiteRedirectLocation"):
        out["WebsiteRedirectLocation"] = str(params["WebsiteRedirectLocation"])
    storage_class = params.get("StorageClass")
    if storage_class:
        if storage_class not in STORAGE_CLASSES:
            raise ServiceError(
                "InvalidStorageClass",
                "The storage class you specified is not valid",
                400,
                fields={"StorageClassRequested": str(storage_class)},
            )
        if storage_class != "STANDARD":
            out["StorageClass"] = str(storage_class)
    return out


def user_metadata(params: dict[str, Any]) -> dict[str, str]:
    meta = {str(k).lower(): str(v) for k, v in (params.get("Metadata") or {}).items()}
    size = sum(len(k.encode("utf-8")) + len(v.encode("utf-8")) for k, v in meta.items())
    if size > MAX_METADATA_BYTES:
        raise ServiceError(
            "MetadataTooLarge",
            "Your metadata headers exceed the maximum allowed metadata size",
            400,
            fields={"Size": str(size), "MaxSizeAllowed": str(MAX_METADATA_BYTES)},
        )
    return meta


def check_unsupported(params: dict[str, Any]) -> None:
    """Refuse what hutch does not do rather than pretend: ACL grants, KMS or customer-key encryption."""
    acl = params.get("ACL")
    if acl is not None and acl not in _CANNED_ACLS_ALLOWED:
        raise ServiceError("AccessControlListNotSupported", "The bucket does not allow ACLs", 400)
    if any(
        params.get(n)
        for n in ("GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP")
    ):
        raise ServiceError("AccessControlListNotSupported", "The bucket does not allow ACLs", 400)
    sse = params.get("ServerSideEncryption")
    if (
        (sse is not None and sse != "AES256")
        or params.get("SSECustomerAlgorithm")
        or params.get("SSEKMSKeyId")
    ):
        raise ServiceError(
            "NotImplemented",
            "hutch stores objects unencrypted on its own disk; KMS and customer-provided-key encryption "
            "are not available.",
            501,
        )


def object_headers(record: ObjectRecord, *, with_checksum: bool) -> dict[str, Any]:
    """GetObject / HeadObject members describing the whole object."""
    out: dict[str, Any] = {
        "AcceptRanges": "bytes",
        "LastModified": epoch(record.last_modified),
        "ContentLength": record.size,
        "ETag": record.quoted_etag,
    }
    for name in STORED:
        if record.headers.get(name):
            out[name] = record.headers[name]
    if record.headers.get("Expires"):
        with contextlib.suppress(ValueError):
            out["Expires"] = datetime.fromisoformat(record.headers["Expires"])
    if record.headers.get("WebsiteRedirectLocation"):
        out["WebsiteRedirectLocation"] = record.headers["WebsiteRedirectLocation"]
    if record.headers.get("StorageClass"):
        out["StorageClass"] = record.headers["StorageClass"]
    if record.meta:
        out["Metadata"] = dict(record.meta)
    if record.tags:
        out["TagCount"] = len(record.tags)
    if with_checksum:
        out.update(checksum_members(record.checksum))
    return out


def apply_overrides(result: dict[str, Any], params: dict[str, Any]) -> None:
    for param, member in OVERRIDES.items():
        value = params.get(param)
        if value is not None:
            result[member] = value
