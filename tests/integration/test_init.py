"""`hutch init` against a live server: idempotent, the user flow in both layouts, guests, and the README.

init runs as the real command (``python -m hutch init``) with the data directory's root keys. Users sign up
with an unsigned client and are confirmed by the admin; from then on everything a user does goes through
credentials the identity pool handed out, as an app's would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support.server import HutchServer

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Correct-Horse-9-battery"


# ---------------------------------------------------------------- running init


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HUTCH_"))}
    env.update(AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null", **extra)
    return env


def run_init(hutch: HutchServer, *args: str, output: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "hutch", "init", "--data-dir", str(hutch.data_dir)]
    command += ["--endpoint", hutch.endpoint, *args]
    if output is not None:
        command += ["--output", str(output)]
    return subprocess.run(command, env=clean_env(), capture_output=True, text=True, timeout=120)


def init_ok(hutch: HutchServer, *args: str, output: Path | None = None) -> str:
    done = run_init(hutch, *args, output=output)
    assert done.returncode == 0, f"hutch init {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def all_items(client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    """Every page: other tests share the server, so the first page may not hold ours."""
    return [item for page in client.get_paginator(operation).paginate(**params) for item in page[key]]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# ---------------------------------------------------------------- clients


def unsigned(hutch: HutchServer, service: str) -> Any:
    config = Config(signature_version=UNSIGNED, retries={"max_attempts": 1})
    return boto3.client(service, region_name=hutch.region, endpoint_url=hutch.endpoint, config=config)


def with_credentials(hutch: HutchServer, service: str, creds: dict[str, Any]) -> Any:
    return boto3.client(
        service,
        region_name=hutch.region,
        endpoint_url=hutch.endpoint,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretKey"],
        aws_session_token=creds["SessionToken"],
        config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
    )


def error_code(call: Callable[[], Any]) -> str:
    with pytest.raises(ClientError) as info:
        call()
    return str(info.value.response["Error"]["Code"])


@dataclass
class User:
    name: str
    identity_id: str
    pool_sub: str  # the user-pool `sub`: NOT what the policies mean by ${cognito-identity.amazonaws.com:sub}
    s3: Any


def sign_up_and_in(hutch: HutchServer, root_idp: Any, app: dict[str, Any], name: str) -> User:
    """SignUp (unsigned) → AdminConfirmSignUp (root) → InitiateAuth → GetId → GetCredentialsForIdentity."""
    idp = unsigned(hutch, "cognito-idp")
    idp.sign_up(
        ClientId=app["userPoolClientId"],
        Username=name,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
    )
    root_idp.admin_confirm_sign_up(UserPoolId=app["userPoolId"], Username=name)
    tokens = idp.initiate_auth(
        ClientId=app["userPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    logins = {app["userPoolProvider"]: tokens["IdToken"]}
    identity = unsigned(hutch, "cognito-identity")
    identity_id = identity.get_id(IdentityPoolId=app["identityPoolId"], Logins=logins)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
    pool_sub = jwt.decode(tokens["IdToken"], options={"verify_signature": False})["sub"]
    return User(name, identity_id, pool_sub, with_credentials(hutch, "s3", creds))


def guest(hutch: HutchServer, app: dict[str, Any]) -> User:
    identity = unsigned(hutch, "cognito-identity")
    identity_id = identity.get_id(IdentityPoolId=app["identityPoolId"])["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=identity_id)["Credentials"]
    return User("guest", identity_id, "", with_credentials(hutch, "s3", creds))


# ---------------------------------------------------------------- idempotency


def test_second_run_finds_everything_and_writes_the_same_file(
    hutch: HutchServer, client_factory: Any, tmp_path: Path
) -> None:
    app, bucket = unique("twice"), unique("twice")
    first = init_ok(hutch, "--bucket", bucket, "--app", app, "--guest", output=tmp_path / "1.json")
    second = init_ok(hutch, "--bucket", bucket, "--app", app, "--guest", output=tmp_path / "2.json")

    assert "created" in first
    assert "everything was already as intended" in second
    assert not re.search(r"\b(created|updated)\b", second.split("\n\n")[1])
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()

    # Nothing was duplicated on the server.
    config = json.loads((tmp_path / "2.json").read_text())
    idp, identity, iam = (client_factory(s) for s in ("cognito-idp", "cognito-identity", "iam"))
    pools = [p for p in all_items(idp, "list_user_pools", "UserPools", MaxResults=60) if p["Name"] == app]
    assert [p["Id"] for p in pools] == [config["userPoolId"]]
    clients = idp.list_user_pool_clients(UserPoolId=config["userPoolId"], MaxResults=60)["UserPoolClients"]
    assert [c["ClientId"] for c in clients] == [config["userPoolClientId"]]
    identity_pools = [
        p["IdentityPoolId"]
        for p in all_items(identity, "list_identity_pools", "IdentityPools", MaxResults=60)
        if p["IdentityPoolName"] == app.replace("-", "_")
    ]
    assert identity_pools == [config["identityPoolId"]]
    roles = [
        r["RoleName"]
        for r in all_items(iam, "list_roles", "Roles")
        if r["RoleName"].startswith(f"hutch-{app}-")
    ]
    assert sorted(roles) == [f"hutch-{app}-authenticated", f"hutch-{app}-unauthenticated"]


def test_the_output_document_has_the_documented_shape(hutch: HutchServer, tmp_path: Path) -> None:
    app, bucket = unique("shape"), unique("shape")
    init_ok(hutch, "--bucket", bucket, "--app", app, "--layout", "amplify", output=tmp_path / "app.json")
    doc = json.loads((tmp_path / "app.json").read_text())

    assert doc["hutchInit"] == 1
    assert (doc["app"], doc["layout"], doc["bucket"], doc["region"]) == (app, "amplify", bucket, hutch.region)
    assert doc["endpoint"] == hutch.endpoint
    assert set(doc["endpoints"]) == {"cognito-idp", "cognito-identity", "iam", "sts", "s3"}
    assert set(doc["endpoints"].values()) == {hutch.endpoint}
    assert doc["s3CustomEndpoint"] == f"127.0.0.1:{hutch.port}"
    assert re.fullmatch(rf"{hutch.region}_[0-9A-Za-z]+", doc["userPoolId"])
    assert doc["userPoolProvider"] == f"cognito-idp.{hutch.region}.amazonaws.com/{doc['userPoolId']}"
    assert re.fullmatch(rf"{hutch.region}:[0-9a-f-]{{36}}", doc["identityPoolId"])
    assert doc["roles"] == {
        "authenticated": f"arn:aws:iam::{hutch.account_id}:role/hutch-{app}-authenticated",
        "unauthenticated": None,
    }
    assert doc["allowGuestAccess"] is False
    assert doc["folders"] == {
        "public": "public/",
        "protected": "protected/{identityId}/",
        "private": "private/{identityId}/",
    }
    assert doc["amplify"] == {
        "Auth": {
            "Cognito": {
                "userPoolId": doc["userPoolId"],
                "userPoolClientId": doc["userPoolClientId"],
                "identityPoolId": doc["identityPoolId"],
                "userPoolEndpoint": hutch.endpoint,
                "identityPoolEndpoint": hutch.endpoint,
                "allowGuestAccess": False,
            }
        },
        "Storage": {"S3": {"bucket": bucket, "region": hutch.region}},
    }
    assert set(doc["snippets"]) == {"boto3", "js"}
    assert "Amplify.configure(" in doc["snippets"]["js"]
    assert "private/${identityId}/hello.txt" in doc["snippets"]["js"]


def test_the_identity_pool_has_the_basic_flow_off(
    hutch: HutchServer, client_factory: Any, tmp_path: Path
) -> None:
    """With the basic flow on, a signed-in user could assume any role that trusts the pool (security review)."""
    out = tmp_path / "classic.json"
    init_ok(hutch, "--bucket", unique("classic"), "--app", unique("classic"), output=out)
    pool = client_factory("cognito-identity").describe_identity_pool(
        IdentityPoolId=json.loads(out.read_text())["identityPoolId"]
    )
    assert pool["AllowClassicFlow"] is False


def test_the_app_client_has_no_secret_and_the_three_flows(hutch: HutchServer, client_factory: Any) -> None:
    app, bucket = unique("client"), unique("client")
    out = init_ok(hutch, "--bucket", bucket, "--app", app)
    pool_id = re.search(r"user pool id\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    client_id = re.search(r"app client id\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    client = client_factory("cognito-idp").describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert "ClientSecret" not in client["UserPoolClient"]
    assert set(client["UserPoolClient"]["ExplicitAuthFlows"]) == {
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }


def test_a_rerun_repairs_policies_cors_and_flows_changed_by_hand(
    hutch: HutchServer, client_factory: Any, tmp_path: Path
) -> None:
    app, bucket = unique("repair"), unique("repair")
    init_ok(hutch, "--bucket", bucket, "--app", app, output=tmp_path / "app.json")
    doc = json.loads((tmp_path / "app.json").read_text())
    iam, s3, idp = client_factory("iam"), client_factory("s3"), client_factory("cognito-idp")
    role = f"hutch-{app}-authenticated"
    wide_open = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }
    iam.put_role_policy(RoleName=role, PolicyName="hutch-storage", PolicyDocument=json.dumps(wide_open))
    original_trust = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    any_pool = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
            }
        ],
    }
    iam.update_assume_role_policy(RoleName=role, PolicyDocument=json.dumps(any_pool))
    s3.delete_bucket_cors(Bucket=bucket)
    idp.update_user_pool_client(
        UserPoolId=doc["userPoolId"],
        ClientId=doc["userPoolClientId"],
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"],
    )

    out = init_ok(hutch, "--bucket", bucket, "--app", app)

    assert re.search(rf"role\s+{role}\s+updated: trust policy; policy hutch-storage", out)
    assert re.search(rf"bucket\s+{bucket}\s+updated: CORS rule hutch-init", out)
    assert re.search(r"app client\s+.*updated: enabled ALLOW_USER_PASSWORD_AUTH", out)
    policy = iam.get_role_policy(RoleName=role, PolicyName="hutch-storage")["PolicyDocument"]
    assert "s3:*" not in json.dumps(policy)
    assert iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"] == original_trust
    [rule] = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert rule["AllowedOrigins"] == ["*"]
    assert set(rule["AllowedMethods"]) == {"GET", "PUT", "POST", "DELETE", "HEAD"}
    assert {"ETag", "x-amz-request-id"} <= set(rule["ExposeHeaders"])
    flows = idp.describe_user_pool_client(UserPoolId=doc["userPoolId"], ClientId=doc["userPoolClientId"])
    # The flow added by hand stays; the missing one is back.
    assert set(flows["UserPoolClient"]["ExplicitAuthFlows"]) == {
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
    }


def test_the_bucket_cors_answers_a_browser_preflight(hutch: HutchServer) -> None:
    import httpx

    app, bucket = unique("cors"), unique("cors")
    init_ok(hutch, "--bucket", bucket, "--app", app)
    response = httpx.options(
        f"{hutch.endpoint}/{bucket}/cognito/{app}/x/photo.jpg",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization,x-amz-date,x-amz-security-token,content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "http://localhost:5173")
    assert "PUT" in response.headers["access-control-allow-methods"]
    assert "etag" in response.headers["access-control-expose-headers"].lower()


# ---------------------------------------------------------------- refusals


def test_an_invalid_app_name_is_refused_before_anything_is_made(hutch: HutchServer) -> None:
    done = run_init(hutch, "--bucket", unique("bad"), "--app", "no/slashes")
    assert done.returncode == 2
    assert "app name 'no/slashes'" in done.stderr


def test_an_unknown_layout_is_refused(hutch: HutchServer) -> None:
    done = run_init(hutch, "--bucket", unique("bad"), "--app", unique("bad"), "--layout", "flat")
    assert done.returncode == 2
    assert "--layout must be one of seed, amplify" in done.stderr


def test_a_bucket_name_the_server_refuses_is_reported_with_its_error(
    hutch: HutchServer, client_factory: Any
) -> None:
    app = unique("badbucket")
    done = run_init(hutch, "--bucket", "Not_A_Bucket", "--app", app)
    assert done.returncode == 1
    assert "InvalidBucketName" in done.stderr
    # The bucket is checked first: no pool was created for the app.
    pools = all_items(client_factory("cognito-idp"), "list_user_pools", "UserPools", MaxResults=60)
    assert app not in [p["Name"] for p in pools]


def test_no_server_is_reported_plainly(hutch: HutchServer) -> None:
    from tests.support.server import free_port

    command = [sys.executable, "-m", "hutch", "init", "--bucket", "b-b-b", "--app", "a"]
    command += ["--data-dir", str(hutch.data_dir), "--endpoint", f"http://127.0.0.1:{free_port()}"]
    done = subprocess.run(command, env=clean_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "cannot reach" in done.stderr
    assert "hutch serve" in done.stderr


def test_a_region_other_than_the_servers_is_refused(hutch: HutchServer) -> None:
    done = run_init(hutch, "--bucket", unique("r"), "--app", unique("r"), "--region", "eu-west-3")
    assert done.returncode == 1
    assert f"serves region {hutch.region}, not eu-west-3" in done.stderr


def test_over_https_init_trusts_the_ca_hutch_generated_in_the_data_dir(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    server = HutchServer(tmp_path_factory.mktemp("tls-data"), tls=True).start()
    try:
        out = tmp_path_factory.mktemp("tls-out") / "app.json"
        init_ok(server, "--bucket", "files.web", "--app", "secure", output=out)  # no AWS_CA_BUNDLE given
        doc = json.loads(out.read_text())
        assert doc["endpoint"] == server.endpoint == f"https://127.0.0.1:{server.port}"
        assert doc["amplify"]["Auth"]["Cognito"]["userPoolEndpoint"].startswith("https://")
        assert "AWS_CA_BUNDLE" in doc["snippets"]["boto3"]
    finally:
        server.stop()


# ---------------------------------------------------------------- the user flow, per layout


@dataclass
class World:
    app: dict[str, Any]
    alice: User
    bob: User
    root_s3: Any

    @property
    def bucket(self) -> str:
        return str(self.app["bucket"])


@pytest.fixture(scope="module", params=["seed", "amplify"])
def world(
    request: pytest.FixtureRequest, hutch: HutchServer, tmp_path_factory: pytest.TempPathFactory
) -> World:
    layout = request.param
    name, bucket = unique(layout), unique(layout)
    out = tmp_path_factory.mktemp("init") / "app.json"
    init_ok(hutch, "--bucket", bucket, "--app", name, "--layout", layout, "--guest", output=out)
    # The flow runs on what the second run left: it must be just as usable.
    init_ok(hutch, "--bucket", bucket, "--app", name, "--layout", layout, "--guest", output=out)
    app = json.loads(out.read_text())
    root = boto3.Session(region_name=hutch.region, **hutch.root_credentials())
    root_idp = root.client("cognito-idp", endpoint_url=hutch.endpoint)
    root_s3 = root.client("s3", endpoint_url=hutch.endpoint, config=Config(s3={"addressing_style": "path"}))
    alice = sign_up_and_in(hutch, root_idp, app, "alice")
    bob = sign_up_and_in(hutch, root_idp, app, "bob")
    return World(app, alice, bob, root_s3)


def own_folder(world: World, user: User) -> str:
    folders = world.app["folders"]
    return str(folders["own" if world.app["layout"] == "seed" else "private"]).format(
        identityId=user.identity_id
    )


def test_a_user_reads_writes_lists_and_deletes_in_their_own_folder(world: World) -> None:
    s3, folder = world.alice.s3, own_folder(world, world.alice)
    s3.put_object(Bucket=world.bucket, Key=folder + "notes.txt", Body=b"alice's notes")
    assert s3.get_object(Bucket=world.bucket, Key=folder + "notes.txt")["Body"].read() == b"alice's notes"
    listed = s3.list_objects_v2(Bucket=world.bucket, Prefix=folder)
    assert [o["Key"] for o in listed["Contents"]] == [folder + "notes.txt"]
    s3.delete_object(Bucket=world.bucket, Key=folder + "notes.txt")
    assert s3.list_objects_v2(Bucket=world.bucket, Prefix=folder)["KeyCount"] == 0


def test_another_users_folder_is_refused_both_ways(world: World) -> None:
    alices = own_folder(world, world.alice)
    world.alice.s3.put_object(Bucket=world.bucket, Key=alices + "diary.txt", Body=b"private")
    bob, bobs = world.bob.s3, own_folder(world, world.bob)
    assert error_code(lambda: bob.get_object(Bucket=world.bucket, Key=alices + "diary.txt")) == "AccessDenied"
    assert (
        error_code(lambda: bob.put_object(Bucket=world.bucket, Key=alices + "x", Body=b"")) == "AccessDenied"
    )
    assert (
        error_code(lambda: bob.delete_object(Bucket=world.bucket, Key=alices + "diary.txt")) == "AccessDenied"
    )
    assert error_code(lambda: bob.list_objects_v2(Bucket=world.bucket, Prefix=alices)) == "AccessDenied"
    alice = world.alice.s3
    assert (
        error_code(lambda: alice.put_object(Bucket=world.bucket, Key=bobs + "x", Body=b"")) == "AccessDenied"
    )


def test_the_bucket_root_and_other_prefixes_are_refused(world: World) -> None:
    s3 = world.alice.s3
    assert error_code(lambda: s3.list_objects_v2(Bucket=world.bucket)) == "AccessDenied"
    assert error_code(lambda: s3.put_object(Bucket=world.bucket, Key="top.txt", Body=b"")) == "AccessDenied"
    assert (
        error_code(lambda: s3.put_object(Bucket=world.bucket, Key="other/x.txt", Body=b"")) == "AccessDenied"
    )


def test_the_user_pool_sub_is_not_the_folder_name(world: World) -> None:
    # The pitfall of SCENARIO.md: the policy variable is the identity id, not the ID token's sub.
    folder = own_folder(world, world.alice).replace(world.alice.identity_id, world.alice.pool_sub)
    s3 = world.alice.s3
    assert (
        error_code(lambda: s3.put_object(Bucket=world.bucket, Key=folder + "x", Body=b"")) == "AccessDenied"
    )


def test_public_and_protected_folders_follow_the_layout(world: World) -> None:
    alice, bob = world.alice.s3, world.bob.s3
    if world.app["layout"] == "seed":
        # The seed layout has no shared folders at all.
        code = error_code(lambda: alice.put_object(Bucket=world.bucket, Key="public/hello.txt", Body=b""))
        assert code == "AccessDenied"
        return
    alice.put_object(Bucket=world.bucket, Key="public/hello.txt", Body=b"hi all")
    assert bob.get_object(Bucket=world.bucket, Key="public/hello.txt")["Body"].read() == b"hi all"
    assert bob.list_objects_v2(Bucket=world.bucket, Prefix="public/")["KeyCount"] >= 1

    protected = f"protected/{world.alice.identity_id}/"
    alice.put_object(Bucket=world.bucket, Key=protected + "avatar.png", Body=b"png")
    assert bob.get_object(Bucket=world.bucket, Key=protected + "avatar.png")["Body"].read() == b"png"
    assert bob.list_objects_v2(Bucket=world.bucket, Prefix=protected)["KeyCount"] == 1
    code = error_code(lambda: bob.put_object(Bucket=world.bucket, Key=protected + "avatar.png", Body=b"x"))
    assert code == "AccessDenied"
    code = error_code(lambda: bob.delete_object(Bucket=world.bucket, Key=protected + "avatar.png"))
    assert code == "AccessDenied"
    private = f"private/{world.alice.identity_id}/"
    assert error_code(lambda: bob.list_objects_v2(Bucket=world.bucket, Prefix=private)) == "AccessDenied"


def test_guests_get_credentials_limited_to_what_the_layout_gives_them(
    hutch: HutchServer, world: World
) -> None:
    visitor = guest(hutch, world.app)
    s3 = visitor.s3
    alices = own_folder(world, world.alice)
    world.alice.s3.put_object(Bucket=world.bucket, Key=alices + "guest-test.txt", Body=b"not for guests")
    assert (
        error_code(lambda: s3.get_object(Bucket=world.bucket, Key=alices + "guest-test.txt"))
        == "AccessDenied"
    )
    assert error_code(lambda: s3.list_objects_v2(Bucket=world.bucket)) == "AccessDenied"
    if world.app["layout"] == "seed":
        # A guest's identity id is theirs alone: they get a folder of their own, like a signed-in user.
        mine = own_folder(world, visitor)
        s3.put_object(Bucket=world.bucket, Key=mine + "draft.txt", Body=b"draft")
        assert s3.get_object(Bucket=world.bucket, Key=mine + "draft.txt")["Body"].read() == b"draft"
    else:
        # Guests read public/ and protected/, and write nothing.
        world.alice.s3.put_object(Bucket=world.bucket, Key="public/welcome.txt", Body=b"welcome")
        assert s3.get_object(Bucket=world.bucket, Key="public/welcome.txt")["Body"].read() == b"welcome"
        assert s3.list_objects_v2(Bucket=world.bucket, Prefix="public/")["KeyCount"] >= 1
        code = error_code(lambda: s3.put_object(Bucket=world.bucket, Key="public/spam.txt", Body=b""))
        assert code == "AccessDenied"
        mine = f"private/{visitor.identity_id}/"
        assert (
            error_code(lambda: s3.put_object(Bucket=world.bucket, Key=mine + "x", Body=b"")) == "AccessDenied"
        )


def test_the_boto3_snippet_uploads_as_the_user(world: World, tmp_path: Path) -> None:
    source = world.app["snippets"]["boto3"].replace('"alice", "..."', f'"alice", "{PASSWORD}"')
    script = tmp_path / "snippet.py"
    script.write_text(source + "\nprint(identity_id)\n")
    done = subprocess.run(
        [sys.executable, str(script)], env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == world.alice.identity_id
    key = own_folder(world, world.alice) + "hello.txt"
    assert world.root_s3.get_object(Bucket=world.bucket, Key=key)["Body"].read() == b"hello"


# ---------------------------------------------------------------- changing the options


def test_dropping_guest_turns_guest_access_off(hutch: HutchServer, tmp_path: Path) -> None:
    app, bucket = unique("noguest"), unique("noguest")
    init_ok(hutch, "--bucket", bucket, "--app", app, "--guest", output=tmp_path / "app.json")
    doc = json.loads((tmp_path / "app.json").read_text())
    guest(hutch, doc)  # works while --guest is on

    out = init_ok(hutch, "--bucket", bucket, "--app", app, output=tmp_path / "app.json")
    assert "guests no longer allowed" in out
    identity = unsigned(hutch, "cognito-identity")
    code = error_code(lambda: identity.get_id(IdentityPoolId=doc["identityPoolId"]))
    assert code == "NotAuthorizedException"
    assert json.loads((tmp_path / "app.json").read_text())["roles"]["unauthenticated"] is None


def test_switching_layout_replaces_the_folder_policy(hutch: HutchServer, tmp_path: Path) -> None:
    app, bucket = unique("switch"), unique("switch")
    init_ok(hutch, "--bucket", bucket, "--app", app, output=tmp_path / "app.json")
    out = init_ok(
        hutch, "--bucket", bucket, "--app", app, "--layout", "amplify", output=tmp_path / "app.json"
    )
    assert "updated: policy hutch-storage" in out
    doc = json.loads((tmp_path / "app.json").read_text())
    root = boto3.Session(region_name=hutch.region, **hutch.root_credentials())
    user = sign_up_and_in(hutch, root.client("cognito-idp", endpoint_url=hutch.endpoint), doc, "carol")
    user.s3.put_object(Bucket=bucket, Key=f"private/{user.identity_id}/x", Body=b"")
    seed_key = f"cognito/{app}/{user.identity_id}/x"
    assert error_code(lambda: user.s3.put_object(Bucket=bucket, Key=seed_key, Body=b"")) == "AccessDenied"


# ---------------------------------------------------------------- the README quick start


def readme_blocks(section: str, kind: str) -> list[tuple[str, str]]:
    """(argument, code) of each fenced block after a ``<!-- <section>:<kind> [argument] -->`` marker."""
    text = (REPO / "README.md").read_text()
    pattern = rf"<!-- {section}:{kind}(?: (\S+))? -->\s*```\w*\n(.*?)```"
    return [(m.group(1) or "", m.group(2)) for m in re.finditer(pattern, text, re.S)]


def follow_readme(section: str, work: Path, server: HutchServer) -> str:
    """Write the section's files into ``work`` and run its shell blocks there, in order, in one shell.

    HUTCH_DATA_DIR / HUTCH_PORT point the commands at ``server`` the way `make serve` with its defaults
    would (the README's port may be taken here); nothing else is added to what the reader types.
    """
    shell, files = readme_blocks(section, "shell"), readme_blocks(section, "file")
    assert shell and files, f"README.md has no <!-- {section}:... --> blocks"
    for name, code in files:
        (work / name).write_text(code)
    done = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + "\n".join(code for _, code in shell)],
        cwd=work,
        env=clean_env(HUTCH_DATA_DIR=str(server.data_dir), HUTCH_PORT=str(server.port)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    return done.stdout


def fresh_clone(tmp_path: Path) -> Path:
    """A working directory that looks like a clone after `make serve`: .venv is there."""
    work = tmp_path / "clone"
    work.mkdir()
    (work / ".venv").symlink_to(REPO / ".venv")
    return work


def test_the_readme_quick_start_runs_verbatim(tmp_path: Path) -> None:
    assert [name for name, _ in readme_blocks("quickstart", "file")] == ["upload.py"]
    work = fresh_clone(tmp_path)
    server = HutchServer(tmp_path / "data").start()  # `make serve` in the first shell
    try:
        out = follow_readme("quickstart", work, server)
        match = re.search(r"uploaded to (cognito/myapp/(\S+)/hello\.txt)", out)
        assert match, out
        assert re.fullmatch(rf"{server.region}:[0-9a-f-]{{36}}", match.group(2))
        assert "someone else's folder: AccessDenied" in out
        app = json.loads((work / "myapp.json").read_text())
        root = boto3.client(
            "s3", region_name=server.region, endpoint_url=server.endpoint, **server.root_credentials()
        )
        assert root.get_object(Bucket=app["bucket"], Key=match.group(1))["Body"].read() == b"hello"
    finally:
        server.stop()


NODE_MODULES = REPO / "tests" / "clients" / "node" / "node_modules"


@pytest.mark.node
def test_the_readme_amplify_steps_upload_over_https(tmp_path: Path) -> None:
    if shutil.which("node") is None or not (NODE_MODULES / "aws-amplify").is_dir():
        pytest.skip(reason="needs Node.js and the committed npm packages (`make node`)")
    work = fresh_clone(tmp_path)
    (work / "node_modules").symlink_to(NODE_MODULES)  # "a Node project with aws-amplify 6 installed"
    plain = HutchServer(tmp_path / "data").start()
    try:
        follow_readme("quickstart", work, plain)  # alice exists from the quick start
    finally:
        plain.stop()
    # `make serve ARGS=--tls`: the same data directory and port, now over HTTPS.
    server = HutchServer(tmp_path / "data", port=plain.port, tls=True).start()
    try:
        out = follow_readme("quickstart-amplify", work, server)
        match = re.search(r"uploaded to (private/(\S+)/hello\.txt)", out)
        assert match, out
        assert re.fullmatch(rf"{server.region}:[0-9a-f-]{{36}}", match.group(2))
        root = boto3.client(
            "s3",
            region_name=server.region,
            endpoint_url=server.endpoint,
            verify=server.ca_bundle,
            **server.root_credentials(),
        )
        assert root.get_object(Bucket="photos.web", Key=match.group(1))["Body"].read() == b"hello"
    finally:
        server.stop()
