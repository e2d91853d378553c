"""Fixtures for the user-pool service against a live hutch: admin (root-signed) and public (unsigned)
boto3 clients, and a fresh pool + app client per test."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from tests.support.server import HutchServer

PASSWORD = "Corr3ct-Horse!"


@pytest.fixture(scope="session")
def idp(client_factory: Any) -> Any:
    return client_factory("cognito-idp")


@pytest.fixture(scope="session")
def public_idp(hutch: HutchServer) -> Any:
    """What an app without AWS keys uses: unsigned requests (InitiateAuth, SignUp, GetUser ...)."""
    return boto3.client(
        "cognito-idp",
        endpoint_url=hutch.endpoint,
        region_name=hutch.region,
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}),
    )


@pytest.fixture
def pool(idp: Any) -> dict[str, Any]:
    created: dict[str, Any] = idp.create_user_pool(
        PoolName=f"it-{uuid.uuid4().hex[:8]}", AutoVerifiedAttributes=["email"]
    )["UserPool"]
    return created


@pytest.fixture
def app(idp: Any, pool: dict[str, Any]) -> dict[str, Any]:
    client: dict[str, Any] = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return client


def make_user(
    idp: Any, pool_id: str, username: str, password: str = PASSWORD, email: str | None = None
) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email or f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)


def sign_in(public_idp: Any, app: dict[str, Any], username: str, password: str = PASSWORD) -> dict[str, Any]:
    result: dict[str, Any] = public_idp.initiate_auth(
        ClientId=app["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return result
