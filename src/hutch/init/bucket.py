"""The bucket and its CORS rule for browser apps."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from hutch.init.connection import InitError
from hutch.init.names import CORS_RULE_ID
from hutch.init.policies import Document, cors_rule
from hutch.init.report import Report


def ensure_bucket(s3: Any, bucket: str, region: str, report: Report) -> None:
    """The bucket exists and its first CORS rule is init's; CORS rules an operator added are kept after it."""
    created = False
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as err:
        status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 403:
            raise InitError(f"bucket {bucket!r} exists and these credentials may not use it") from None
        if status != 404:
            raise
        extra: dict[str, Any] = {}
        if region != "us-east-1":
            extra["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(Bucket=bucket, **extra)
        created = True

    current = [] if created else _cors_rules(s3, bucket)
    wanted = [cors_rule(CORS_RULE_ID)] + [r for r in current if r.get("ID") != CORS_RULE_ID]
    changes = []
    if [_normalized(r) for r in current] != [_normalized(r) for r in wanted]:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": wanted})
        changes.append("CORS rule " + CORS_RULE_ID)
    report.outcome("bucket", bucket, changes, created=created)


def _cors_rules(s3: Any, bucket: str) -> list[Document]:
    try:
        return list(s3.get_bucket_cors(Bucket=bucket).get("CORSRules", []))
    except ClientError as err:
        if err.response["Error"]["Code"] == "NoSuchCORSConfiguration":
            return []
        raise


def _normalized(rule: Document) -> Document:
    # GetBucketCors leaves out empty lists; compare what a rule means, not how it was spelled.
    return {k: v for k, v in rule.items() if v not in (None, [], "")}
