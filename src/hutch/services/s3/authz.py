"""S3's side of authorization: actions, resource ARNs and condition keys as IAM's S3 reference defines them.

Every handler asks here before it reveals or changes anything. The bucket policy is the resource-based
policy; "Principal": "*" in it is what lets anonymous callers in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from hutch.errors import ServiceError
from hutch.services.s3.model import Bucket

if TYPE_CHECKING:
    from hutch.operations import Call
    from hutch.services.s3.service import S3Service

Context = dict[str, str | Iterable[str]]

# ListAllMyBuckets has no resource type; policies name it with "*" or "arn:aws:s3:::*", and this ARN
# is matched by both.
ALL_BUCKETS = "arn:aws:s3:::*"


def service(call: Call) -> S3Service:
    svc: S3Service = call.rt.services["s3"]
    return svc


def bucket_arn(bucket: str) -> str:
    return f"arn:aws:s3:::{bucket}"


def object_arn(bucket: str, key: str) -> str:
    return f"arn:aws:s3:::{bucket}/{key}"


def _policies(bucket: Bucket | None) -> list[tuple[str, str]]:
    if bucket is None or not bucket.policy:
        return []
    return [(f"bucket policy of {bucket.name}", bucket.policy)]


def request_context(call: Call, bucket: Bucket | None) -> Context:
    """The S3 condition keys every request carries (s3:authType, s3:signatureAge, ...)."""
    ctx: Context = {}
    auth = call.auth
    if auth is not None:
        ctx["s3:authType"] = "REST-QUERY-STRING" if auth.presigned else "REST-HEADER"
        ctx["s3:signatureversion"] = "AWS4-HMAC-SHA256"
        age_ms = int((call.rt.now() - auth.date).total_seconds() * 1000)
        ctx["s3:signatureAge"] = str(max(age_ms, 0))
        sha = call.http.headers.get("x-amz-content-sha256")
        if sha:
            ctx["s3:x-amz-content-sha256"] = sha
    if bucket is not None:
        ctx["s3:ResourceAccount"] = bucket.owner
    return ctx


def _context(call: Call, bucket: Bucket | None, extra: Mapping[str, Any] | None) -> Context:
    ctx = request_context(call, bucket)
    if extra:
        ctx.update(extra)
    return ctx


def authorize(
    call: Call,
    bucket: Bucket | None,
    action: str,
    resource: str,
    context: Mapping[str, Any] | None = None,
) -> None:
    """Raise AccessDenied unless the caller may perform ``action`` on ``resource``."""
    if bucket is not None:
        call.log.setdefault("bucket", bucket.name)
    call.authorize(
        action,
        resource,
        context=_context(call, bucket, context),
        resource_policies=_policies(bucket),
        resource_account=bucket.owner if bucket is not None else None,
    )


def allowed(
    call: Call,
    bucket: Bucket | None,
    action: str,
    resource: str,
    context: Mapping[str, Any] | None = None,
    *,
    purpose: str | None = None,
) -> bool:
    """The same decision, as a boolean (DeleteObjects reports each key; 404-vs-403 on missing keys)."""
    decision = call.check(
        action,
        resource,
        context=_context(call, bucket, context),
        resource_policies=_policies(bucket),
        resource_account=bucket.owner if bucket is not None else None,
        purpose=purpose,
    )
    return bool(getattr(decision, "allowed", decision))


def access_denied(message: str = "Access Denied") -> ServiceError:
    return ServiceError("AccessDenied", message, 403)


def tag_context(prefix: str, tags: Iterable[tuple[str, str]]) -> Context:
    """s3:ExistingObjectTag/<key> or s3:RequestObjectTag/<key> for each tag (+ RequestObjectTagKeys)."""
    items = list(tags)
    ctx: Context = {f"s3:{prefix}/{k}": v for k, v in items}
    if prefix == "RequestObjectTag" and items:
        ctx["s3:RequestObjectTagKeys"] = [k for k, _ in items]
    return ctx


def missing_object(call: Call, bucket: Bucket, key: str) -> ServiceError:
    """What a caller learns about a key that does not exist: NoSuchKey only if it may list the bucket."""
    from hutch.services.s3.errors import no_such_key

    why = (
        f"The key {key!r} does not exist in bucket {bucket.name}. S3 says so (404 NoSuchKey) only to callers"
        " allowed s3:ListBucket on the bucket; anyone else gets 403 AccessDenied, as this caller did."
    )
    if allowed(call, bucket, "s3:ListBucket", bucket_arn(bucket.name), purpose=why):
        return no_such_key(key)
    return access_denied()
