"""Authorization on every S3 request: anonymous callers, bucket policies, IAM users, role sessions."""

from __future__ import annotations

import json
from typing import Any

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError

from tests.integration.s3.support import iam_user, policy, s3_client
from tests.support.server import HutchServer


def code_of(call: Any) -> str:
    with pytest.raises(ClientError) as err:
        call()
    return str(err.value.response["Error"]["Code"])


def test_anonymous_callers_get_nothing_without_a_bucket_policy(anonymous: Any, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="private.txt", Body=b"secret")
    assert code_of(lambda: anonymous.get_object(Bucket=bucket, Key="private.txt")) == "AccessDenied"
    assert code_of(lambda: anonymous.put_object(Bucket=bucket, Key="x", Body=b"x")) == "AccessDenied"
    assert code_of(lambda: anonymous.list_objects_v2(Bucket=bucket)) == "AccessDenied"
    assert code_of(anonymous.list_buckets) == "AccessDenied"


def test_principal_star_in_a_bucket_policy_grants_anonymous_access(
    anonymous: Any, s3: Any, bucket: str, hutch: HutchServer
) -> None:
    s3.put_object(Bucket=bucket, Key="public/logo.png", Body=b"png")
    s3.put_object(Bucket=bucket, Key="private/data", Body=b"no")
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/public/*",
            }
        ),
    )
    assert anonymous.get_object(Bucket=bucket, Key="public/logo.png")["Body"].read() == b"png"
    assert httpx.get(f"{hutch.endpoint}/{bucket}/public/logo.png").content == b"png"
    assert code_of(lambda: anonymous.get_object(Bucket=bucket, Key="private/data")) == "AccessDenied"
    # A missing key is 403 to those who may not list the bucket, so names cannot be probed...
    assert code_of(lambda: anonymous.get_object(Bucket=bucket, Key="public/missing")) == "AccessDenied"
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/public/*",
            },
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:ListBucket",
                "Resource": f"arn:aws:s3:::{bucket}",
            },
        ),
    )
    # ...and 404 to those who may.
    assert code_of(lambda: anonymous.get_object(Bucket=bucket, Key="public/missing")) == "NoSuchKey"


def test_access_denied_is_s3_xml_with_a_request_id(hutch: HutchServer, bucket: str) -> None:
    response = httpx.get(f"{hutch.endpoint}/{bucket}/anything")
    assert response.status_code == 403
    assert b"<Code>AccessDenied</Code>" in response.content
    request_id = response.headers["x-amz-request-id"]
    assert f"<RequestId>{request_id}</RequestId>".encode() in response.content


def test_an_explicit_deny_in_the_bucket_policy_binds_even_root(
    s3: Any, bucket: str, hutch: HutchServer
) -> None:
    for key in ("keep/a", "free/b"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    account = hutch.account_id
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=policy(
            {
                "Effect": "Deny",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": "s3:DeleteObject",
                "Resource": f"arn:aws:s3:::{bucket}/keep/*",
            }
        ),
    )
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "keep/a"}, {"Key": "free/b"}]})
    assert [d["Key"] for d in result["Deleted"]] == ["free/b"]
    assert [(e["Key"], e["Code"]) for e in result["Errors"]] == [("keep/a", "AccessDenied")]
    assert code_of(lambda: s3.delete_object(Bucket=bucket, Key="keep/a")) == "AccessDenied"
    s3.delete_bucket_policy(Bucket=bucket)


@pytest.fixture(scope="module")
def iam(client_factory: Any) -> Any:
    return client_factory("iam")


def own_prefix_statements(bucket: str, prefix: str) -> list[dict[str, Any]]:
    """The scenario's policy shape: list and read/write only under one prefix."""
    return [
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{bucket}",
            "Condition": {"StringLike": {"s3:prefix": [f"{prefix}*"]}},
        },
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": f"arn:aws:s3:::{bucket}/{prefix}*",
        },
    ]


def test_iam_user_is_confined_to_its_prefix(iam: Any, s3: Any, bucket: str, hutch: HutchServer) -> None:
    _, creds = iam_user(iam, *own_prefix_statements(bucket, "home/alice/"))
    alice = s3_client(hutch, creds)
    alice.put_object(Bucket=bucket, Key="home/alice/notes.txt", Body=b"mine")
    assert alice.get_object(Bucket=bucket, Key="home/alice/notes.txt")["Body"].read() == b"mine"
    listed = alice.list_objects_v2(Bucket=bucket, Prefix="home/alice/")
    assert [o["Key"] for o in listed["Contents"]] == ["home/alice/notes.txt"]
    s3.put_object(Bucket=bucket, Key="home/bob/diary.txt", Body=b"bob's")
    assert code_of(lambda: alice.get_object(Bucket=bucket, Key="home/bob/diary.txt")) == "AccessDenied"
    assert code_of(lambda: alice.put_object(Bucket=bucket, Key="home/bob/x", Body=b"x")) == "AccessDenied"
    assert code_of(lambda: alice.put_object(Bucket=bucket, Key="rootfile", Body=b"x")) == "AccessDenied"
    assert code_of(lambda: alice.list_objects_v2(Bucket=bucket)) == "AccessDenied"
    assert code_of(lambda: alice.list_objects_v2(Bucket=bucket, Prefix="home/bob/")) == "AccessDenied"
    assert code_of(lambda: alice.delete_bucket(Bucket=bucket)) == "AccessDenied"
    # Multipart and copies are writes too.
    assert code_of(lambda: alice.create_multipart_upload(Bucket=bucket, Key="home/bob/big")) == "AccessDenied"
    assert (
        code_of(
            lambda: alice.copy_object(
                Bucket=bucket, Key="home/alice/stolen", CopySource=f"{bucket}/home/bob/diary.txt"
            )
        )
        == "AccessDenied"
    )
    alice.copy_object(Bucket=bucket, Key="home/alice/copy.txt", CopySource=f"{bucket}/home/alice/notes.txt")


def test_role_session_with_temporary_credentials(
    iam: Any, s3: Any, bucket: str, hutch: HutchServer, client_factory: Any
) -> None:
    account = hutch.account_id
    role = iam.create_role(
        RoleName=f"s3role-{bucket[-10:]}",
        AssumeRolePolicyDocument=policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": "sts:AssumeRole",
            }
        ),
    )["Role"]
    iam.put_role_policy(
        RoleName=role["RoleName"],
        PolicyName="s3",
        PolicyDocument=policy(*own_prefix_statements(bucket, "shared/")),
    )
    _, user_creds = iam_user(iam, {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role["Arn"]})
    sts = client_factory("sts", boto3.Session(region_name=hutch.region, **user_creds))
    temporary = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="worker")["Credentials"]
    session_creds = {
        "aws_access_key_id": temporary["AccessKeyId"],
        "aws_secret_access_key": temporary["SecretAccessKey"],
        "aws_session_token": temporary["SessionToken"],
    }
    worker = s3_client(hutch, session_creds)
    worker.put_object(Bucket=bucket, Key="shared/report.csv", Body=b"a,b")
    assert code_of(lambda: worker.put_object(Bucket=bucket, Key="elsewhere", Body=b"x")) == "AccessDenied"
    # A presigned URL made from the session works over plain HTTP, and carries the session token.
    signer = s3_client(hutch, session_creds, signature_version="s3v4")
    url = signer.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "shared/report.csv"})
    assert "X-Amz-Security-Token" in url
    assert httpx.get(url).content == b"a,b"
    denied = signer.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "elsewhere"})
    assert httpx.get(denied).status_code == 403


def test_list_all_my_buckets_needs_its_permission(iam: Any, s3: Any, bucket: str, hutch: HutchServer) -> None:
    _, nothing = iam_user(iam)
    assert code_of(lambda: s3_client(hutch, nothing).list_buckets()) == "AccessDenied"
    _, lister = iam_user(
        iam, {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "arn:aws:s3:::*"}
    )
    assert bucket in [b["Name"] for b in s3_client(hutch, lister).list_buckets()["Buckets"]]


def test_bucket_policy_can_grant_an_iam_user(iam: Any, s3: Any, bucket: str, hutch: HutchServer) -> None:
    name, creds = iam_user(iam)
    user_arn = iam.get_user(UserName=name)["User"]["Arn"]
    s3.put_object(Bucket=bucket, Key="granted", Body=b"ok")
    reader = s3_client(hutch, creds)
    assert code_of(lambda: reader.get_object(Bucket=bucket, Key="granted")) == "AccessDenied"
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": user_arn},
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{bucket}/*",
                    }
                ],
            }
        ),
    )
    assert reader.get_object(Bucket=bucket, Key="granted")["Body"].read() == b"ok"


def test_copying_tags_needs_the_tagging_permissions(
    iam: Any, s3: Any, bucket: str, hutch: HutchServer
) -> None:
    s3.put_object(Bucket=bucket, Key="in/tagged", Body=b"t", Tagging="k=v")
    s3.put_object(Bucket=bucket, Key="in/plain", Body=b"p")
    rw = {
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    _, creds = iam_user(iam, rw)
    copier = s3_client(hutch, creds)
    copier.copy_object(Bucket=bucket, Key="out/plain", CopySource=f"{bucket}/in/plain")
    assert (
        code_of(lambda: copier.copy_object(Bucket=bucket, Key="out/tagged", CopySource=f"{bucket}/in/tagged"))
        == "AccessDenied"
    )
    assert (
        code_of(lambda: copier.put_object(Bucket=bucket, Key="out/new", Body=b"x", Tagging="a=b"))
        == "AccessDenied"
    )
    tags = {
        "Effect": "Allow",
        "Action": ["s3:GetObjectTagging", "s3:PutObjectTagging"],
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    _, creds = iam_user(iam, rw, tags)
    s3_client(hutch, creds).copy_object(Bucket=bucket, Key="out/tagged", CopySource=f"{bucket}/in/tagged")
    assert s3.get_object_tagging(Bucket=bucket, Key="out/tagged")["TagSet"] == [{"Key": "k", "Value": "v"}]
