"""Object tagging: GetObjectTagging, PutObjectTagging, DeleteObjectTagging."""

from __future__ import annotations

from typing import Any

from hutch.operations import Call, operation
from hutch.services.s3 import tagging
from hutch.services.s3.authz import authorize, missing_object, object_arn, service, tag_context
from hutch.services.s3.keys import check_version
from hutch.services.s3.model import Bucket, ObjectRecord


def _target(call: Call, params: dict[str, Any]) -> tuple[Bucket, str, ObjectRecord | None]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    key = params["Key"]
    call.log["key"] = key
    check_version(params)
    return bucket, key, svc.store.get_object(bucket.name, key)


@operation("s3", "GetObjectTagging")
def get_object_tagging(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    bucket, key, record = _target(call, params)
    context = tag_context("ExistingObjectTag", record.tags) if record is not None else {}
    authorize(call, bucket, "s3:GetObjectTagging", object_arn(bucket.name, key), context)
    if record is None:
        raise missing_object(call, bucket, key)
    return {"TagSet": tagging.to_tag_set(record.tags)}


@operation("s3", "PutObjectTagging")
def put_object_tagging(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    bucket, key, record = _target(call, params)
    tags = tagging.from_document(params.get("Tagging"))
    context = tag_context("RequestObjectTag", tags)
    if record is not None:
        context.update(tag_context("ExistingObjectTag", record.tags))
    authorize(call, bucket, "s3:PutObjectTagging", object_arn(bucket.name, key), context)
    if service(call).store.set_tags(bucket.name, key, tags) is None:
        raise missing_object(call, bucket, key)
    return {}


@operation("s3", "DeleteObjectTagging")
def delete_object_tagging(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    bucket, key, record = _target(call, params)
    context = tag_context("ExistingObjectTag", record.tags) if record is not None else {}
    authorize(call, bucket, "s3:DeleteObjectTagging", object_arn(bucket.name, key), context)
    if service(call).store.set_tags(bucket.name, key, None) is None:
        raise missing_object(call, bucket, key)
    return {}
