"""Bucket operations: create, head, list, delete, location, versioning, policy and CORS configuration."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.policy import MalformedPolicyError, PolicyKind, parse_policy
from hutch.policy.wildcard import match as wildcard_match
from hutch.services.s3 import cors
from hutch.services.s3.authz import ALL_BUCKETS, authorize, bucket_arn, service
from hutch.services.s3.headers import check_unsupported
from hutch.services.s3.keys import check_bucket_name
from hutch.services.s3.model import Bucket, epoch, owner

MAX_POLICY_BYTES = 20 * 1024
MAX_LIST_BUCKETS = 10_000
LEGACY_REGION = "us-east-1"


@operation("s3", "ListBuckets")
def list_buckets(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, None, "s3:ListAllMyBuckets", ALL_BUCKETS)
    svc = service(call)
    limit = params.get("MaxBuckets")
    if limit is not None and not 1 <= int(limit) <= MAX_LIST_BUCKETS:
        raise ServiceError(
            "InvalidArgument",
            f"max-buckets must be between 1 and {MAX_LIST_BUCKETS}",
            400,
            fields={"ArgumentName": "max-buckets", "ArgumentValue": str(limit)},
        )
    after = None
    token = params.get("ContinuationToken")
    if token:
        try:
            after = base64.urlsafe_b64decode(str(token).encode("ascii")).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeError):
            raise ServiceError(
                "InvalidArgument", "The continuation token provided is incorrect", 400
            ) from None
    page_size = int(limit) if limit is not None else MAX_LIST_BUCKETS
    prefix = params.get("Prefix")
    region = params.get("BucketRegion")
    found = svc.store.list_buckets(prefix or None, after, page_size + 1)
    buckets = found[:page_size]
    result: dict[str, Any] = {
        "Buckets": [
            {"Name": b.name, "CreationDate": epoch(b.created_at), "BucketRegion": b.region}
            for b in buckets
            if region is None or b.region == region
        ],
        "Owner": owner(call.account),
    }
    if prefix:
        result["Prefix"] = prefix
    if len(found) > page_size and limit is not None:
        result["ContinuationToken"] = base64.urlsafe_b64encode(buckets[-1].name.encode()).decode()
    return result


@operation("s3", "CreateBucket")
def create_bucket(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    name = params["Bucket"]
    check_bucket_name(name)
    authorize(call, None, "s3:CreateBucket", bucket_arn(name))
    check_unsupported(
        {
            k: params.get(k)
            for k in ("ACL", "GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP")
        }
    )
    region = call.rt.region
    constraint = (params.get("CreateBucketConfiguration") or {}).get("LocationConstraint")
    if constraint == LEGACY_REGION:
        raise ServiceError(
            "InvalidLocationConstraint",
            "The specified location-constraint is not valid",
            400,
            fields={"LocationConstraint": constraint},
        )
    if constraint is None and region != LEGACY_REGION:
        raise ServiceError(
            "IllegalLocationConstraintException",
            "The unspecified location constraint is incompatible for the region specific endpoint this "
            "request was sent to.",
            400,
        )
    if constraint is not None and constraint != region:
        raise ServiceError(
            "IllegalLocationConstraintException",
            f"The {constraint} location constraint is incompatible for the region specific endpoint this "
            "request was sent to.",
            400,
        )
    svc = service(call)
    bucket = Bucket(name, region, call.account, int(call.rt.now().timestamp()))
    existing = svc.store.create_bucket(bucket)
    if existing is not None:
        if existing.owner != call.account:
            raise ServiceError(
                "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of "
                "the system. Please select a different name and try again.",
                409,
                fields={"BucketName": name},
            )
        if region != LEGACY_REGION:
            raise ServiceError(
                "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded and you already own it.",
                409,
                fields={"BucketName": name},
            )
        # us-east-1 answers 200 to re-creating your own bucket, for legacy compatibility.
    svc.forget_bucket(name)
    call.log["bucket"] = name
    return {"Location": f"/{name}", "BucketArn": bucket_arn(name)}


@operation("s3", "HeadBucket")
def head_bucket(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    bucket = service(call).bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:ListBucket", bucket.arn)
    return {"BucketRegion": bucket.region, "BucketArn": bucket.arn}


@operation("s3", "DeleteBucket")
def delete_bucket(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:DeleteBucket", bucket.arn)
    svc.discard(svc.store.delete_bucket(bucket.name))
    svc.forget_bucket(bucket.name)
    return {}


@operation("s3", "GetBucketLocation")
def get_bucket_location(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    bucket = service(call).bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:GetBucketLocation", bucket.arn)
    # us-east-1 buckets have an empty LocationConstraint.
    return {"LocationConstraint": None if bucket.region == LEGACY_REGION else bucket.region}


@operation("s3", "GetBucketVersioning")
def get_bucket_versioning(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    bucket = service(call).bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:GetBucketVersioning", bucket.arn)
    return {}  # never enabled: no Status, as S3 answers for such buckets


# -- bucket policy ----------------------------------------------------------------------------------


def _malformed_policy(reason: str) -> ServiceError:
    return ServiceError("MalformedPolicy", reason, 400)


def validate_bucket_policy(text: str, bucket: str) -> None:
    """A bucket policy S3 would accept: a valid resource policy, about S3 and about this bucket."""
    if len(text.encode("utf-8")) > MAX_POLICY_BYTES:
        raise _malformed_policy("Policy exceeds the maximum allowed document size.")
    try:
        policy = parse_policy(text, PolicyKind.RESOURCE)
    except MalformedPolicyError as exc:
        raise _malformed_policy(exc.reason) from None
    arn = bucket_arn(bucket)
    for statement in policy.statements:
        for action in statement.actions:
            if action != "*" and not action.lower().startswith("s3:"):
                raise _malformed_policy("Policy has invalid action")
        for resource in statement.resources:
            head = resource.split("/", 1)[0]
            if resource != "*" and not wildcard_match(head, arn):
                raise _malformed_policy("Policy has invalid resource")


@operation("s3", "PutBucketPolicy")
def put_bucket_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:PutBucketPolicy", bucket.arn)
    text = params.get("Policy") or ""
    validate_bucket_policy(text, bucket.name)
    svc.store.set_bucket_policy(bucket.name, text)
    svc.forget_bucket(bucket.name)
    return {}


@operation("s3", "GetBucketPolicy")
def get_bucket_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    bucket = service(call).bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:GetBucketPolicy", bucket.arn)
    if not bucket.policy:
        raise ServiceError(
            "NoSuchBucketPolicy", "The bucket policy does not exist", 404, fields={"BucketName": bucket.name}
        )
    return {"Policy": bucket.policy}


@operation("s3", "DeleteBucketPolicy")
def delete_bucket_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:DeleteBucketPolicy", bucket.arn)
    svc.store.set_bucket_policy(bucket.name, None)
    svc.forget_bucket(bucket.name)
    return {}


# -- CORS configuration -----------------------------------------------------------------------------


@operation("s3", "PutBucketCors")
def put_bucket_cors(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:PutBucketCORS", bucket.arn)
    rules = cors.validate(params.get("CORSConfiguration"))
    svc.store.set_bucket_cors(bucket.name, cors.dump(rules))
    svc.forget_bucket(bucket.name)
    return {}


@operation("s3", "GetBucketCors")
def get_bucket_cors(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    bucket = service(call).bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    authorize(call, bucket, "s3:GetBucketCORS", bucket.arn)
    if not bucket.cors:
        raise ServiceError(
            "NoSuchCORSConfiguration",
            "The CORS configuration does not exist",
            404,
            fields={"BucketName": bucket.name},
        )
    return {"CORSRules": cors.load_api(bucket.cors)}


@operation("s3", "DeleteBucketCors")
def delete_bucket_cors(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    svc = service(call)
    bucket = svc.bucket(params["Bucket"], params.get("ExpectedBucketOwner"))
    # S3 has no separate delete permission for CORS: removing it is putting it.
    authorize(call, bucket, "s3:PutBucketCORS", bucket.arn)
    svc.store.set_bucket_cors(bucket.name, None)
    svc.forget_bucket(bucket.name)
    return {}
