"""The scenario (shared/SCENARIO.md) set up through boto3, the same calls against hutch and moto.

Admin side with the server's admin keys: a user pool and app client, users, a bucket, an identity pool linked
to the pool, a role whose trust policy admits only that pool's authenticated identities and whose permission
policy limits each user to ``cognito/<app>/${cognito-identity.amazonaws.com:sub}/``. User side: sign in,
GetId, GetCredentialsForIdentity, and S3 with those temporary credentials under the user's own prefix.
hutch enforces every step; moto accepts the same calls without checking them.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import boto3  # type: ignore[import-untyped,unused-ignore]
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REGION = "us-east-1"
APP = "bench"
PASSWORD = "Bench-Passw0rd!x"
CLIENT_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"}, s3={"addressing_style": "path"})


def username(i: int) -> str:
    # An email: cognito-local's default pool only takes email usernames; hutch and moto take any.
    return f"user{i:06d}@bench.test"


def trust_policy(identity_pool_id: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool_id},
                        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                    },
                }
            ],
        }
    )


def permission_policy(bucket: str) -> str:
    folder = f"cognito/{APP}/${{cognito-identity.amazonaws.com:sub}}"
    return json.dumps(
        {
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
    )


def client(service: str, endpoint: str, keys: dict[str, str] | None = None) -> Any:
    """A boto3 client; with no keys, requests go unsigned (the user side holds no AWS keys)."""
    if keys is None:
        from botocore import UNSIGNED

        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=endpoint,
            config=CLIENT_CONFIG.merge(Config(signature_version=UNSIGNED)),
        )
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint, config=CLIENT_CONFIG, **keys)


@dataclass
class UserPool:
    endpoint: str
    pool_id: str
    client_id: str

    @property
    def provider(self) -> str:
        return f"cognito-idp.{REGION}.amazonaws.com/{self.pool_id}"

    def sign_in(self, name: str) -> dict[str, str]:
        """USER_PASSWORD_AUTH through boto3 → the AuthenticationResult (IdToken, AccessToken, ...)."""
        result = client("cognito-idp", self.endpoint).initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
        )
        return dict(result["AuthenticationResult"])


def create_user_pool(endpoint: str, keys: dict[str, str], users: int, **pool_args: Any) -> UserPool:
    idp = client("cognito-idp", endpoint, keys)
    pool_id = idp.create_user_pool(PoolName=f"bench-{secrets.token_hex(3)}", **pool_args)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    for i in range(users):
        add_user(idp, pool_id, username(i))
    return UserPool(endpoint, pool_id, client_id)


def add_user(idp: Any, pool_id: str, name: str) -> None:
    idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True)


@dataclass
class World:
    """Everything the scenario's admin side created, and how a user reaches it."""

    endpoint: str
    keys: dict[str, str]  # admin keys
    pool: UserPool
    bucket: str
    identity_pool_id: str
    role_arn: str
    notes: list[str] = field(default_factory=list)  # what the server could not do of the set-up
    sessions: dict[str, UserSession] = field(default_factory=dict)

    def session(self, name: str) -> UserSession:
        """Sign ``name`` in and trade the ID token for temporary credentials (cached per user)."""
        if name not in self.sessions:
            tokens = self.pool.sign_in(name)
            identity = client("cognito-identity", self.endpoint)
            logins = {self.pool.provider: tokens["IdToken"]}
            identity_id = identity.get_id(IdentityPoolId=self.identity_pool_id, Logins=logins)["IdentityId"]
            creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)[
                "Credentials"
            ]
            self.sessions[name] = UserSession(
                name,
                tokens["IdToken"],
                identity_id,
                Credentials(creds["AccessKeyId"], creds["SecretKey"], creds["SessionToken"]),
            )
        return self.sessions[name]


@dataclass
class UserSession:
    name: str
    id_token: str
    identity_id: str
    credentials: Credentials

    @property
    def prefix(self) -> str:
        return f"cognito/{APP}/{self.identity_id}/"


def build_world(endpoint: str, keys: dict[str, str], users: int) -> World:
    pool = create_user_pool(endpoint, keys, users)
    s3 = client("s3", endpoint, keys)
    bucket = f"bench-{secrets.token_hex(4)}"
    s3.create_bucket(Bucket=bucket)
    identity = client("cognito-identity", endpoint, keys)
    identity_pool_id = identity.create_identity_pool(
        IdentityPoolName=f"bench{secrets.token_hex(3)}",
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[{"ProviderName": pool.provider, "ClientId": pool.client_id}],
    )["IdentityPoolId"]
    iam = client("iam", endpoint, keys)
    role_name = f"bench-users-{secrets.token_hex(3)}"
    role_arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust_policy(identity_pool_id))[
        "Role"
    ]["Arn"]
    iam.put_role_policy(RoleName=role_name, PolicyName="own-folder", PolicyDocument=permission_policy(bucket))
    notes: list[str] = []
    try:
        identity.set_identity_pool_roles(IdentityPoolId=identity_pool_id, Roles={"authenticated": role_arn})
    except ClientError as exc:
        if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 500:
            raise
        # moto server answers 500 "not implemented"; it hands out credentials without a role anyway.
        notes.append("SetIdentityPoolRoles is not implemented (500); credentials come without a role")
    return World(endpoint, keys, pool, bucket, identity_pool_id, role_arn, notes=notes)
