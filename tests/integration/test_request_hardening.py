"""Requests a security review found mishandled, end to end against a live server: lone surrogates, huge
rejected values, repeated presigned parameters, and credentials scoped to a region hutch does not serve."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support.server import HutchServer

ONE_TRY = Config(retries={"max_attempts": 1})


def _cognito(server: HutchServer, target: str, body: bytes) -> httpx.Response:
    return httpx.post(
        server.endpoint + "/",
        content=body,
        headers={
            "x-amz-target": f"AWSCognitoIdentityProviderService.{target}",
            "content-type": "application/x-amz-json-1.1",
        },
    )


def test_a_lone_surrogate_is_a_serialization_exception_not_an_internal_error(hutch: HutchServer) -> None:
    body = b'{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c","AuthParameters":{"USERNAME":"\\ud800"}}'

    answer = _cognito(hutch, "InitiateAuth", body)

    assert answer.status_code == 400
    assert answer.json()["__type"] == "SerializationException"


def test_a_huge_rejected_map_is_neither_echoed_nor_leaks_its_tokens(hutch: HutchServer) -> None:
    logins = {f"provider{i}.example": f"secret-token-{i}-" + "t" * 40_000 for i in range(11)}
    body = json.dumps({"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000", "Logins": logins})

    answer = httpx.post(
        hutch.endpoint + "/",
        content=body.encode(),
        headers={
            "x-amz-target": "AWSCognitoIdentityService.GetId",
            "content-type": "application/x-amz-json-1.1",
        },
    )

    assert answer.status_code == 400
    assert answer.json()["__type"] == "ValidationException"
    assert len(answer.content) < 4096
    assert b"secret-token" not in answer.content


def test_a_second_signature_on_a_presigned_url_is_refused(client_factory: Any, hutch: HutchServer) -> None:
    s3 = client_factory("s3", config=Config(signature_version="s3v4", retries={"max_attempts": 1}))
    s3.create_bucket(Bucket="presign-dup")
    s3.put_object(Bucket="presign-dup", Key="k", Body=b"data")
    try:
        url = s3.generate_presigned_url("get_object", Params={"Bucket": "presign-dup", "Key": "k"})
        assert httpx.get(url).status_code == 200

        answer = httpx.get(url + "&X-Amz-Signature=" + "0" * 64)

        assert answer.status_code == 400
        assert "<Code>AuthorizationQueryParametersError</Code>" in answer.text
    finally:
        s3.delete_object(Bucket="presign-dup", Key="k")
        s3.delete_bucket(Bucket="presign-dup")


# --- credential-scope region ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def eu_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HutchServer]:
    server = HutchServer(tmp_path_factory.mktemp("eu"), region="eu-west-1").start()
    yield server
    server.stop()


def _client(server: HutchServer, service: str, region: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=server.endpoint,
        region_name=region,
        config=ONE_TRY,
        **server.root_credentials(),
    )


@pytest.mark.parametrize(
    ("service", "call", "code"),
    [
        ("sts", lambda c: c.get_caller_identity(), "SignatureDoesNotMatch"),
        ("iam", lambda c: c.list_users(), "SignatureDoesNotMatch"),
        ("cognito-idp", lambda c: c.list_user_pools(MaxResults=1), "InvalidSignatureException"),
        ("cognito-identity", lambda c: c.list_identity_pools(MaxResults=1), "InvalidSignatureException"),
    ],
)
def test_a_credential_scoped_to_another_region_is_refused(
    eu_server: HutchServer, service: str, call: Any, code: str
) -> None:
    with pytest.raises(ClientError) as caught:
        call(_client(eu_server, service, "us-west-2"))
    error = caught.value.response["Error"]
    assert error["Code"] == code
    assert error["Message"].startswith("Credential should be scoped to a valid region, not 'us-west-2'.")
    call(_client(eu_server, service, "eu-west-1"))


def test_iam_is_global_and_also_accepts_us_east_1(eu_server: HutchServer) -> None:
    assert _client(eu_server, "iam", "us-east-1").list_users()["Users"] == []


def test_s3_names_the_expected_region_and_boto3_follows_it(eu_server: HutchServer) -> None:
    s3 = _client(eu_server, "s3", "eu-west-1")
    s3.create_bucket(Bucket="regional", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    wrong = _client(eu_server, "s3", "us-west-2")
    # boto3 reads <Region> from AuthorizationHeaderMalformed and re-signs for it.
    assert wrong.list_objects_v2(Bucket="regional")["KeyCount"] == 0
    presigner = boto3.client(
        "s3",
        endpoint_url=eu_server.endpoint,
        region_name="us-west-2",
        config=Config(signature_version="s3v4"),
        **eu_server.root_credentials(),
    )

    raw = httpx.get(presigner.generate_presigned_url("list_objects_v2", Params={"Bucket": "regional"}))

    assert raw.status_code == 400
    assert "<Code>AuthorizationQueryParametersError</Code>" in raw.text
    assert "the region 'us-west-2' is wrong; expecting 'eu-west-1'" in raw.text
    assert "<Region>eu-west-1</Region>" in raw.text
