"""The pipeline end to end with real clients: health, root credentials, SigV4, errors, request ids."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError

from tests.support.server import HutchServer

AWS = str(Path(sys.executable).parent / "aws")


def test_health_answers_json(hutch: HutchServer) -> None:
    r = httpx.get(hutch.endpoint + "/_hutch/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["region"] == hutch.region


def test_root_credentials_are_generated_private_and_random(hutch: HutchServer, tmp_path: Path) -> None:
    path = hutch.data_dir / "root-credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    creds = hutch.root_credentials()
    assert creds["aws_access_key_id"].startswith("AKIA") and len(creds["aws_access_key_id"]) == 20
    assert len(creds["aws_secret_access_key"]) == 40
    other = HutchServer(tmp_path / "other").start()
    try:
        assert other.root_credentials() != creds
        assert other.account_id != hutch.account_id
    finally:
        other.stop()


def test_get_caller_identity_as_root_with_boto3(client_factory, hutch: HutchServer) -> None:
    sts = client_factory("sts")
    who = sts.get_caller_identity()
    assert who["Arn"] == f"arn:aws:iam::{hutch.account_id}:root"
    assert who["Account"] == hutch.account_id
    assert who["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]


def _aws_env(hutch: HutchServer, key: str, secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=key,
        AWS_SECRET_ACCESS_KEY=secret,
        AWS_DEFAULT_REGION=hutch.region,
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
    )
    return env


def test_aws_cli_get_caller_identity_and_wrong_secret(hutch: HutchServer) -> None:
    creds = hutch.root_credentials()
    ok = subprocess.run(
        [AWS, "--endpoint-url", hutch.endpoint, "sts", "get-caller-identity", "--output", "json"],
        env=_aws_env(hutch, creds["aws_access_key_id"], creds["aws_secret_access_key"]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["Arn"] == f"arn:aws:iam::{hutch.account_id}:root"
    bad = subprocess.run(
        [AWS, "--endpoint-url", hutch.endpoint, "sts", "get-caller-identity"],
        env=_aws_env(hutch, creds["aws_access_key_id"], "x" * 40),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0
    assert "SignatureDoesNotMatch" in bad.stderr


def test_wrong_secret_is_signature_does_not_match(hutch: HutchServer) -> None:
    creds = hutch.root_credentials()
    sts = boto3.client(
        "sts",
        endpoint_url=hutch.endpoint,
        region_name=hutch.region,
        aws_access_key_id=creds["aws_access_key_id"],
        aws_secret_access_key="wrong" * 8,
    )
    with pytest.raises(ClientError) as err:
        sts.get_caller_identity()
    assert err.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_unknown_access_key_is_invalid_client_token_id(hutch: HutchServer) -> None:
    sts = boto3.client(
        "sts",
        endpoint_url=hutch.endpoint,
        region_name=hutch.region,
        aws_access_key_id="AKIAUNKNOWNUNKNOWN12",
        aws_secret_access_key="s" * 40,
    )
    with pytest.raises(ClientError) as err:
        sts.get_caller_identity()
    assert err.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_unsigned_signed_operation_is_refused(hutch: HutchServer) -> None:
    r = httpx.post(
        hutch.endpoint + "/",
        data={"Action": "GetCallerIdentity", "Version": "2011-06-15"},
    )
    assert r.status_code in (400, 403)
    assert b"MissingAuthenticationToken" in r.content or b"MissingAuthenticationTokenException" in r.content


def test_unknown_target_names_what_hutch_expected(hutch: HutchServer) -> None:
    r = httpx.post(
        hutch.endpoint + "/",
        headers={
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Content-Type": "application/x-amz-json-1.0",
        },
        content=b"{}",
    )
    assert r.status_code == 400
    assert b"cognito-idp" in r.content
    assert r.headers.get("x-amzn-requestid")


def test_malformed_json_is_a_serialization_error_not_a_500(hutch: HutchServer) -> None:
    r = httpx.post(
        hutch.endpoint + "/",
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            "Content-Type": "application/x-amz-json-1.1",
        },
        content=b"{not json",
    )
    assert r.status_code == 400
    assert r.json()["__type"].endswith("SerializationException")


def test_operation_without_handler_is_501_naming_it(client_factory) -> None:
    sts = client_factory("sts")
    with pytest.raises(ClientError) as err:
        sts.get_session_token()
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert "GetSessionToken" in err.value.response["Error"]["Message"]


def test_request_log_has_one_structured_line_per_request(client_factory, hutch: HutchServer) -> None:
    sts = client_factory("sts")
    rid = sts.get_caller_identity()["ResponseMetadata"]["RequestId"]
    lines = [json.loads(line) for line in hutch.log_text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == rid]
    assert len(mine) == 1
    entry = mine[0]
    assert entry["service"] == "sts" and entry["operation"] == "GetCallerIdentity"
    assert entry["principal"].endswith(":root") and entry["status"] == 200 and "ms" in entry


def test_hutch_credentials_prints_export_lines(hutch: HutchServer) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "hutch", "credentials", "--data-dir", str(hutch.data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    creds = hutch.root_credentials()
    assert f"export AWS_ACCESS_KEY_ID={creds['aws_access_key_id']}" in out
    assert f"export AWS_SECRET_ACCESS_KEY={creds['aws_secret_access_key']}" in out
    # The endpoint is the one the running server announced (its port), not the default.
    assert f"export AWS_ENDPOINT_URL={hutch.endpoint}" in out


def test_root_keys_from_environment(tmp_path: Path) -> None:
    key, secret = "AKIA" + "Q" * 16, "envsecret" * 4 + "abcd"
    server = HutchServer(
        tmp_path / "env",
        env={
            "HUTCH_ROOT_ACCESS_KEY_ID": key,
            "HUTCH_ROOT_SECRET_ACCESS_KEY": secret,
        },
    ).start()
    try:
        sts = boto3.client(
            "sts",
            endpoint_url=server.endpoint,
            region_name="us-east-1",
            aws_access_key_id=key,
            aws_secret_access_key=secret,
        )
        assert sts.get_caller_identity()["Arn"].endswith(":root")
        assert not (server.data_dir / "root-credentials.json").exists()
    finally:
        server.stop()


def test_sigterm_stops_cleanly(tmp_path: Path) -> None:
    server = HutchServer(tmp_path / "term").start()
    assert server.stop() == 0


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUTCH_", "AWS_"))}
    return subprocess.run(
        [sys.executable, "-m", "hutch", "serve", "--host", "127.0.0.1", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_a_second_server_on_the_same_data_dir_is_refused(hutch: HutchServer) -> None:
    other_port = HutchServer(hutch.data_dir).port
    done = _serve("--port", str(other_port), "--data-dir", str(hutch.data_dir))
    assert done.returncode == 2
    assert "already serving" in done.stderr and hutch.endpoint in done.stderr
    # The running server's announcement is untouched.
    assert json.loads((hutch.data_dir / "server.json").read_text())["endpoint"] == hutch.endpoint


def test_a_busy_port_is_a_clear_error(hutch: HutchServer, tmp_path: Path) -> None:
    done = _serve("--port", str(hutch.port), "--data-dir", str(tmp_path / "busy"))
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{hutch.port}" in done.stderr
    assert not (tmp_path / "busy" / "server.json").exists()


def test_credentials_of_a_directory_that_is_not_a_data_dir_is_an_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hutch", "credentials", "--data-dir", str(tmp_path / "typo")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "not a hutch data directory" in done.stderr
    assert not (tmp_path / "typo" / "root-credentials.json").exists()


def test_a_stopped_server_withdraws_its_announcement(tmp_path: Path) -> None:
    server = HutchServer(tmp_path / "gone").start()
    assert (server.data_dir / "server.json").exists()
    server.stop()
    assert not (server.data_dir / "server.json").exists()
