"""AWS SDK for JavaScript v3, unmodified, in Node (node/sdk-v3.mjs): SignUp, AdminConfirmSignUp, InitiateAuth
USER_PASSWORD_AUTH, fromCognitoIdentityPool with Logins, and client-s3 with its default CRC32 checksums plus
lib-storage's multipart Upload. Each user's own folder works; the other's folder and the bucket root are refused,
both ways, and what the refusals would have changed is checked with root keys afterwards."""

from __future__ import annotations

import base64
import zlib
from typing import Any

import pytest

from tests.clients.support import Scenario, keys_under, run_node, unique
from tests.support.server import HutchServer

pytestmark = pytest.mark.node

PACKAGES = (
    "@aws-sdk/client-cognito-identity-provider",
    "@aws-sdk/credential-providers",
    "@aws-sdk/client-s3",
    "@aws-sdk/lib-storage",
)
REFUSED = {"get": "AccessDenied", "put": "AccessDenied", "delete": "AccessDenied", "list": "AccessDenied"}


def crc32_header(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


@pytest.fixture(scope="module")
def report(hutch: HutchServer, scenario: Scenario) -> dict[str, Any]:
    root = hutch.root_credentials()
    users = (unique("carol"), unique("dave"))
    env = {
        **scenario.env(),
        "USERS": ",".join(users),
        "ADMIN_KEY": root["aws_access_key_id"],
        "ADMIN_SECRET": root["aws_secret_access_key"],
    }
    out = run_node("sdk-v3.mjs", hutch, env, *PACKAGES)
    assert sorted(out) == sorted(users)
    return out


def test_each_user_gets_their_own_stable_identity(hutch: HutchServer, report: dict[str, Any]) -> None:
    ids = [user["identityId"] for user in report.values()]
    assert len(set(ids)) == len(ids)
    for user in report.values():
        assert user["identityId"].startswith(f"{hutch.region}:")
        assert user["identityId"] != f"{hutch.region}:{user['userSub']}"


def test_own_folder_put_get_list_and_multipart(
    hutch: HutchServer, scenario: Scenario, report: dict[str, Any]
) -> None:
    for username, user in report.items():
        folder = scenario.folder(user["identityId"])
        text = f"written by {username}".encode()
        own = user["own"]
        assert own["putChecksumCRC32"] == crc32_header(text)  # the SDK's default checksum, verified and kept
        assert own["body"] == text.decode()
        assert own["listed"] == [f"{folder}note.txt"]
        assert own["multipartETag"].endswith('-2"')
        # The note survived the other user's attempts; the multipart upload was deleted by its owner.
        assert keys_under(hutch, scenario.bucket, folder) == {f"{folder}note.txt": text}


def test_the_other_users_folder_is_refused_both_ways(report: dict[str, Any]) -> None:
    (first, a), (second, b) = report.items()
    assert a["othersFolders"] == {second: REFUSED}
    assert b["othersFolders"] == {first: REFUSED}


def test_the_bucket_root_is_refused(hutch: HutchServer, scenario: Scenario, report: dict[str, Any]) -> None:
    for user in report.values():
        assert user["bucketRoot"] == {"put": "AccessDenied", "list": "AccessDenied"}
    assert "note.txt" not in keys_under(hutch, scenario.bucket, "note.txt")
