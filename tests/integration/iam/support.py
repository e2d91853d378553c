"""Helpers for the IAM and STS integration tests: clients for any credentials, IAM users with keys, and the AWS
CLI run with a given identity."""

from __future__ import annotations

import itertools
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
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}{next(_counter)}"


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def client(hutch: HutchServer, service: str, creds: dict[str, str]) -> Any:
    """A client signing with ``creds`` (aws_access_key_id, aws_secret_access_key[, aws_session_token])."""
    return boto3.client(
        service,
        region_name=hutch.region,
        endpoint_url=hutch.endpoint,
        config=Config(retries={"max_attempts": 1}),
        **creds,
    )


def from_sts(credentials: dict[str, Any]) -> dict[str, str]:
    """STS's Credentials member → client keyword arguments."""
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def user_with_key(iam: Any, *statements: dict[str, Any], **create: Any) -> tuple[str, str, dict[str, str]]:
    """A new IAM user (name, ARN) with an inline policy of ``statements`` and an access key."""
    name = unique("user")
    arn = iam.create_user(UserName=name, **create)["User"]["Arn"]
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=doc(*statements))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return (
        name,
        arn,
        {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]},
    )


def cli(
    hutch: HutchServer, creds: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``aws --endpoint-url <hutch> <args> --output json`` signed with ``creds``."""
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
        [AWS, "--endpoint-url", hutch.endpoint, *args, "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def cli_json(hutch: HutchServer, creds: dict[str, str], *args: str, cwd: Path | None = None) -> Any:
    done = cli(hutch, creds, *args, cwd=cwd)
    assert done.returncode == 0, f"aws {' '.join(args)} failed:\n{done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None
