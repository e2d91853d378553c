from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.cognito_identity.support import UserPool, make_user_pool, unique
from tests.support.server import HutchServer


@pytest.fixture(scope="module")
def idp(client_factory: Any) -> Any:
    return client_factory("cognito-idp")


@pytest.fixture(scope="module")
def identity(client_factory: Any) -> Any:
    return client_factory("cognito-identity")


@pytest.fixture(scope="module")
def iam(client_factory: Any) -> Any:
    return client_factory("iam")


@pytest.fixture(scope="module")
def user_pool(idp: Any, hutch: HutchServer) -> UserPool:
    return make_user_pool(idp, hutch, "alice", "bob")


def trust_policy(pool_id: str, amr: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id},
                        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr},
                    },
                }
            ],
        }
    )


def make_role(iam: Any, pool_id: str, amr: str, permissions: dict[str, Any] | None = None) -> str:
    name = unique(f"{amr}-role")
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy(pool_id, amr))["Role"][
        "Arn"
    ]
    if permissions is not None:
        iam.put_role_policy(RoleName=name, PolicyName="permissions", PolicyDocument=json.dumps(permissions))
    return arn
