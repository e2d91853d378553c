"""IAM through the AWS CLI, with policy files, as an operator types it; and `hutch explain` on a denial."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.integration.iam.support import allow, cli, cli_json, client, doc, unique, user_with_key
from tests.support.server import HutchServer

HUTCH = str(Path(sys.executable).parent / "hutch")


def test_operator_hands_out_least_privilege_keys_with_the_cli(hutch: HutchServer, tmp_path: Path) -> None:
    root = hutch.root_credentials()
    user = unique("ops")
    cli_json(hutch, root, "iam", "create-user", "--user-name", user)
    key = cli_json(hutch, root, "iam", "create-access-key", "--user-name", user)["AccessKey"]
    ops = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}

    denied = cli(hutch, ops, "iam", "list-roles")
    assert denied.returncode != 0
    assert "AccessDenied" in denied.stderr and "because no identity-based policy allows" in denied.stderr

    (tmp_path / "roles.json").write_text(doc(allow(["iam:*Role*", "iam:*RolePolicy"], "*")))
    cli_json(
        hutch,
        root,
        "iam",
        "put-user-policy",
        "--user-name",
        user,
        "--policy-name",
        "roles",
        "--policy-document",
        "file://roles.json",
        cwd=tmp_path,
    )
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
            }
        ],
    }
    (tmp_path / "trust.json").write_text(json.dumps(trust, indent=2))
    role = unique("app")
    created = cli_json(
        hutch,
        ops,
        "iam",
        "create-role",
        "--role-name",
        role,
        "--assume-role-policy-document",
        "file://trust.json",
        cwd=tmp_path,
    )["Role"]
    # The CLI shows the trust policy decoded, as it does against AWS.
    assert created["AssumeRolePolicyDocument"] == trust
    listed = cli_json(hutch, ops, "iam", "list-roles")["Roles"]
    assert role in [r["RoleName"] for r in listed]
    missing = cli(hutch, ops, "iam", "get-role", "--role-name", unique("missing"))
    assert missing.returncode != 0 and "NoSuchEntity" in missing.stderr
    users = cli(hutch, ops, "iam", "list-users")
    assert users.returncode != 0 and "AccessDenied" in users.stderr


def test_simulate_principal_policy_with_the_cli(hutch: HutchServer, client_factory: Any) -> None:
    iam = client_factory("iam")
    _, arn, _ = user_with_key(iam, allow("s3:GetObject", "arn:aws:s3:::reports/*"))
    result = cli_json(
        hutch,
        hutch.root_credentials(),
        "iam",
        "simulate-principal-policy",
        "--policy-source-arn",
        arn,
        "--action-names",
        "s3:GetObject",
        "s3:PutObject",
        "--resource-arns",
        "arn:aws:s3:::reports/q1.csv",
    )
    assert [r["EvalDecision"] for r in result["EvaluationResults"]] == ["allowed", "implicitDeny"]


def _explain(hutch: HutchServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HUTCH, "explain", *args, "--endpoint", hutch.endpoint, "--data-dir", str(hutch.data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_hutch_explain_shows_why_a_request_was_denied(hutch: HutchServer, client_factory: Any) -> None:
    iam = client_factory("iam")
    bucket_prefix = unique("tenant")
    _, arn, creds = user_with_key(
        iam, allow("iam:GetRole", f"arn:aws:iam::{hutch.account_id}:role/{bucket_prefix}-${{aws:username}}")
    )
    with pytest.raises(ClientError) as exc:
        client(hutch, "iam", creds).get_role(RoleName=f"{bucket_prefix}-someone-else")
    request_id = exc.value.response["ResponseMetadata"]["RequestId"]

    shown = _explain(hutch, request_id)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert f"request {request_id}" in out
    assert f"Implicitly denied: {arn} may not perform iam:GetRole" in out
    assert "Principal: " + arn in out
    # The policy's variable is shown substituted with the caller's user name.
    user_name = arn.rsplit("/", 1)[-1]
    assert f"role/{bucket_prefix}-{user_name} [no match]" in out
    assert "aws:username = " + user_name in out

    last = _explain(hutch)  # no id: the most recent denial
    assert last.returncode == 0 and "Implicitly denied" in last.stdout

    raw = _explain(hutch, request_id, "--json")
    record = json.loads(raw.stdout)
    assert record["denied"] and record["decisions"][0]["trace"]["effect"] == "ImplicitDeny"

    unknown = _explain(hutch, "00000000-0000-0000-0000-000000000000")
    assert unknown.returncode != 0 and "No authorization decision" in unknown.stderr


def test_explain_endpoint_is_for_admins_only(hutch: HutchServer, client_factory: Any) -> None:
    iam = client_factory("iam")
    _, _, creds = user_with_key(iam)
    done = subprocess.run(
        [HUTCH, "explain", "last-denied", "--endpoint", hutch.endpoint],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "AWS_ACCESS_KEY_ID": creds["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": creds["aws_secret_access_key"],
            "HUTCH_DATA_DIR": str(hutch.data_dir / "not-there"),
        },
    )
    assert done.returncode != 0
    assert "not authorized to perform: hutch:Explain" in done.stderr
