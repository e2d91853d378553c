"""The scenario hutch exists for (shared/SCENARIO.md), end to end against a live server.

Admin steps run through the AWS CLI with policy files, exactly as a reader of the scenario would type them;
user steps run through boto3 clients that hold no AWS keys. Each signed-in user reaches their own folder of
the bucket and nothing else, through credentials an identity pool hands out for one IAM role whose policy
names ``${cognito-identity.amazonaws.com:sub}``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.integration.cognito_identity.support import (
    PASSWORD,
    claims_of,
    client_with,
    mint_with_pool_key,
    run_cli,
    sign_in,
    unique,
    unsigned_client,
)
from tests.support.server import HutchServer

APP = "myapp"


@dataclass(frozen=True)
class World:
    user_pool_id: str
    client_id: str
    provider: str  # cognito-idp.<region>.amazonaws.com/<userPoolId>
    bucket: str
    identity_pool_id: str
    role_arn: str
    guest_role_arn: str


def trust(pool_id: str, amr: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id},
                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr},
                },
            }
        ],
    }


def own_folder(bucket: str) -> dict[str, Any]:
    folder = f"cognito/{APP}/${{cognito-identity.amazonaws.com:sub}}"
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


def public_read(bucket: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/public/*"}
        ],
    }


def write_json(directory: Path, name: str, document: dict[str, Any]) -> str:
    (directory / name).write_text(json.dumps(document, indent=2))
    return f"file://{name}"


@pytest.fixture(scope="module")
def world(hutch: HutchServer, tmp_path_factory: pytest.TempPathFactory) -> World:
    files = tmp_path_factory.mktemp("scenario-policies")

    def cli(*args: str) -> Any:
        return run_cli(hutch, *args, cwd=files)

    # 1. A user pool and an app client (SRP, password, refresh); users created by the admin.
    user_pool_id = cli("cognito-idp", "create-user-pool", "--pool-name", unique("photos"))["UserPool"]["Id"]
    client_id = cli(
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
    for user in ("alice", "bob"):
        cli(
            "cognito-idp",
            "admin-create-user",
            "--user-pool-id",
            user_pool_id,
            "--username",
            user,
            "--message-action",
            "SUPPRESS",
        )
        cli(
            "cognito-idp",
            "admin-set-user-password",
            "--user-pool-id",
            user_pool_id,
            "--username",
            user,
            "--password",
            PASSWORD,
            "--permanent",
        )
    provider = f"cognito-idp.{hutch.region}.amazonaws.com/{user_pool_id}"

    # 2. A bucket.
    bucket = unique("photos")
    cli("s3api", "create-bucket", "--bucket", bucket)

    # 3. An identity pool linked to the user pool and its app client (guests allowed for the variants).
    identity_pool_id = cli(
        "cognito-identity",
        "create-identity-pool",
        "--identity-pool-name",
        unique("photos"),
        "--allow-unauthenticated-identities",
        "--allow-classic-flow",
        "--cognito-identity-providers",
        f"ProviderName={provider},ClientId={client_id},ServerSideTokenCheck=false",
    )["IdentityPoolId"]

    # 4. + 5. A role only this pool's authenticated identities may assume, limited to their own folder.
    role_name = unique("photos-users")
    role_arn = cli(
        "iam",
        "create-role",
        "--role-name",
        role_name,
        "--assume-role-policy-document",
        write_json(files, "trust.json", trust(identity_pool_id, "authenticated")),
    )["Role"]["Arn"]
    cli(
        "iam",
        "put-role-policy",
        "--role-name",
        role_name,
        "--policy-name",
        "own-folder",
        "--policy-document",
        write_json(files, "own-folder.json", own_folder(bucket)),
    )
    guest_name = unique("photos-guests")
    guest_role_arn = cli(
        "iam",
        "create-role",
        "--role-name",
        guest_name,
        "--assume-role-policy-document",
        write_json(files, "guest-trust.json", trust(identity_pool_id, "unauthenticated")),
    )["Role"]["Arn"]
    cli(
        "iam",
        "put-role-policy",
        "--role-name",
        guest_name,
        "--policy-name",
        "public-read",
        "--policy-document",
        write_json(files, "public-read.json", public_read(bucket)),
    )

    # 6. The pool hands out those roles.
    cli(
        "cognito-identity",
        "set-identity-pool-roles",
        "--identity-pool-id",
        identity_pool_id,
        "--roles",
        f"authenticated={role_arn},unauthenticated={guest_role_arn}",
    )
    return World(user_pool_id, client_id, provider, bucket, identity_pool_id, role_arn, guest_role_arn)


@dataclass(frozen=True)
class Session:
    identity_id: str
    user_pool_sub: str
    logins: dict[str, str]
    s3: Any


def user_session(hutch: HutchServer, world: World, username: str) -> Session:
    """User steps 1-3: sign in, GetId, GetCredentialsForIdentity, then an S3 client with those credentials."""
    from tests.integration.cognito_identity.support import UserPool

    pool = UserPool(world.user_pool_id, world.client_id, hutch.region, hutch.endpoint)
    id_token = sign_in(hutch, pool, username)["IdToken"]
    logins = {world.provider: id_token}
    identity = unsigned_client(hutch, "cognito-identity")
    identity_id = identity.get_id(IdentityPoolId=world.identity_pool_id, Logins=logins)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
    return Session(identity_id, claims_of(id_token)["sub"], logins, client_with(hutch, "s3", creds))


@pytest.fixture(scope="module")
def alice(hutch: HutchServer, world: World) -> Session:
    return user_session(hutch, world, "alice")


@pytest.fixture(scope="module")
def bob(hutch: HutchServer, world: World) -> Session:
    return user_session(hutch, world, "bob")


def denied(call: Any, **params: Any) -> None:
    with pytest.raises(ClientError) as refused:
        call(**params)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def folder(session: Session) -> str:
    return f"cognito/{APP}/{session.identity_id}"


def test_identity_ids_are_region_uuid_and_stable(hutch: HutchServer, world: World, alice: Session) -> None:
    region, _, rest = alice.identity_id.partition(":")
    assert region == hutch.region and len(rest) == 36
    assert user_session(hutch, world, "alice").identity_id == alice.identity_id


def test_alice_reads_and_writes_her_own_folder(world: World, alice: Session) -> None:
    key = f"{folder(alice)}/file.txt"
    alice.s3.put_object(Bucket=world.bucket, Key=key, Body=b"hello from alice")
    assert alice.s3.get_object(Bucket=world.bucket, Key=key)["Body"].read() == b"hello from alice"
    listed = alice.s3.list_objects_v2(Bucket=world.bucket, Prefix=f"{folder(alice)}/")
    assert [o["Key"] for o in listed["Contents"]] == [key]
    alice.s3.delete_object(Bucket=world.bucket, Key=key)


def test_alice_is_refused_in_bobs_folder(world: World, alice: Session, bob: Session) -> None:
    bob.s3.put_object(Bucket=world.bucket, Key=f"{folder(bob)}/bob.txt", Body=b"bob's")
    denied(alice.s3.get_object, Bucket=world.bucket, Key=f"{folder(bob)}/bob.txt")
    denied(alice.s3.put_object, Bucket=world.bucket, Key=f"{folder(bob)}/from-alice.txt", Body=b"x")
    denied(alice.s3.delete_object, Bucket=world.bucket, Key=f"{folder(bob)}/bob.txt")
    denied(alice.s3.list_objects_v2, Bucket=world.bucket, Prefix=f"{folder(bob)}/")


def test_alice_is_refused_at_the_bucket_root_and_in_a_whole_bucket_listing(
    world: World, alice: Session
) -> None:
    denied(alice.s3.put_object, Bucket=world.bucket, Key="file.txt", Body=b"x")
    denied(alice.s3.list_objects_v2, Bucket=world.bucket)
    denied(alice.s3.list_objects_v2, Bucket=world.bucket, Prefix=f"cognito/{APP}/")


def test_the_pitfall_the_user_pool_sub_is_not_the_identity_id(
    hutch: HutchServer, world: World, alice: Session
) -> None:
    """${cognito-identity.amazonaws.com:sub} is the identity id; writing under the user pool's sub fails,
    and `hutch explain` says so in plain words, naming the user."""
    assert alice.user_pool_sub != alice.identity_id
    with pytest.raises(ClientError) as refused:
        alice.s3.put_object(
            Bucket=world.bucket, Key=f"cognito/{APP}/{alice.user_pool_sub}/file.txt", Body=b"x"
        )
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    request_id = refused.value.response["ResponseMetadata"]["RequestId"]
    explained = subprocess.run(
        [
            sys.executable,
            "-m",
            "hutch",
            "explain",
            request_id,
            "--endpoint",
            hutch.endpoint,
            "--data-dir",
            str(hutch.data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert explained.returncode == 0, explained.stderr
    first = explained.stdout.split("\n\n")[1]  # plain words come first, after the request line
    assert first.startswith(
        f"alice's credentials may write only under {world.bucket}/cognito/{APP}/{alice.identity_id}/"
    )
    assert f"{alice.user_pool_sub} is alice's user-pool sub" in first


def test_a_forged_continuation_token_cannot_list_outside_her_folder(world: World, alice: Session) -> None:
    """Security review: the token's start key once escaped the prefix the listing was authorized for."""
    import base64

    forged = base64.urlsafe_b64encode(b"\x00").decode()
    with pytest.raises(ClientError) as refused:
        alice.s3.list_objects_v2(Bucket=world.bucket, Prefix=f"{folder(alice)}/", ContinuationToken=forged)
    assert refused.value.response["Error"]["Code"] == "InvalidArgument"


def test_bobs_identity_id_with_alices_token_gets_nothing(
    hutch: HutchServer, alice: Session, bob: Session
) -> None:
    identity = unsigned_client(hutch, "cognito-identity")
    with pytest.raises(identity.exceptions.NotAuthorizedException):
        identity.get_credentials_for_identity(IdentityId=bob.identity_id, Logins=alice.logins)


def _reforged(token: str, how: str, hutch: HutchServer) -> str:
    header = jwt.get_unverified_header(token)
    if how == "forged":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return jwt.encode(claims_of(token), key, algorithm="RS256", headers={"kid": header["kid"]})
    if how == "alg-none":
        return jwt.encode(claims_of(token), None, algorithm="none", headers={"kid": header["kid"]})
    assert how == "expired"
    return mint_with_pool_key(hutch, token, exp=claims_of(token)["iat"] - 1)


@pytest.mark.parametrize("how", ["forged", "alg-none", "expired"])
def test_forged_unsigned_and_expired_tokens_get_nothing(
    hutch: HutchServer, world: World, alice: Session, how: str
) -> None:
    identity = unsigned_client(hutch, "cognito-identity")
    bad = {world.provider: _reforged(alice.logins[world.provider], how, hutch)}
    with pytest.raises(identity.exceptions.NotAuthorizedException):
        identity.get_id(IdentityPoolId=world.identity_pool_id, Logins=bad)
    with pytest.raises(identity.exceptions.NotAuthorizedException):
        identity.get_credentials_for_identity(IdentityId=alice.identity_id, Logins=bad)


def test_a_token_of_another_user_pool_gets_nothing(hutch: HutchServer, world: World, alice: Session) -> None:
    from tests.integration.cognito_identity.support import make_user_pool

    root_idp = boto3.client(
        "cognito-idp", region_name=hutch.region, endpoint_url=hutch.endpoint, **hutch.root_credentials()
    )
    other = make_user_pool(root_idp, hutch, "alice")
    other_token = sign_in(hutch, other, "alice")["IdToken"]
    identity = unsigned_client(hutch, "cognito-identity")
    for key in (world.provider, other.provider_name):
        with pytest.raises(identity.exceptions.NotAuthorizedException):
            identity.get_id(IdentityPoolId=world.identity_pool_id, Logins={key: other_token})


def test_a_trust_policy_naming_another_pool_gets_nothing(
    hutch: HutchServer, world: World, tmp_path: Path
) -> None:
    other_pool = run_cli(
        hutch,
        "cognito-identity",
        "create-identity-pool",
        "--identity-pool-name",
        unique("other"),
        "--no-allow-unauthenticated-identities",
        "--cognito-identity-providers",
        f"ProviderName={world.provider},ClientId={world.client_id}",
    )["IdentityPoolId"]
    # The scenario's role trusts only the scenario's pool; handing it to another pool does not help that pool.
    run_cli(
        hutch,
        "cognito-identity",
        "set-identity-pool-roles",
        "--identity-pool-id",
        other_pool,
        "--roles",
        f"authenticated={world.role_arn}",
    )
    from tests.integration.cognito_identity.support import UserPool

    token = sign_in(
        hutch, UserPool(world.user_pool_id, world.client_id, hutch.region, hutch.endpoint), "alice"
    )
    logins = {world.provider: token["IdToken"]}
    identity = unsigned_client(hutch, "cognito-identity")
    identity_id = identity.get_id(IdentityPoolId=other_pool, Logins=logins)["IdentityId"]
    with pytest.raises(identity.exceptions.InvalidIdentityPoolConfigurationException):
        identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)


def test_guests_read_public_files_only_and_only_while_allowed(
    hutch: HutchServer, world: World, alice: Session
) -> None:
    root_s3 = boto3.client(
        "s3", region_name=hutch.region, endpoint_url=hutch.endpoint, **hutch.root_credentials()
    )
    root_s3.put_object(Bucket=world.bucket, Key="public/welcome.txt", Body=b"welcome")
    identity = unsigned_client(hutch, "cognito-identity")
    guest_id = identity.get_id(IdentityPoolId=world.identity_pool_id)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=guest_id)["Credentials"]
    guest_s3 = client_with(hutch, "s3", creds)
    assert guest_s3.get_object(Bucket=world.bucket, Key="public/welcome.txt")["Body"].read() == b"welcome"
    denied(guest_s3.put_object, Bucket=world.bucket, Key=f"cognito/{APP}/{guest_id}/x.txt", Body=b"x")
    denied(guest_s3.get_object, Bucket=world.bucket, Key=f"{folder(alice)}/file.txt")

    pool = run_cli(
        hutch, "cognito-identity", "describe-identity-pool", "--identity-pool-id", world.identity_pool_id
    )
    run_cli(
        hutch,
        "cognito-identity",
        "update-identity-pool",
        "--identity-pool-id",
        world.identity_pool_id,
        "--identity-pool-name",
        pool["IdentityPoolName"],
        "--no-allow-unauthenticated-identities",
        "--allow-classic-flow",
        "--cognito-identity-providers",
        f"ProviderName={world.provider},ClientId={world.client_id},ServerSideTokenCheck=false",
    )
    try:
        with pytest.raises(identity.exceptions.NotAuthorizedException):
            identity.get_id(IdentityPoolId=world.identity_pool_id)
        with pytest.raises(identity.exceptions.NotAuthorizedException):
            identity.get_credentials_for_identity(IdentityId=guest_id)
    finally:
        run_cli(
            hutch,
            "cognito-identity",
            "update-identity-pool",
            "--identity-pool-id",
            world.identity_pool_id,
            "--identity-pool-name",
            pool["IdentityPoolName"],
            "--allow-unauthenticated-identities",
            "--allow-classic-flow",
            "--cognito-identity-providers",
            f"ProviderName={world.provider},ClientId={world.client_id},ServerSideTokenCheck=false",
        )


def test_basic_flow_end_to_end(hutch: HutchServer, world: World, alice: Session) -> None:
    """GetId → GetOpenIdToken → STS AssumeRoleWithWebIdentity(RoleArn, token) → S3 in alice's folder."""
    identity = unsigned_client(hutch, "cognito-identity")
    token = identity.get_open_id_token(IdentityId=alice.identity_id, Logins=alice.logins)["Token"]
    sts = unsigned_client(hutch, "sts")
    creds = sts.assume_role_with_web_identity(
        RoleArn=world.role_arn, RoleSessionName="alice-basic", WebIdentityToken=token
    )["Credentials"]
    s3 = client_with(hutch, "s3", creds)
    key = f"{folder(alice)}/basic.txt"
    s3.put_object(Bucket=world.bucket, Key=key, Body=b"basic flow")
    assert s3.get_object(Bucket=world.bucket, Key=key)["Body"].read() == b"basic flow"
    denied(
        s3.put_object, Bucket=world.bucket, Key=f"cognito/{APP}/{alice.user_pool_sub}/basic.txt", Body=b"x"
    )


def test_srp_sign_in_with_pycognito_works_with_the_identity_pool(hutch: HutchServer, world: World) -> None:
    from pycognito import Cognito

    user = Cognito(
        world.user_pool_id,
        world.client_id,
        username="bob",
        boto3_client_kwargs={"endpoint_url": hutch.endpoint, "region_name": hutch.region},
    )
    user.authenticate(password=PASSWORD)
    identity = unsigned_client(hutch, "cognito-identity")
    logins = {world.provider: user.id_token}
    identity_id = identity.get_id(IdentityPoolId=world.identity_pool_id, Logins=logins)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
    s3 = client_with(hutch, "s3", creds)
    s3.put_object(Bucket=world.bucket, Key=f"cognito/{APP}/{identity_id}/srp.txt", Body=b"srp")
