"""The scenario end to end: user-pool users with identity-pool credentials, each confined to their own
folder by one role policy with ${cognito-identity.amazonaws.com:sub}."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import boto3
import jwt
import pytest
from boto3.s3.transfer import TransferConfig
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.integration.s3.conftest import empty_bucket, unique_bucket
from tests.support.server import HutchServer

PASSWORD = "Correct-Horse-9-Battery!"
APP = "myapp"


def unsigned(hutch: HutchServer, service: str) -> Any:
    return boto3.client(
        service,
        region_name=hutch.region,
        endpoint_url=hutch.endpoint,
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}),
    )


def code_of(call: Any) -> str:
    with pytest.raises(ClientError) as err:
        call()
    return str(err.value.response["Error"]["Code"])


@pytest.fixture(scope="module")
def scenario(client_factory: Any, hutch: HutchServer) -> Any:
    idp, identity, iam, s3 = (client_factory(s) for s in ("cognito-idp", "cognito-identity", "iam", "s3"))
    pool_id = idp.create_user_pool(PoolName=f"app-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    for user in ("alice", "bob"):
        idp.admin_create_user(UserPoolId=pool_id, Username=user, MessageAction="SUPPRESS")
        idp.admin_set_user_password(UserPoolId=pool_id, Username=user, Password=PASSWORD, Permanent=True)
    provider = f"cognito-idp.{hutch.region}.amazonaws.com/{pool_id}"
    identity_pool = identity.create_identity_pool(
        IdentityPoolName=f"ip{uuid.uuid4().hex[:6]}",
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": client_id}],
    )["IdentityPoolId"]
    bucket = unique_bucket("scenario")
    s3.create_bucket(Bucket=bucket)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool},
                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                },
            }
        ],
    }
    folder = f"cognito/{APP}/${{cognito-identity.amazonaws.com:sub}}"
    permissions = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::{bucket}"],
                "Condition": {"StringLike": {"s3:prefix": [f"{folder}/*"]}},
            },
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/{folder}/*"],
            },
        ],
    }
    role = iam.create_role(
        RoleName=f"users-{uuid.uuid4().hex[:6]}", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]
    iam.put_role_policy(
        RoleName=role["RoleName"], PolicyName="own-folder", PolicyDocument=json.dumps(permissions)
    )
    identity.set_identity_pool_roles(IdentityPoolId=identity_pool, Roles={"authenticated": role["Arn"]})

    def sign_in(user: str) -> tuple[str, str, Any]:
        """(identity id, user-pool sub, an S3 client with the user's temporary credentials)."""
        tokens = unsigned(hutch, "cognito-idp").initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        logins = {provider: tokens["IdToken"]}
        cognito = unsigned(hutch, "cognito-identity")
        identity_id = cognito.get_id(IdentityPoolId=identity_pool, Logins=logins)["IdentityId"]
        creds = cognito.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
        client = boto3.client(
            "s3",
            region_name=hutch.region,
            endpoint_url=hutch.endpoint,
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretKey"],
            aws_session_token=creds["SessionToken"],
            config=Config(retries={"max_attempts": 1}),
        )
        sub = jwt.decode(tokens["IdToken"], options={"verify_signature": False})["sub"]
        return identity_id, sub, client

    yield bucket, sign_in, s3
    empty_bucket(s3, bucket)
    s3.delete_bucket(Bucket=bucket)


def test_each_user_reads_and_writes_only_their_own_folder(scenario: Any) -> None:
    bucket, sign_in, root = scenario
    alice_id, alice_sub, alice = sign_in("alice")
    bob_id, _, bob = sign_in("bob")
    mine = f"cognito/{APP}/{alice_id}/notes.txt"
    alice.put_object(Bucket=bucket, Key=mine, Body=b"alice's notes")
    assert alice.get_object(Bucket=bucket, Key=mine)["Body"].read() == b"alice's notes"
    listed = alice.list_objects_v2(Bucket=bucket, Prefix=f"cognito/{APP}/{alice_id}/")
    assert [o["Key"] for o in listed["Contents"]] == [mine]
    # Bob's folder, the bucket root, and the user-pool sub (the classic pitfall) are all refused.
    bob.put_object(Bucket=bucket, Key=f"cognito/{APP}/{bob_id}/diary.txt", Body=b"bob's")
    assert (
        code_of(lambda: alice.get_object(Bucket=bucket, Key=f"cognito/{APP}/{bob_id}/diary.txt"))
        == "AccessDenied"
    )
    assert (
        code_of(lambda: alice.put_object(Bucket=bucket, Key=f"cognito/{APP}/{bob_id}/x", Body=b"x"))
        == "AccessDenied"
    )
    assert code_of(lambda: alice.list_objects_v2(Bucket=bucket)) == "AccessDenied"
    assert (
        code_of(lambda: alice.list_objects_v2(Bucket=bucket, Prefix=f"cognito/{APP}/{bob_id}/"))
        == "AccessDenied"
    )
    assert (
        code_of(lambda: alice.put_object(Bucket=bucket, Key=f"cognito/{APP}/{alice_sub}/x", Body=b"x"))
        == "AccessDenied"
    )
    # DeleteObjects decides key by key.
    result = alice.delete_objects(
        Bucket=bucket, Delete={"Objects": [{"Key": mine}, {"Key": f"cognito/{APP}/{bob_id}/diary.txt"}]}
    )
    assert [d["Key"] for d in result["Deleted"]] == [mine]
    assert [e["Code"] for e in result["Errors"]] == ["AccessDenied"]
    assert root.head_object(Bucket=bucket, Key=f"cognito/{APP}/{bob_id}/diary.txt")["ContentLength"] == 5


def test_multipart_upload_into_the_own_folder(scenario: Any) -> None:
    bucket, sign_in, _ = scenario
    identity_id, _, alice = sign_in("alice")
    data = b"v" * (6 * 1024 * 1024)
    alice.upload_fileobj(
        io.BytesIO(data),
        bucket,
        f"cognito/{APP}/{identity_id}/video.mp4",
        Config=TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20),
    )
    assert alice.head_object(Bucket=bucket, Key=f"cognito/{APP}/{identity_id}/video.mp4")[
        "ContentLength"
    ] == len(data)
