"""amazon-cognito-identity-js, unmodified, in Node (node/cognito-identity-js.mjs): SRP sign-in, token refresh
and a wrong password refused; the (refreshed) ID token then buys identity-pool credentials, and each user's
own folder works while the other's folder and the bucket root are refused, both ways."""

from __future__ import annotations

from typing import Any

import pytest

from tests.clients.support import Scenario, keys_under, run_node, verified_claims
from tests.support.server import HutchServer

pytestmark = pytest.mark.node

PACKAGES = ("amazon-cognito-identity-js", "@aws-sdk/credential-providers", "@aws-sdk/client-s3")
REFUSED = {"get": "AccessDenied", "put": "AccessDenied", "delete": "AccessDenied", "list": "AccessDenied"}


@pytest.fixture(scope="module")
def report(hutch: HutchServer, scenario: Scenario) -> dict[str, Any]:
    out = run_node("cognito-identity-js.mjs", hutch, scenario.env(), *PACKAGES)
    assert sorted(out) == sorted(scenario.users)
    return out


def test_a_wrong_password_is_refused_like_aws(report: dict[str, Any]) -> None:
    for user in report.values():
        assert user["wrongPassword"] == {
            "code": "NotAuthorizedException",
            "message": "Incorrect username or password.",
        }


def test_srp_sign_in_yields_genuine_tokens_for_that_user(scenario: Scenario, report: dict[str, Any]) -> None:
    for username, user in report.items():
        id_claims = verified_claims(scenario, user["tokens"]["id"])
        access_claims = verified_claims(scenario, user["tokens"]["access"])
        assert id_claims["token_use"] == "id" and id_claims["cognito:username"] == username
        assert access_claims["token_use"] == "access" and access_claims["client_id"] == scenario.client_id
        assert access_claims["username"] == username and access_claims["sub"] == id_claims["sub"]


def test_refresh_issues_new_tokens_for_the_same_user(scenario: Scenario, report: dict[str, Any]) -> None:
    for user in report.values():
        first = verified_claims(scenario, user["tokens"]["id"])
        refreshed = verified_claims(scenario, user["tokens"]["refreshedId"])
        access = verified_claims(scenario, user["tokens"]["refreshedAccess"])
        assert refreshed["jti"] != first["jti"] and access["jti"] != first["jti"]
        assert refreshed["sub"] == first["sub"] == access["sub"]
        assert refreshed["origin_jti"] == first["origin_jti"]  # same sign-in session


def test_own_folder_works(hutch: HutchServer, scenario: Scenario, report: dict[str, Any]) -> None:
    for username, user in report.items():
        folder = scenario.folder(user["identityId"])
        assert user["own"]["body"] == f"written by {username}"
        assert user["own"]["listed"] == [f"{folder}note.txt"]
        assert keys_under(hutch, scenario.bucket, folder) == {
            f"{folder}note.txt": f"written by {username}".encode()
        }


def test_the_other_users_folder_and_the_bucket_root_are_refused_both_ways(
    hutch: HutchServer, scenario: Scenario, report: dict[str, Any]
) -> None:
    (first, a), (second, b) = report.items()
    assert a["othersFolders"] == {second: REFUSED}
    assert b["othersFolders"] == {first: REFUSED}
    for user in (a, b):
        assert user["bucketRoot"] == {"put": "AccessDenied", "list": "AccessDenied"}
    assert keys_under(hutch, scenario.bucket, "note.txt") == {}
