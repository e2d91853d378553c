"""pycognito, unmodified: SRP sign-in, after which it verifies both tokens itself (RS256 against the pool's
JWKS, issuer, audience, token_use); then boto3 without AWS keys trades the ID token for identity-pool
credentials (GetId, GetCredentialsForIdentity), and S3 proves isolation both ways."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.exceptions import TokenVerificationException

from tests.clients.support import Scenario, client_with, keys_under, unsigned_client
from tests.support.server import HutchServer


@dataclass(frozen=True)
class Session:
    name: str
    user: Cognito
    identity_id: str
    s3: Any

    @property
    def note(self) -> str:
        return f"{self.name}.txt"


def cognito(hutch: HutchServer, scenario: Scenario, username: str) -> Cognito:
    return Cognito(
        scenario.user_pool_id,
        scenario.client_id,
        username=username,
        user_pool_region=scenario.region,
        boto3_client_kwargs={"endpoint_url": hutch.endpoint, "region_name": scenario.region},
    )


def credentials_for(hutch: HutchServer, scenario: Scenario, id_token: str) -> tuple[str, dict[str, Any]]:
    identity = unsigned_client(hutch, "cognito-identity")
    logins = {scenario.login_provider: id_token}
    identity_id: str = identity.get_id(IdentityPoolId=scenario.identity_pool_id, Logins=logins)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
    return identity_id, creds


def signed_in(hutch: HutchServer, scenario: Scenario, name: str) -> Session:
    user = cognito(hutch, scenario, name)
    user.authenticate(password=scenario.password)  # SRP, then pycognito verifies the ID and access tokens
    identity_id, creds = credentials_for(hutch, scenario, user.id_token)
    s3 = client_with(hutch, "s3", creds)
    s3.put_object(
        Bucket=scenario.bucket, Key=scenario.folder(identity_id) + f"{name}.txt", Body=name.encode()
    )
    return Session(name, user, identity_id, s3)


@pytest.fixture(scope="module")
def alice(hutch: HutchServer, scenario: Scenario) -> Session:
    return signed_in(hutch, scenario, "alice")


@pytest.fixture(scope="module")
def bob(hutch: HutchServer, scenario: Scenario) -> Session:
    return signed_in(hutch, scenario, "bob")


def error_code(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as refused:
        call(**params)
    return str(refused.value.response["Error"]["Code"])


def test_srp_sign_in_passes_pycognitos_own_token_checks(
    hutch: HutchServer, scenario: Scenario, alice: Session
) -> None:
    assert alice.user.id_claims["iss"] == f"{hutch.endpoint}/{scenario.user_pool_id}"
    assert alice.user.id_claims["aud"] == scenario.client_id
    assert alice.user.id_claims["cognito:username"] == "alice"
    assert alice.user.access_claims["client_id"] == scenario.client_id
    assert alice.user.access_claims["token_use"] == "access"


def test_pycognito_rejects_a_token_whose_claims_were_changed(alice: Session) -> None:
    """The verification pycognito runs is real: a re-encoded payload no longer matches hutch's signature."""
    header, payload, signature = alice.user.id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["cognito:username"] = "bob"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(TokenVerificationException):
        alice.user.verify_token(f"{header}.{forged_payload}.{signature}", "id_token", "id")


def test_a_wrong_password_is_refused(hutch: HutchServer, scenario: Scenario) -> None:
    user = cognito(hutch, scenario, "alice")
    with pytest.raises(ClientError) as refused:
        user.authenticate(password=scenario.password + "-wrong")
    assert refused.value.response["Error"] == {
        "Code": "NotAuthorizedException",
        "Message": "Incorrect username or password.",
    }


def test_refreshed_tokens_keep_the_same_identity(
    hutch: HutchServer, scenario: Scenario, alice: Session
) -> None:
    user = cognito(hutch, scenario, "alice")
    user.authenticate(password=scenario.password)
    first = user.id_token
    user.renew_access_token()  # REFRESH_TOKEN_AUTH; pycognito verifies the new tokens too
    assert user.id_token != first
    assert credentials_for(hutch, scenario, user.id_token)[0] == alice.identity_id


def test_own_folder_works(hutch: HutchServer, scenario: Scenario, alice: Session, bob: Session) -> None:
    for session in (alice, bob):
        folder = scenario.folder(session.identity_id)
        key = folder + session.note
        assert session.s3.get_object(Bucket=scenario.bucket, Key=key)["Body"].read() == session.name.encode()
        listed = session.s3.list_objects_v2(Bucket=scenario.bucket, Prefix=folder)
        assert [o["Key"] for o in listed["Contents"]] == [key]
        session.s3.put_object(Bucket=scenario.bucket, Key=folder + "scratch.txt", Body=b"x")
        session.s3.delete_object(Bucket=scenario.bucket, Key=folder + "scratch.txt")
        assert keys_under(hutch, scenario.bucket, folder) == {key: session.name.encode()}


@pytest.mark.parametrize("who", ["alice-into-bob", "bob-into-alice"])
def test_the_other_users_folder_is_refused(
    hutch: HutchServer, scenario: Scenario, alice: Session, bob: Session, who: str
) -> None:
    me, other = (alice, bob) if who == "alice-into-bob" else (bob, alice)
    folder = scenario.folder(other.identity_id)
    key = folder + other.note
    bucket = scenario.bucket
    assert error_code(me.s3.get_object, Bucket=bucket, Key=key) == "AccessDenied"
    assert error_code(me.s3.put_object, Bucket=bucket, Key=key, Body=b"overwritten") == "AccessDenied"
    assert error_code(me.s3.delete_object, Bucket=bucket, Key=key) == "AccessDenied"
    assert error_code(me.s3.list_objects_v2, Bucket=bucket, Prefix=folder) == "AccessDenied"
    assert keys_under(hutch, bucket, folder) == {key: other.name.encode()}


def test_the_bucket_root_is_refused(
    hutch: HutchServer, scenario: Scenario, alice: Session, bob: Session
) -> None:
    for session in (alice, bob):
        assert (
            error_code(session.s3.put_object, Bucket=scenario.bucket, Key="x.txt", Body=b"x")
            == "AccessDenied"
        )
        assert error_code(session.s3.list_objects_v2, Bucket=scenario.bucket) == "AccessDenied"
    assert keys_under(hutch, scenario.bucket, "x.txt") == {}


def test_the_user_pool_sub_is_not_the_folder_name(scenario: Scenario, alice: Session) -> None:
    user_pool_sub = alice.user.id_claims["sub"]
    assert user_pool_sub not in alice.identity_id
    key = scenario.folder(user_pool_sub) + "file.txt"
    assert error_code(alice.s3.put_object, Bucket=scenario.bucket, Key=key, Body=b"x") == "AccessDenied"
