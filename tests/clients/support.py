"""The scenario (shared/SCENARIO.md) set up on a live hutch for the real-client tests, and the helpers that run
those clients: Node scripts in tests/clients/node, the AWS CLI, boto3 without AWS keys.

`hutch init` does the administrator's part (user pool, app client, identity pool, the authenticated role with
its trust and folder policy, the bucket) and its ``--output`` JSON is what the clients are given; the users
are then created with boto3 and root keys, as init's own summary suggests. Two layouts: ``seed``
(``cognito/<app>/<identity id>/``) and ``amplify`` (``public/``, ``protected/<identity id>/`` readable by every
signed-in user, ``private/<identity id>/`` owner only).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from tests.support.server import HutchServer

NODE_DIR = Path(__file__).resolve().parent / "node"
AWS = str(Path(sys.executable).parent / "aws")
PASSWORD = "Correct-Horse-9-battery"
SUB = "${cognito-identity.amazonaws.com:sub}"


@dataclass(frozen=True)
class Scenario:
    """What a client needs (from `hutch init --output`), plus the users and their password."""

    init: dict[str, Any]  # the --output document
    users: tuple[str, ...]
    endpoint: str  # the URL clients use (init's, unless the server has a --public-url)
    ca_bundle: str | None = None
    password: str = PASSWORD

    @property
    def region(self) -> str:
        return str(self.init["region"])

    @property
    def app(self) -> str:
        return str(self.init["app"])

    @property
    def user_pool_id(self) -> str:
        return str(self.init["userPoolId"])

    @property
    def client_id(self) -> str:
        return str(self.init["userPoolClientId"])

    @property
    def identity_pool_id(self) -> str:
        return str(self.init["identityPoolId"])

    @property
    def bucket(self) -> str:
        return str(self.init["bucket"])

    @property
    def login_provider(self) -> str:
        """The Logins key AWS documents for a user pool (Amplify uses the issuer without scheme instead)."""
        return str(self.init["userPoolProvider"])

    def folder(self, identity_id: str) -> str:
        """The prefix (with trailing slash) only this identity may use: ``own`` (seed) or ``private``."""
        folders = self.init["folders"]
        return str(folders.get("own") or folders["private"]).replace("{identityId}", identity_id)

    def env(self) -> dict[str, str]:
        """The scenario as the environment variables the Node scripts read."""
        return {
            "ENDPOINT": self.endpoint,
            "REGION": self.region,
            "USER_POOL_ID": self.user_pool_id,
            "CLIENT_ID": self.client_id,
            "IDENTITY_POOL_ID": self.identity_pool_id,
            "BUCKET": self.bucket,
            "APP": self.app,
            "USERS": ",".join(self.users),
            "PASSWORD": self.password,
        }


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def root_client(hutch: HutchServer, service: str) -> Any:
    return boto3.client(
        service,
        region_name=hutch.region,
        endpoint_url=hutch.endpoint,
        verify=hutch.ca_bundle or True,
        config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
        **hutch.root_credentials(),
    )


def unsigned_client(hutch: HutchServer, service: str) -> Any:
    """A client as an app without AWS keys builds it (InitiateAuth, GetId ... are unsigned operations)."""
    return boto3.client(
        service,
        region_name=hutch.region,
        endpoint_url=hutch.endpoint,
        verify=hutch.ca_bundle or True,
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}),
    )


def client_with(hutch: HutchServer, service: str, creds: dict[str, Any]) -> Any:
    """A client signing with an identity pool's temporary credentials."""
    return boto3.client(
        service,
        region_name=hutch.region,
        endpoint_url=hutch.endpoint,
        verify=hutch.ca_bundle or True,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretKey"],
        aws_session_token=creds["SessionToken"],
        config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
    )


def hutch_init(hutch: HutchServer, *args: str) -> dict[str, Any]:
    """``hutch init <args> --output <file>`` against the server, as an operator runs it; the JSON document."""
    output = hutch.data_dir / f"init-{uuid.uuid4().hex[:8]}.json"
    where = ("--data-dir", str(hutch.data_dir), "--output", str(output))
    done = subprocess.run(
        [sys.executable, "-m", "hutch", "init", *args, "--endpoint", hutch.endpoint, *where],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"hutch init {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    document: dict[str, Any] = json.loads(output.read_text())
    return document


def build_scenario(
    hutch: HutchServer,
    *,
    layout: str = "seed",
    bucket: str | None = None,
    users: tuple[str, ...] = ("alice", "bob"),
    public_endpoint: str | None = None,
) -> Scenario:
    """`hutch init` for a fresh app and bucket, then ``users`` created by the administrator with a permanent
    password. ``public_endpoint`` is the URL clients use when the server runs with ``--public-url`` (init and
    the administrator still reach it on 127.0.0.1)."""
    app = unique("app")
    init = hutch_init(hutch, "--app", app, "--bucket", bucket or unique("files"), "--layout", layout)
    idp = root_client(hutch, "cognito-idp")
    for user in users:
        idp.admin_create_user(UserPoolId=init["userPoolId"], Username=user, MessageAction="SUPPRESS")
        idp.admin_set_user_password(
            UserPoolId=init["userPoolId"], Username=user, Password=PASSWORD, Permanent=True
        )
    return Scenario(init, users, public_endpoint or init["endpoint"], hutch.ca_bundle)


def keys_under(hutch: HutchServer, bucket: str, prefix: str) -> dict[str, bytes]:
    """What is really stored under a prefix, read with root keys: key -> bytes."""
    s3 = root_client(hutch, "s3")
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            found[obj["Key"]] = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without any AWS or hutch settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HUTCH_", "NODE_"))}
    env.update(AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    env.update(extra)
    return env


def require_node(*packages: str) -> None:
    """Skip (with the reason) when Node.js or the committed npm packages are not installed."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed")
    missing = [p for p in packages if not (NODE_DIR / "node_modules" / p).is_dir()]
    if missing:
        pytest.skip(f"npm packages missing ({', '.join(missing)}): run `make node`")


def run_node(
    script: str,
    hutch: HutchServer,
    env: dict[str, str],
    *packages: str,
    node_args: tuple[str, ...] = (),
    timeout: float = 180,
) -> dict[str, Any]:
    """Run ``node [node_args] tests/clients/node/<script>`` and return the JSON object it prints last.

    A failing script fails the test with its stderr and the end of the server's log."""
    require_node(*packages)
    extra = dict(env)
    if hutch.ca_bundle:
        extra["NODE_EXTRA_CA_CERTS"] = hutch.ca_bundle
    done = subprocess.run(
        ["node", *node_args, script],
        cwd=NODE_DIR,
        env=clean_env(**extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        pytest.fail(
            f"node {script} exited {done.returncode}\n--- stderr\n{done.stderr[-6000:]}"
            f"\n--- stdout\n{done.stdout[-3000:]}\n--- hutch log\n{hutch.log_text()[-4000:]}"
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"node {script} printed no JSON:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def aws_cli(
    hutch: HutchServer,
    *args: str,
    credentials: dict[str, str] | None = None,
    unsigned: bool = False,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``aws --endpoint-url <hutch> <args>``: root keys by default, ``credentials`` (AWS_* variables, e.g. a
    session token) or no keys at all (``--no-sign-request``)."""
    env = clean_env(AWS_DEFAULT_REGION=hutch.region, AWS_MAX_ATTEMPTS="1", AWS_RETRY_MODE="standard")
    if hutch.ca_bundle:
        env["AWS_CA_BUNDLE"] = hutch.ca_bundle
    if not unsigned:
        if credentials is None:
            root = hutch.root_credentials()
            credentials = {
                "AWS_ACCESS_KEY_ID": root["aws_access_key_id"],
                "AWS_SECRET_ACCESS_KEY": root["aws_secret_access_key"],
            }
        env.update(credentials)
    command = [AWS, "--endpoint-url", hutch.endpoint, "--output", "json"]
    if unsigned:
        command.append("--no-sign-request")
    return subprocess.run([*command, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def aws_json(hutch: HutchServer, *args: str, **kwargs: Any) -> Any:
    """:func:`aws_cli` that must succeed; its JSON output (None when it printed nothing)."""
    done = aws_cli(hutch, *args, **kwargs)
    assert done.returncode == 0, f"aws {' '.join(args)} failed ({done.returncode}):\n{done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None


def verified_claims(scenario: Scenario, token: str) -> dict[str, Any]:
    """A user-pool token's claims after checking its RS256 signature against the pool's published JWKS, its
    issuer, expiry and (ID tokens) audience, as a resource server would."""
    import ssl

    import jwt

    issuer = f"{scenario.endpoint}/{scenario.user_pool_id}"
    context = ssl.create_default_context(cafile=scenario.ca_bundle) if scenario.ca_bundle else None
    keys = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json", ssl_context=context)
    key = keys.get_signing_key_from_jwt(token)
    unverified = jwt.decode(token, options={"verify_signature": False})
    audience = scenario.client_id if unverified.get("token_use") == "id" else None
    claims: dict[str, Any] = jwt.decode(
        token,
        key.key,
        algorithms=["RS256"],
        issuer=issuer,
        audience=audience,
        options={"verify_aud": audience is not None, "require": ["exp", "iat", "iss", "sub"]},
    )
    return claims
