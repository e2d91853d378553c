"""Bucket operations with boto3 against a live hutch."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.integration.s3.conftest import unique_bucket
from tests.support.server import HutchServer


def error_of(call: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as err:
        call()
    return err.value.response["Error"]["Code"], err.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_create_head_list_delete(s3: Any, hutch: HutchServer) -> None:
    name = unique_bucket()
    created = s3.create_bucket(Bucket=name)
    assert created["Location"] == f"/{name}"
    head = s3.head_bucket(Bucket=name)
    assert head["BucketRegion"] == hutch.region
    listed = s3.list_buckets()
    assert name in [b["Name"] for b in listed["Buckets"]]
    assert len(listed["Owner"]["ID"]) == 64
    s3.delete_bucket(Bucket=name)
    assert error_of(lambda: s3.head_bucket(Bucket=name)) == ("404", 404)
    assert error_of(lambda: s3.delete_bucket(Bucket=name)) == ("NoSuchBucket", 404)


def test_recreating_your_own_bucket_in_us_east_1_is_ok(s3: Any, bucket: str) -> None:
    # S3's legacy behaviour in North Virginia: 200, not BucketAlreadyOwnedByYou.
    assert s3.create_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_invalid_names_are_refused(s3: Any) -> None:
    for name in ("ab", "Upper-Case", "bad..dots", "192.168.0.1", "-dash"):
        code, status = error_of(lambda name=name: s3.create_bucket(Bucket=name))
        assert (code, status) == ("InvalidBucketName", 400), name


def test_location_constraint_must_match_the_region(s3: Any) -> None:
    name = unique_bucket()
    code, _ = error_of(
        lambda: s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    )
    assert code == "IllegalLocationConstraintException"
    code, _ = error_of(
        lambda: s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    )
    assert code == "InvalidLocationConstraint"


def test_bucket_with_objects_is_not_empty(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert error_of(lambda: s3.delete_bucket(Bucket=bucket)) == ("BucketNotEmpty", 409)


def test_location_and_versioning(s3: Any, bucket: str) -> None:
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] is None
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)


def test_list_buckets_paginates_with_max_buckets(s3: Any) -> None:
    names = sorted(unique_bucket("page") for _ in range(3))
    for name in names:
        s3.create_bucket(Bucket=name)
    try:
        seen: list[str] = []
        token = None
        while True:
            kwargs: dict[str, Any] = {"MaxBuckets": 2, "Prefix": "page-"}
            if token:
                kwargs["ContinuationToken"] = token
            page = s3.list_buckets(**kwargs)
            assert len(page["Buckets"]) <= 2
            seen += [b["Name"] for b in page["Buckets"]]
            token = page.get("ContinuationToken")
            if not token:
                break
        assert [n for n in seen if n in names] == names
    finally:
        for name in names:
            s3.delete_bucket(Bucket=name)


def test_bucket_policy_round_trip_and_validation(s3: Any, bucket: str) -> None:
    assert error_of(lambda: s3.get_bucket_policy(Bucket=bucket)) == ("NoSuchBucketPolicy", 404)
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/public/*",
                }
            ],
        }
    )
    s3.put_bucket_policy(Bucket=bucket, Policy=policy)
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == json.loads(policy)
    s3.delete_bucket_policy(Bucket=bucket)
    assert error_of(lambda: s3.get_bucket_policy(Bucket=bucket)) == ("NoSuchBucketPolicy", 404)


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{b}/*"}, "Principal"),
        (
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::elsewhere/*",
            },
            "invalid resource",
        ),
        (
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "iam:CreateUser",
                "Resource": "arn:aws:s3:::{b}/*",
            },
            "invalid action",
        ),
        (
            {"Effect": "Maybe", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{b}/*"},
            "",
        ),
    ],
)
def test_malformed_bucket_policies_say_why(
    s3: Any, bucket: str, statement: dict[str, Any], reason: str
) -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": [statement]}).replace("{b}", bucket)
    with pytest.raises(ClientError) as err:
        s3.put_bucket_policy(Bucket=bucket, Policy=text)
    assert err.value.response["Error"]["Code"] == "MalformedPolicy"
    assert reason in err.value.response["Error"]["Message"]


def test_bucket_policy_that_is_not_json_is_malformed(s3: Any, bucket: str) -> None:
    code, status = error_of(lambda: s3.put_bucket_policy(Bucket=bucket, Policy="{not json"))
    assert (code, status) == ("MalformedPolicy", 400)


def test_cors_configuration_round_trip(s3: Any, bucket: str) -> None:
    assert error_of(lambda: s3.get_bucket_cors(Bucket=bucket)) == ("NoSuchCORSConfiguration", 404)
    rules = [
        {
            "AllowedOrigins": ["https://app.example"],
            "AllowedMethods": ["GET", "PUT"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3000,
        }
    ]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == rules
    code, _ = error_of(
        lambda: s3.put_bucket_cors(
            Bucket=bucket,
            CORSConfiguration={"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]},
        )
    )
    assert code == "InvalidRequest"
    s3.delete_bucket_cors(Bucket=bucket)
    assert error_of(lambda: s3.get_bucket_cors(Bucket=bucket)) == ("NoSuchCORSConfiguration", 404)


def test_unknown_bucket_is_no_such_bucket_everywhere(s3: Any) -> None:
    name = unique_bucket("missing")
    for call in (
        lambda: s3.get_object(Bucket=name, Key="k"),
        lambda: s3.put_object(Bucket=name, Key="k", Body=b"x"),
        lambda: s3.list_objects_v2(Bucket=name),
        lambda: s3.get_bucket_policy(Bucket=name),
        lambda: s3.create_multipart_upload(Bucket=name, Key="k"),
    ):
        assert error_of(call) == ("NoSuchBucket", 404)


def test_expected_bucket_owner_must_match(s3: Any, bucket: str, hutch: HutchServer) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ExpectedBucketOwner=hutch.account_id)
    assert s3.get_object(Bucket=bucket, Key="k", ExpectedBucketOwner=hutch.account_id)["Body"].read() == b"x"
    assert error_of(lambda: s3.get_object(Bucket=bucket, Key="k", ExpectedBucketOwner="111122223333")) == (
        "AccessDenied",
        403,
    )
    assert error_of(lambda: s3.list_objects_v2(Bucket=bucket, ExpectedBucketOwner="111122223333"))[1] == 403
