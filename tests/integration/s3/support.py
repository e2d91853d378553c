"""Helpers for S3 integration tests: policy documents, clients for other identities, the AWS CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from tests.support.server import HutchServer

AWS = str(Path(sys.executable).parent / "aws")


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def s3_client(hutch: HutchServer, creds: dict[str, str], **config: Any) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=hutch.endpoint,
        region_name=hutch.region,
        config=Config(retries={"max_attempts": 1}, **config),
        **creds,
    )


def iam_user(iam: Any, *statements: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """A new IAM user with an inline policy of ``statements``; returns (name, client credentials)."""
    name = f"s3user-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="s3", PolicyDocument=policy(*statements))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return name, {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def run_cli(
    hutch: HutchServer, creds: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``aws --endpoint-url <hutch> <args>`` with ``creds`` and nothing from the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=creds["aws_access_key_id"],
        AWS_SECRET_ACCESS_KEY=creds["aws_secret_access_key"],
        AWS_DEFAULT_REGION=hutch.region,
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_MAX_ATTEMPTS="1",
    )
    if creds.get("aws_session_token"):
        env["AWS_SESSION_TOKEN"] = creds["aws_session_token"]
    return subprocess.run(
        [AWS, "--endpoint-url", hutch.endpoint, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )
