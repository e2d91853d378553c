"""Signed upload forms: botocore's own presigned POSTs (both versions) verify; anything else is refused in
S3's terms."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config

from hutch.auth.credentials import Credential
from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.auth.principal import Principal, RoleSession, root
from hutch.auth.signing import CredentialScope
from hutch.errors import ServiceError
from hutch.services.s3.post_signature import SignedForm, expected_signature, signed_form, verify

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NOW = datetime.now(UTC)


def presigned_fields(signature_version: str | None, token: str | None = None) -> dict[str, str]:
    """The form fields boto3's generate_presigned_post gives an app, keyed by lower-cased name."""
    config = Config(signature_version=signature_version) if signature_version else Config()
    client = boto3.client(
        "s3",
        region_name="eu-west-1",
        endpoint_url="http://127.0.0.1:4577",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        aws_session_token=token,
        config=config,
    )
    post = client.generate_presigned_post("photos", "u/${filename}")
    return {name.lower(): value for name, value in post["fields"].items()}


def credential(token: str | None = None, expires_at: datetime | None = None) -> Credential:
    if token is None:
        return Credential(KEY_ID, SECRET, root("123456789012", KEY_ID))
    session = RoleSession(
        "arn:aws:iam::123456789012:role/r", "AROA1", "r", "s", NOW, NOW + timedelta(hours=1)
    )
    principal = Principal(
        "assumed-role", "arn:aws:sts::123456789012:assumed-role/r/s", "123456789012", "AROA1:s"
    )
    principal = Principal(
        principal.kind, principal.arn, principal.account, principal.user_id, "r", KEY_ID, session
    )
    return Credential(KEY_ID, SECRET, principal, token, expires_at or NOW + timedelta(hours=1))


def failure(form: SignedForm, cred: Credential, now: datetime = NOW) -> AuthFailure:
    with pytest.raises(AuthFailure) as caught:
        verify(form, cred, now)
    return caught.value


def argument_error(fields: dict[str, str]) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        signed_form(fields)
    assert (caught.value.code, caught.value.status) == ("InvalidArgument", 400)
    return caught.value


@pytest.mark.parametrize(("version", "expected"), [(None, 2), ("s3v4", 4)])
def test_botocores_presigned_posts_verify(version: str | None, expected: int) -> None:
    """boto3 1.44 signs presigned POSTs with SigV2 unless the client asks for s3v4."""
    form = signed_form(presigned_fields(version))
    assert form is not None and form.version == expected
    assert verify(form, credential(), NOW).arn == "arn:aws:iam::123456789012:root"
    if expected == 4:
        assert form.scope == CredentialScope(NOW.strftime("%Y%m%d"), "eu-west-1", "s3")
        assert form.signature_version == "AWS4-HMAC-SHA256"
    else:
        assert form.signature_version == "AWS"


def test_the_signature_of_awss_documented_example_is_reproduced() -> None:
    """AWS's "Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)"."""
    policy = (
        "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJ"
        "zaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJ"
        "wdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF"
        "6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2U"
        "vIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHR"
        "pb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWR"
        "lbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXo"
        "tYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9"
    )
    form = SignedForm(4, KEY_ID, policy, "", None, CredentialScope("20151229", "us-east-1", "s3"))
    assert (
        expected_signature(form, SECRET) == "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"
    )


@pytest.mark.parametrize("version", [None, "s3v4"])
def test_a_tampered_policy_does_not_match_and_the_error_shows_what_was_signed(version: str | None) -> None:
    fields = presigned_fields(version)
    document = base64.b64decode(fields["policy"]).replace(b'"u/"', b'""')  # any key, not just u/...
    assert document != base64.b64decode(fields["policy"])
    fields["policy"] = base64.b64encode(document).decode()
    form = signed_form(fields)
    assert form is not None
    error = failure(form, credential()).to_error("s3")
    assert (error.code, error.status) == ("SignatureDoesNotMatch", 403)
    assert error.fields["StringToSign"] == fields["policy"]
    assert error.fields["SignatureProvided"] == form.signature
    assert error.fields["AWSAccessKeyId"] == KEY_ID
    assert bytes.fromhex(error.fields["StringToSignBytes"].replace(" ", "")) == fields["policy"].encode()


def test_another_secret_does_not_match() -> None:
    form = signed_form(presigned_fields("s3v4"))
    assert form is not None
    other = Credential(KEY_ID, "another-secret", root("123456789012", KEY_ID))
    assert failure(form, other).kind is AuthFailureKind.SIGNATURE_MISMATCH


@pytest.mark.parametrize("version", [None, "s3v4"])
def test_temporary_credentials_need_their_token_and_expire(version: str | None) -> None:
    with_token = signed_form(presigned_fields(version, token="the-token"))
    assert with_token is not None and with_token.security_token == "the-token"
    assert verify(with_token, credential("the-token"), NOW).kind == "assumed-role"
    without = signed_form(presigned_fields(version))
    assert without is not None
    assert failure(without, credential("the-token")).to_error("s3").code == "InvalidAccessKeyId"
    assert failure(with_token, credential("another-token")).to_error("s3").code == "InvalidToken"
    expired = credential("the-token", expires_at=NOW - timedelta(seconds=1))
    error = failure(with_token, expired).to_error("s3")
    assert (error.code, error.message) == ("ExpiredToken", "The provided token has expired.")


def test_a_form_without_signature_fields_is_anonymous() -> None:
    assert signed_form({"key": "k"}) is None
    assert signed_form({"key": "k", "policy": "eyJ9"}) is None


@pytest.mark.parametrize(
    ("dropped", "named"),
    [
        (("x-amz-signature",), "X-Amz-Signature"),
        (("x-amz-algorithm", "x-amz-credential"), "X-Amz-Algorithm"),
        (("x-amz-date",), "X-Amz-Date"),
        (("policy",), "Policy"),
    ],
)
def test_an_incomplete_sigv4_form_names_the_first_missing_field(dropped: tuple[str, ...], named: str) -> None:
    fields = {k: v for k, v in presigned_fields("s3v4").items() if k not in dropped}
    error = argument_error(fields)
    assert error.message == (
        f"Bucket POST must contain a field named '{named}'.  If it is specified, please check the order of the fields."
    )
    assert error.fields == {"ArgumentName": named, "ArgumentValue": ""}


@pytest.mark.parametrize(
    ("dropped", "named"), [("awsaccesskeyid", "AWSAccessKeyId"), ("signature", "Signature")]
)
def test_an_incomplete_sigv2_form_names_the_missing_field(dropped: str, named: str) -> None:
    fields = {k: v for k, v in presigned_fields(None).items() if k != dropped}
    assert argument_error(fields).fields["ArgumentName"] == named


@pytest.mark.parametrize(
    ("credential_value", "message"),
    [
        ("AKID/20261126/us-east-1/s3", "the Credential is mal-formed"),
        ("/20261126/us-east-1/s3/aws4_request", "a non-empty Access Key (AKID) must be provided"),
        ("AKID/2026-11-26/us-east-1/s3/aws4_request", 'incorrect date format "2026-11-26"'),
        ("AKID/20261126/us-east-1/iam/aws4_request", 'incorrect service "iam"'),
        ("AKID/20261126/us-east-1/s3/aws5_request", 'incorrect terminal "aws5_request"'),
    ],
)
def test_a_malformed_credential_is_an_invalid_argument(credential_value: str, message: str) -> None:
    fields = presigned_fields("s3v4") | {"x-amz-credential": credential_value}
    error = argument_error(fields)
    assert message in error.message
    assert error.fields == {"ArgumentName": "X-Amz-Credential", "ArgumentValue": credential_value}


def test_the_algorithm_and_date_must_be_sigv4s() -> None:
    fields = presigned_fields("s3v4")
    assert argument_error(fields | {"x-amz-algorithm": "AWS4-ECDSA-P256-SHA256"}).fields["ArgumentName"] == (
        "X-Amz-Algorithm"
    )
    error = argument_error(fields | {"x-amz-date": "2026-11-26T12:00:00Z"})
    assert error.message == "X-Amz-Date must be formated via ISO8601 Long format"
    assert error.fields["ArgumentValue"] == "2026-11-26T12:00:00Z"


def test_field_values_are_passed_through_untouched() -> None:
    fields: dict[str, Any] = presigned_fields(None)
    form = signed_form(fields)
    assert form is not None
    assert (form.access_key_id, form.policy, form.signature) == (
        KEY_ID,
        fields["policy"],
        fields["signature"],
    )
