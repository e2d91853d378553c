"""The AWS CLI drives the user-pool API against a live hutch: admin set-up, a user, sign-in, listing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.server import HutchServer

AWS = str(Path(sys.executable).parent / "aws")


def _aws(hutch: HutchServer, *args: str, signed: bool = True) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_DEFAULT_REGION=hutch.region, AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null"
    )
    if signed:
        creds = hutch.root_credentials()
        env.update(
            AWS_ACCESS_KEY_ID=creds["aws_access_key_id"], AWS_SECRET_ACCESS_KEY=creds["aws_secret_access_key"]
        )
    command = [AWS, "--endpoint-url", hutch.endpoint, "--output", "json", "cognito-idp", *args]
    if not signed:
        command.insert(1, "--no-sign-request")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return {"error": done.stderr}
    return json.loads(done.stdout) if done.stdout.strip() else {}


def test_aws_cli_sets_up_a_pool_and_a_user_signs_in(hutch: HutchServer) -> None:
    pool = _aws(
        hutch,
        "create-user-pool",
        "--pool-name",
        "cli-pool",
        "--policies",
        "PasswordPolicy={MinimumLength=10,RequireSymbols=false}",
    )["UserPool"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    client = _aws(
        hutch,
        "create-user-pool-client",
        "--user-pool-id",
        pool["Id"],
        "--client-name",
        "cli",
        "--explicit-auth-flows",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    )["UserPoolClient"]
    _aws(
        hutch,
        "admin-create-user",
        "--user-pool-id",
        pool["Id"],
        "--username",
        "quentin",
        "--user-attributes",
        "Name=email,Value=quentin@example.com",
        "--message-action",
        "SUPPRESS",
    )
    weak = _aws(
        hutch,
        "admin-set-user-password",
        "--user-pool-id",
        pool["Id"],
        "--username",
        "quentin",
        "--password",
        "Short1a",
        "--permanent",
    )
    assert "InvalidPasswordException" in weak["error"] and "Password not long enough" in weak["error"]
    assert (
        _aws(
            hutch,
            "admin-set-user-password",
            "--user-pool-id",
            pool["Id"],
            "--username",
            "quentin",
            "--password",
            "LongEnough123",
            "--permanent",
        )
        == {}
    )
    tokens = _aws(
        hutch,
        "initiate-auth",
        "--client-id",
        client["ClientId"],
        "--auth-flow",
        "USER_PASSWORD_AUTH",
        "--auth-parameters",
        "USERNAME=quentin,PASSWORD=LongEnough123",
        signed=False,
    )
    assert tokens["AuthenticationResult"]["TokenType"] == "Bearer"
    me = _aws(
        hutch, "get-user", "--access-token", tokens["AuthenticationResult"]["AccessToken"], signed=False
    )
    assert me["Username"] == "quentin"
    wrong = _aws(
        hutch,
        "initiate-auth",
        "--client-id",
        client["ClientId"],
        "--auth-flow",
        "USER_PASSWORD_AUTH",
        "--auth-parameters",
        "USERNAME=quentin,PASSWORD=Wrong1234567",
        signed=False,
    )
    assert "NotAuthorizedException" in wrong["error"] and "Incorrect username or password." in wrong["error"]
    listed = _aws(
        hutch, "list-users", "--user-pool-id", pool["Id"], "--filter", 'email = "quentin@example.com"'
    )
    assert [u["Username"] for u in listed["Users"]] == ["quentin"]
    _aws(hutch, "create-group", "--user-pool-id", pool["Id"], "--group-name", "staff", "--precedence", "3")
    _aws(
        hutch,
        "admin-add-user-to-group",
        "--user-pool-id",
        pool["Id"],
        "--username",
        "quentin",
        "--group-name",
        "staff",
    )
    groups = _aws(hutch, "admin-list-groups-for-user", "--user-pool-id", pool["Id"], "--username", "quentin")
    assert [g["GroupName"] for g in groups["Groups"]] == ["staff"]
    pools = _aws(hutch, "list-user-pools", "--max-results", "60")
    assert pool["Id"] in [p["Id"] for p in pools["UserPools"]]
    _aws(hutch, "delete-user-pool", "--user-pool-id", pool["Id"])
    gone = _aws(hutch, "describe-user-pool", "--user-pool-id", pool["Id"])
    assert "ResourceNotFoundException" in gone["error"]


def test_aws_cli_unsigned_admin_call_is_refused(hutch: HutchServer) -> None:
    result = _aws(hutch, "list-user-pools", "--max-results", "10", signed=False)
    assert "error" in result
