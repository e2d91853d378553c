"""Admin operations are IAM-authorized against the pool's ARN; public operations need no AWS keys."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.integration.cognito_idp.conftest import make_user, sign_in
from tests.support.server import HutchServer


def _user_client(hutch: HutchServer, client_factory: Any, policy: dict[str, Any]) -> Any:
    iam = client_factory("iam")
    name = f"pool-admin-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="pools", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return boto3.client(
        "cognito-idp",
        endpoint_url=hutch.endpoint,
        region_name=hutch.region,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
        config=Config(retries={"max_attempts": 1}),
    )


def test_a_policy_on_one_pools_arn_allows_that_pool_only(
    hutch: HutchServer,
    client_factory: Any,
    idp: Any,
    public_idp: Any,
    pool: dict[str, Any],
    app: dict[str, Any],
) -> None:
    other = idp.create_user_pool(PoolName="not-theirs")["UserPool"]
    scoped = _user_client(
        hutch,
        client_factory,
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [
                        "cognito-idp:AdminCreateUser",
                        "cognito-idp:AdminSetUserPassword",
                        "cognito-idp:DescribeUserPool",
                    ],
                    "Resource": pool["Arn"],
                }
            ],
        },
    )
    assert scoped.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["Id"] == pool["Id"]
    make_user(scoped, pool["Id"], "delegated")
    assert sign_in(public_idp, app, "delegated")["AuthenticationResult"]["IdToken"]
    for call in (
        lambda: scoped.describe_user_pool(UserPoolId=other["Id"]),
        lambda: scoped.admin_get_user(UserPoolId=pool["Id"], Username="delegated"),
        lambda: scoped.create_user_pool(PoolName="nope"),
        lambda: scoped.list_user_pools(MaxResults=10),
    ):
        with pytest.raises(ClientError) as err:
            call()
        assert err.value.response["Error"]["Code"] == "AccessDeniedException"


def test_wildcard_policy_allows_pool_creation(hutch: HutchServer, client_factory: Any) -> None:
    admin = _user_client(
        hutch,
        client_factory,
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "cognito-idp:*", "Resource": "*"}],
        },
    )
    pool_id = admin.create_user_pool(PoolName="by-iam-user")["UserPool"]["Id"]
    pages = admin.get_paginator("list_user_pools").paginate(MaxResults=60)
    assert pool_id in [p["Id"] for page in pages for p in page["UserPools"]]
