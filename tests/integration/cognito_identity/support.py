"""Helpers for the identity-pool integration tests: the AWS CLI as root, unsigned app clients, user pools with
signed-up users, and ID tokens minted with a user pool's own key (read from the server's database) for the
cases a real client cannot produce on demand, such as an expired but genuine token.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import jwt
from botocore import UNSIGNED
from botocore.config import Config

from tests.support.server import HutchServer

AWS = str(Path(sys.executable).parent / "aws")
PASSWORD = "Correct-Horse-9-battery"


def cli_env(hutch: HutchServer, credentials: dict[str, str] | None = None) -> dict[str, str]:
    creds = credentials or hutch.root_credentials()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=creds["aws_access_key_id"],
        AWS_SECRET_ACCESS_KEY=creds["aws_secret_access_key"],
        AWS_DEFAULT_REGION=hutch.region,
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_RETRY_MODE="standard",
        AWS_MAX_ATTEMPTS="1",
    )
    if "aws_session_token" in creds:
        env["AWS_SESSION_TOKEN"] = creds["aws_session_token"]
    return env


def run_cli(hutch: HutchServer, *args: str, cwd: Path | None = None, check: bool = True) -> Any:
    """``aws --endpoint-url <hutch> <args> --output json`` as root; the parsed JSON output (or None)."""
    done = subprocess.run(
        [AWS, "--endpoint-url", hutch.endpoint, *args, "--output", "json"],
        env=cli_env(hutch),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )
    if not check:
        return done
    assert done.returncode == 0, f"aws {' '.join(args)} failed:\n{done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None


def unsigned_client(hutch: HutchServer, service: str) -> Any:
    """A client as an app without AWS keys builds it."""
    config = Config(signature_version=UNSIGNED, retries={"max_attempts": 1})
    return boto3.client(service, region_name=hutch.region, endpoint_url=hutch.endpoint, config=config)


def client_with(hutch: HutchServer, service: str, creds: dict[str, Any]) -> Any:
    """A client signing with temporary credentials (the Cognito response's names)."""
    return boto3.client(
        service,
        region_name=hutch.region,
        endpoint_url=hutch.endpoint,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds.get("SecretKey") or creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
    )


@dataclass(frozen=True)
class UserPool:
    pool_id: str
    client_id: str
    region: str
    endpoint: str

    @property
    def provider_name(self) -> str:
        return f"cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    @property
    def issuer(self) -> str:
        return f"{self.endpoint}/{self.pool_id}"


def make_user_pool(root_idp: Any, hutch: HutchServer, *usernames: str) -> UserPool:
    pool_id = root_idp.create_user_pool(PoolName=f"app-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
    client_id = root_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    for username in usernames:
        add_user(root_idp, pool_id, username)
    return UserPool(pool_id, client_id, hutch.region, hutch.endpoint)


def add_user(root_idp: Any, pool_id: str, username: str) -> None:
    root_idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    root_idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)


def sign_in(hutch: HutchServer, pool: UserPool, username: str) -> dict[str, str]:
    """USER_PASSWORD_AUTH, as an app does: the AuthenticationResult (IdToken, AccessToken, RefreshToken)."""
    idp = unsigned_client(hutch, "cognito-idp")
    result: dict[str, str] = idp.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return result


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def mint_with_pool_key(hutch: HutchServer, token: str, **changes: Any) -> str:
    """The token re-signed by its user pool's own ID-token key with ``changes`` applied: a genuine token
    with, e.g., an ``exp`` in the past. The key comes from the server's SQLite database."""
    kid = jwt.get_unverified_header(token)["kid"]
    with sqlite3.connect(hutch.data_dir / "hutch.db") as db:
        row = db.execute("SELECT private_pem FROM cognito_signing_keys WHERE kid = ?", (kid,)).fetchone()
    assert row is not None, "the user pool's signing key is not in the database"
    claims = {**claims_of(token), **changes}
    return jwt.encode(claims, row[0], algorithm="RS256", headers={"kid": kid})


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"
