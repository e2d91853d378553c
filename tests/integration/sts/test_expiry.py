"""An expired session answers ExpiredToken, on a live server.

STS will not issue a session shorter than 900 seconds, and a test must not wait that long, so time is moved
the honest way: the session is issued for real, the server is stopped, the session's stored expiry is moved
into the past in the server's database, and the server is started again on the same data directory. The
request then goes through the real path -- key lookup, SigV4 verification with the session's secret, token
check, expiry check -- with no test hook in hutch.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from tests.integration.iam.support import client, doc, from_sts, unique
from tests.support.server import HutchServer


def test_expired_session_is_expired_token(tmp_path: Path) -> None:
    server = HutchServer(tmp_path / "data").start()
    try:
        root = server.root_credentials()
        iam = client(server, "iam", root)
        name = unique("user")
        user_arn = iam.create_user(UserName=name)["User"]["Arn"]
        key = iam.create_access_key(UserName=name)["AccessKey"]
        trust = doc({"Effect": "Allow", "Principal": {"AWS": user_arn}, "Action": "sts:AssumeRole"})
        role_arn = iam.create_role(RoleName=unique("role"), AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        user = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
        issued = client(server, "sts", user).assume_role(
            RoleArn=role_arn, RoleSessionName="short", DurationSeconds=900
        )["Credentials"]
        session = from_sts(issued)
        assert client(server, "sts", session).get_caller_identity()["Arn"].endswith("/short")
    finally:
        server.stop()

    # A minute ago: expired, but within the day hutch keeps expired sessions to answer ExpiredToken.
    a_minute_ago = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.000000")
    with sqlite3.connect(tmp_path / "data" / "hutch.db") as db:
        moved = db.execute(
            "UPDATE sts_sessions SET expires_at = ? WHERE access_key_id = ?",
            (a_minute_ago, issued["AccessKeyId"]),
        ).rowcount
    assert moved == 1

    server.start()
    try:
        with pytest.raises(ClientError) as exc:
            client(server, "sts", session).get_caller_identity()
        error = exc.value.response["Error"]
        assert (error["Code"], exc.value.response["ResponseMetadata"]["HTTPStatusCode"]) == (
            "ExpiredToken",
            403,
        )
        assert error["Message"] == "The security token included in the request is expired"
        # The user's own long-term key is unaffected.
        assert client(server, "sts", user).get_caller_identity()["Arn"] == user_arn
    finally:
        server.stop()
