"""Each failure kind becomes the error AWS gives that service's clients: code, status, wording."""

from __future__ import annotations

import pytest

from hutch.auth.failures import AuthFailure, AuthFailureKind, error_for

K = AuthFailureKind
SERVICES = ["s3", "iam", "sts", "cognito-idp", "cognito-identity"]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("kind", list(AuthFailureKind))
def test_every_kind_has_an_answer_for_every_service(kind: AuthFailureKind, service: str) -> None:
    error = error_for(kind, service, "detail")
    assert error.code
    assert error.status in (400, 403)
    assert error.message


@pytest.mark.parametrize(
    ("kind", "service", "code", "status"),
    [
        (K.UNKNOWN_KEY, "s3", "InvalidAccessKeyId", 403),
        (K.UNKNOWN_KEY, "sts", "InvalidClientTokenId", 403),
        (K.UNKNOWN_KEY, "iam", "InvalidClientTokenId", 403),
        (K.UNKNOWN_KEY, "cognito-idp", "UnrecognizedClientException", 400),
        (K.SIGNATURE_MISMATCH, "s3", "SignatureDoesNotMatch", 403),
        (K.SIGNATURE_MISMATCH, "sts", "SignatureDoesNotMatch", 403),
        (K.SIGNATURE_MISMATCH, "cognito-identity", "InvalidSignatureException", 400),
        (K.SKEW, "s3", "RequestTimeTooSkewed", 403),
        (K.SKEW, "sts", "SignatureDoesNotMatch", 403),
        (K.SKEW, "cognito-idp", "InvalidSignatureException", 400),
        (K.MISSING, "s3", "AccessDenied", 403),
        (K.MISSING, "iam", "MissingAuthenticationToken", 403),
        (K.MISSING, "cognito-identity", "MissingAuthenticationTokenException", 400),
        (K.MALFORMED, "s3", "AuthorizationHeaderMalformed", 400),
        (K.MALFORMED, "sts", "IncompleteSignature", 400),
        (K.MALFORMED, "cognito-idp", "IncompleteSignatureException", 400),
        (K.PRESIGN_EXPIRED, "s3", "AccessDenied", 403),
        (K.PRESIGN_TOO_LONG, "s3", "AuthorizationQueryParametersError", 400),
        (K.PAYLOAD_HASH_MISMATCH, "s3", "XAmzContentSHA256Mismatch", 400),
        (K.CHECKSUM_MISMATCH, "s3", "BadDigest", 400),
        (K.CHECKSUM_INVALID, "s3", "InvalidRequest", 400),
        (K.CHUNK_MALFORMED, "s3", "IncompleteBody", 400),
        (K.CHUNK_TOO_SMALL, "s3", "InvalidChunkSizeError", 400),
        (K.UNSUPPORTED, "s3", "InvalidRequest", 400),
        (K.HEADERS_NOT_SIGNED, "s3", "AccessDenied", 403),
        (K.TOKEN_EXPIRED, "s3", "ExpiredToken", 400),
        (K.TOKEN_EXPIRED, "sts", "ExpiredToken", 403),
        (K.TOKEN_EXPIRED, "cognito-idp", "ExpiredTokenException", 400),
        (K.TOKEN_INVALID, "s3", "InvalidToken", 400),
        (K.TOKEN_INVALID, "sts", "InvalidClientTokenId", 403),
    ],
)
def test_codes_and_statuses(kind: AuthFailureKind, service: str, code: str, status: int) -> None:
    error = error_for(kind, service, "detail")
    assert (error.code, error.status) == (code, status)


def test_fixed_aws_wordings() -> None:
    assert error_for(K.SIGNATURE_MISMATCH, "s3", "").message == (
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method."
    )
    assert error_for(K.UNKNOWN_KEY, "s3", "").message == (
        "The AWS Access Key Id you provided does not exist in our records."
    )
    assert (
        error_for(K.UNKNOWN_KEY, "sts", "").message
        == "The security token included in the request is invalid."
    )
    assert error_for(K.PRESIGN_EXPIRED, "s3", "Signature expired: ...").message == "Request has expired"
    assert error_for(K.MISSING, "sts", "").message == "Request is missing Authentication Token"


def test_detail_passes_through_where_aws_words_it_per_request() -> None:
    skew = "Signature expired: 20261126T100000Z is now earlier than 20261126T101500Z (20261126T103000Z - 15 min.)"
    assert error_for(K.SKEW, "sts", skew).message == skew
    assert error_for(
        K.CHECKSUM_MISMATCH, "s3", "The CRC32 you specified did not match the calculated checksum."
    ).message == ("The CRC32 you specified did not match the calculated checksum.")


def test_s3_malformed_header_and_query_differ() -> None:
    header = error_for(K.MALFORMED, "s3", "the Credential is mal-formed")
    assert header.message == "The authorization header is malformed; the Credential is mal-formed"
    query = error_for(K.MALFORMED, "s3", "X-Amz-Expires should be a number", presigned=True)
    assert (query.code, query.message) == (
        "AuthorizationQueryParametersError",
        "X-Amz-Expires should be a number",
    )


def test_s3_errors_carry_aws_fields_and_others_do_not() -> None:
    failure = AuthFailure(
        K.SIGNATURE_MISMATCH, fields={"StringToSign": "AWS4-HMAC-SHA256\n...", "AWSAccessKeyId": "AK"}
    )
    assert failure.to_error("s3").fields == {"StringToSign": "AWS4-HMAC-SHA256\n...", "AWSAccessKeyId": "AK"}
    assert failure.to_error("sts").fields == {}


def test_to_error_keeps_presigned() -> None:
    failure = AuthFailure(K.MALFORMED, "bad", presigned=True)
    assert failure.to_error("s3").code == "AuthorizationQueryParametersError"


def test_credential_layer_constructors() -> None:
    unknown = AuthFailure.unknown_key("AKIAUNKNOWN")
    assert unknown.kind is K.UNKNOWN_KEY
    error = unknown.to_error("s3")
    assert (error.code, error.fields) == ("InvalidAccessKeyId", {"AWSAccessKeyId": "AKIAUNKNOWN"})
    assert AuthFailure.missing().to_error("sts").code == "MissingAuthenticationToken"
    assert AuthFailure.token_missing().to_error("sts").code == "InvalidClientTokenId"
    assert AuthFailure.token_invalid().to_error("s3").code == "InvalidToken"
    assert AuthFailure.token_expired().to_error("cognito-idp").code == "ExpiredTokenException"


@pytest.mark.parametrize(
    ("presigned", "code", "prefix"),
    [
        (False, "AuthorizationHeaderMalformed", "The authorization header is malformed; "),
        (True, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter; "),
    ],
)
def test_s3_wrong_region_names_the_expected_region(presigned: bool, code: str, prefix: str) -> None:
    error = AuthFailure.wrong_region("us-west-2", "eu-west-1", presigned=presigned).to_error("s3")
    assert (error.code, error.status) == (code, 400)
    assert error.message == prefix + "the region 'us-west-2' is wrong; expecting 'eu-west-1'"
    # boto3 reads <Region> to re-sign for the right region; nothing else is added to the document.
    assert error.fields == {"Region": "eu-west-1"}


@pytest.mark.parametrize(
    ("service", "code", "status"),
    [
        ("sts", "SignatureDoesNotMatch", 403),
        ("iam", "SignatureDoesNotMatch", 403),
        ("cognito-idp", "InvalidSignatureException", 400),
        ("cognito-identity", "InvalidSignatureException", 400),
    ],
)
def test_other_services_say_the_credential_should_be_scoped_to_a_valid_region(
    service: str, code: str, status: int
) -> None:
    error = AuthFailure.wrong_region("us-west-2", "eu-west-1").to_error(service)
    assert (error.code, error.status) == (code, status)
    assert error.message == "Credential should be scoped to a valid region, not 'us-west-2'. "
    assert error.fields == {}
