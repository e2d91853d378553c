"""The AWS CLI, unmodified, for both sides of the scenario.

The administrator types SCENARIO.md's six steps with policy files (``file://``) and root keys. Each user then
signs in and gets credentials with ``--no-sign-request`` (no keys of their own), exports them as
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, and uses ``aws s3 cp / ls / rm``: their own
folder works (including a multipart ``cp``), the other user's folder and the bucket root are refused, both
ways, and root keys confirm the refusals changed nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.clients.support import PASSWORD, SUB, aws_cli, aws_json, keys_under, unique
from tests.support.server import HutchServer

APP = "myapp"


def trust_policy(identity_pool_id: str) -> dict[str, Any]:
    return {
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


def folder_policy(bucket: str) -> dict[str, Any]:
    folder = f"cognito/{APP}/{SUB}"
    return {
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


@dataclass(frozen=True)
class Admin:
    user_pool_id: str
    client_id: str
    provider: str
    identity_pool_id: str
    bucket: str


@dataclass(frozen=True)
class User:
    name: str
    identity_id: str
    env: dict[str, str]  # AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN

    @property
    def folder(self) -> str:
        return f"cognito/{APP}/{self.identity_id}/"


@pytest.fixture(scope="module")
def admin(hutch: HutchServer, tmp_path_factory: pytest.TempPathFactory) -> Admin:
    """SCENARIO.md's admin side, step by step, with the CLI and policy files."""
    files = tmp_path_factory.mktemp("policies")

    def aws(*args: str) -> Any:
        return aws_json(hutch, *args, cwd=files)

    # 1. A user pool, an app client (SRP, password, refresh) and two users.
    user_pool_id = aws("cognito-idp", "create-user-pool", "--pool-name", unique("cli"))["UserPool"]["Id"]
    client_id = aws(
        "cognito-idp",
        "create-user-pool-client",
        "--user-pool-id",
        user_pool_id,
        "--client-name",
        "web",
        "--explicit-auth-flows",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    )["UserPoolClient"]["ClientId"]
    for name in ("alice", "bob"):
        aws(
            "cognito-idp",
            "admin-create-user",
            "--user-pool-id",
            user_pool_id,
            "--username",
            name,
            "--message-action",
            "SUPPRESS",
        )
        aws(
            "cognito-idp",
            "admin-set-user-password",
            "--user-pool-id",
            user_pool_id,
            "--username",
            name,
            "--password",
            PASSWORD,
            "--permanent",
        )
    provider = f"cognito-idp.{hutch.region}.amazonaws.com/{user_pool_id}"
    # 2. A bucket.
    bucket = unique("cli-files")
    made = aws_cli(hutch, "s3", "mb", f"s3://{bucket}")
    assert made.returncode == 0 and made.stdout.strip() == f"make_bucket: {bucket}", made.stderr
    # 3. An identity pool linked to the user pool and its app client.
    identity_pool_id = aws(
        "cognito-identity",
        "create-identity-pool",
        "--identity-pool-name",
        unique("cli").replace("-", "_"),
        "--no-allow-unauthenticated-identities",
        "--cognito-identity-providers",
        f"ProviderName={provider},ClientId={client_id},ServerSideTokenCheck=false",
    )["IdentityPoolId"]
    # 4. + 5. The role only that pool's signed-in identities may assume, and its folder policy.
    (files / "trust.json").write_text(json.dumps(trust_policy(identity_pool_id), indent=2))
    (files / "folder.json").write_text(json.dumps(folder_policy(bucket), indent=2))
    role = unique("cli-users")
    role_arn = aws(
        "iam", "create-role", "--role-name", role, "--assume-role-policy-document", "file://trust.json"
    )["Role"]["Arn"]
    aws(
        "iam",
        "put-role-policy",
        "--role-name",
        role,
        "--policy-name",
        "own-folder",
        "--policy-document",
        "file://folder.json",
    )
    # 6. The pool hands that role to signed-in users.
    aws(
        "cognito-identity",
        "set-identity-pool-roles",
        "--identity-pool-id",
        identity_pool_id,
        "--roles",
        f"authenticated={role_arn}",
    )
    return Admin(user_pool_id, client_id, provider, identity_pool_id, bucket)


def sign_in(hutch: HutchServer, admin: Admin, name: str) -> User:
    """The user side with no keys: initiate-auth, get-id, get-credentials-for-identity."""

    def anonymous(*args: str) -> Any:
        return aws_json(hutch, *args, unsigned=True)

    id_token = anonymous(
        "cognito-idp",
        "initiate-auth",
        "--client-id",
        admin.client_id,
        "--auth-flow",
        "USER_PASSWORD_AUTH",
        "--auth-parameters",
        f"USERNAME={name},PASSWORD={PASSWORD}",
    )["AuthenticationResult"]["IdToken"]
    logins = json.dumps({admin.provider: id_token})
    identity_id = anonymous(
        "cognito-identity", "get-id", "--identity-pool-id", admin.identity_pool_id, "--logins", logins
    )["IdentityId"]
    creds = anonymous(
        "cognito-identity", "get-credentials-for-identity", "--identity-id", identity_id, "--logins", logins
    )["Credentials"]
    env = {
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }
    return User(name, identity_id, env)


@pytest.fixture(scope="module")
def alice(hutch: HutchServer, admin: Admin) -> User:
    return sign_in(hutch, admin, "alice")


@pytest.fixture(scope="module")
def bob(hutch: HutchServer, admin: Admin) -> User:
    return sign_in(hutch, admin, "bob")


def as_user(hutch: HutchServer, user: User, *args: str, cwd: Path | None = None) -> Any:
    return aws_cli(hutch, *args, credentials=user.env, cwd=cwd)


def refused(done: Any) -> bool:
    """The CLI failed with S3's refusal: AccessDenied, or 403 Forbidden where the CLI starts with HeadObject."""
    return done.returncode != 0 and ("AccessDenied" in done.stderr or "(403)" in done.stderr)


@pytest.fixture(scope="module")
def files(
    hutch: HutchServer, admin: Admin, alice: User, bob: User, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Each user copies a note and a 9 MiB file (multipart for `aws s3 cp`) into their own folder."""
    work = tmp_path_factory.mktemp("cli-files")
    (work / "big.bin").write_bytes(b"\x07" * (9 * 1024 * 1024))
    for user in (alice, bob):
        (work / f"{user.name}.txt").write_text(f"written by {user.name}")
        for name in (f"{user.name}.txt", "big.bin"):
            done = as_user(
                hutch, user, "s3", "cp", name, f"s3://{admin.bucket}/{user.folder}{name}", cwd=work
            )
            assert done.returncode == 0, done.stderr
    return work


def test_credentials_come_from_the_identity_pool(alice: User, bob: User, hutch: HutchServer) -> None:
    for user in (alice, bob):
        assert user.identity_id.startswith(f"{hutch.region}:")
        assert user.env["AWS_ACCESS_KEY_ID"].startswith("ASIA")
        caller = aws_json(hutch, "sts", "get-caller-identity", credentials=user.env)
        assert caller["Arn"].endswith("/CognitoIdentityCredentials")
    assert alice.identity_id != bob.identity_id


def test_own_folder_cp_ls_and_rm(
    hutch: HutchServer, admin: Admin, alice: User, bob: User, files: Path
) -> None:
    for user in (alice, bob):
        listed = as_user(hutch, user, "s3", "ls", f"s3://{admin.bucket}/{user.folder}")
        assert listed.returncode == 0, listed.stderr
        assert sorted(line.split()[-1] for line in listed.stdout.splitlines()) == sorted(
            ["big.bin", f"{user.name}.txt"]
        )
        copied = as_user(hutch, user, "s3", "cp", f"s3://{admin.bucket}/{user.folder}{user.name}.txt", "-")
        assert copied.returncode == 0 and copied.stdout == f"written by {user.name}", copied.stderr
        down = files / f"{user.name}-big.bin"
        fetched = as_user(hutch, user, "s3", "cp", f"s3://{admin.bucket}/{user.folder}big.bin", str(down))
        assert fetched.returncode == 0, fetched.stderr
        assert down.read_bytes() == (files / "big.bin").read_bytes()
        removed = as_user(hutch, user, "s3", "rm", f"s3://{admin.bucket}/{user.folder}big.bin")
        assert removed.returncode == 0, removed.stderr
        assert keys_under(hutch, admin.bucket, user.folder) == {
            f"{user.folder}{user.name}.txt": f"written by {user.name}".encode()
        }


@pytest.mark.parametrize("who", ["alice-into-bob", "bob-into-alice"])
def test_the_other_users_folder_is_refused(
    hutch: HutchServer, admin: Admin, alice: User, bob: User, files: Path, who: str
) -> None:
    user, other = (alice, bob) if who == "alice-into-bob" else (bob, alice)
    target = f"s3://{admin.bucket}/{other.folder}{other.name}.txt"
    assert refused(as_user(hutch, user, "s3", "cp", target, "-"))
    assert refused(as_user(hutch, user, "s3", "cp", f"{user.name}.txt", target, cwd=files))
    assert refused(as_user(hutch, user, "s3", "rm", target))
    assert refused(as_user(hutch, user, "s3", "ls", f"s3://{admin.bucket}/{other.folder}"))
    stored = keys_under(hutch, admin.bucket, other.folder)
    assert stored[f"{other.folder}{other.name}.txt"] == f"written by {other.name}".encode()


def test_the_bucket_root_is_refused(
    hutch: HutchServer, admin: Admin, alice: User, bob: User, files: Path
) -> None:
    for user in (alice, bob):
        assert refused(as_user(hutch, user, "s3", "ls", f"s3://{admin.bucket}/"))
        assert refused(as_user(hutch, user, "s3", "ls", f"s3://{admin.bucket}/", "--recursive"))
        assert refused(
            as_user(hutch, user, "s3", "cp", f"{user.name}.txt", f"s3://{admin.bucket}/", cwd=files)
        )
        assert refused(
            as_user(hutch, user, "s3", "ls")
        )  # ListBuckets: the role grants no s3:ListAllMyBuckets
    assert keys_under(hutch, admin.bucket, "alice.txt") == keys_under(hutch, admin.bucket, "bob.txt") == {}


def test_the_user_pool_sub_is_not_the_folder_name(
    hutch: HutchServer, admin: Admin, alice: User, files: Path
) -> None:
    """The pitfall: the user pool's `sub` claim in place of the identity id is refused like any other folder."""
    sub = aws_json(
        hutch,
        "cognito-idp",
        "admin-get-user",
        "--user-pool-id",
        admin.user_pool_id,
        "--username",
        "alice",
    )["UserAttributes"]
    user_pool_sub = next(a["Value"] for a in sub if a["Name"] == "sub")
    assert user_pool_sub not in alice.identity_id
    target = f"s3://{admin.bucket}/cognito/{APP}/{user_pool_sub}/alice.txt"
    assert refused(as_user(hutch, alice, "s3", "cp", "alice.txt", target, cwd=files))
