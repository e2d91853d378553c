"""Why a request failed authentication, independent of the service it was sent to.

SigV4, aws-chunked decoding and checksum checks raise AuthFailure with a kind; the pipeline turns it into the
error each service's clients expect (``error_for``): S3 answers ``SignatureDoesNotMatch`` in an ``<Error>``
document, STS and IAM answer ``InvalidClientTokenId`` in an ``<ErrorResponse>``, the Cognito services answer
``UnrecognizedClientException`` in JSON, and so on. Codes, statuses and wordings are AWS's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from hutch.errors import ServiceError


class AuthFailureKind(Enum):
    MISSING = "missing"  # no authentication at all where it is required
    MALFORMED = "malformed"  # garbled Authorization header / X-Amz-* query parameters
    DATE_INVALID = "date-invalid"  # no usable X-Amz-Date or Date
    UNSUPPORTED = "unsupported"  # SigV2, SigV4a, an unknown scheme
    UNKNOWN_KEY = "unknown-key"
    WRONG_REGION = "wrong-region"  # the credential scope names a region this endpoint does not serve
    SIGNATURE_MISMATCH = "signature-mismatch"
    SKEW = "skew"  # header-signed request more than 15 minutes off the server clock
    PRESIGN_EXPIRED = "presign-expired"
    PRESIGN_NOT_YET_VALID = "presign-not-yet-valid"
    PRESIGN_TOO_LONG = "presign-too-long"  # X-Amz-Expires outside 1..604800
    HEADERS_NOT_SIGNED = "headers-not-signed"  # S3: an x-amz-* header outside SignedHeaders
    CONTENT_SHA256_MISSING = "content-sha256-missing"
    CONTENT_SHA256_INVALID = "content-sha256-invalid"
    PAYLOAD_HASH_MISMATCH = "payload-hash-mismatch"
    CHECKSUM_MISMATCH = "checksum-mismatch"
    CHECKSUM_INVALID = "checksum-invalid"  # an x-amz-checksum-* value or x-amz-trailer that cannot be right
    DIGEST_INVALID = "digest-invalid"  # a Content-MD5 that is not a base64 MD5
    CHUNK_MALFORMED = "chunk-malformed"
    CHUNK_TOO_SMALL = "chunk-too-small"
    TRAILER_MALFORMED = "trailer-malformed"
    # Raised by the credential layer, which knows about session tokens.
    TOKEN_MISSING = "token-missing"  # noqa: S105 - a kind's name, not a secret
    TOKEN_INVALID = "token-invalid"  # noqa: S105
    TOKEN_EXPIRED = "token-expired"  # noqa: S105


K = AuthFailureKind


class AuthFailure(Exception):
    """A request that must not be served, and why.

    ``message`` is the detail AWS would show where its wording carries one (e.g. "Signature expired: ...");
    ``presigned`` says the credentials came from the query string (S3 then answers
    AuthorizationQueryParametersError instead of AuthorizationHeaderMalformed); ``fields`` are the extra
    members S3 puts in its error document (StringToSign, ServerTime, ...).
    """

    def __init__(
        self,
        kind: AuthFailureKind,
        message: str = "",
        *,
        presigned: bool = False,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{kind.value}: {message}" if message else kind.value)
        self.kind = kind
        self.message = message
        self.presigned = presigned
        self.fields: dict[str, str] = dict(fields or {})

    # The credential layer's failures: it knows keys and tokens, SigV4 does not.

    @classmethod
    def missing(cls) -> AuthFailure:
        return cls(AuthFailureKind.MISSING, "Request is missing Authentication Token")

    @classmethod
    def unknown_key(cls, access_key_id: str) -> AuthFailure:
        return cls(
            AuthFailureKind.UNKNOWN_KEY,
            f"The access key {access_key_id} does not exist.",
            fields={"AWSAccessKeyId": access_key_id},
        )

    @classmethod
    def wrong_region(cls, region: str, expected: str, *, presigned: bool = False) -> AuthFailure:
        return cls(
            AuthFailureKind.WRONG_REGION,
            f"the region '{region}' is wrong; expecting '{expected}'",
            presigned=presigned,
            fields={_REGION_FIELD: expected, _SCOPED_REGION: region},
        )

    @classmethod
    def token_missing(cls) -> AuthFailure:
        return cls(AuthFailureKind.TOKEN_MISSING, "Temporary credentials need their session token.")

    @classmethod
    def token_invalid(cls) -> AuthFailure:
        return cls(AuthFailureKind.TOKEN_INVALID, "The session token does not belong to this access key.")

    @classmethod
    def token_expired(cls) -> AuthFailure:
        return cls(AuthFailureKind.TOKEN_EXPIRED, "The session token has expired.")

    def to_error(self, service: str) -> ServiceError:
        """The error for ``service``, keeping ``presigned`` and ``fields`` (error_for alone loses them)."""
        return error_for(self.kind, service, self.message, presigned=self.presigned, fields=self.fields)

    def __repr__(self) -> str:
        return f"AuthFailure({self.kind.name}, {self.message!r})"


# S3 names the region it expected in a <Region> element (boto3 re-signs for it); the region the request was
# scoped to travels alongside for the other services' wording and is not shown by S3.
_REGION_FIELD = "Region"
_SCOPED_REGION = "ScopedRegion"


@dataclass(frozen=True)
class _Answer:
    code: str
    status: int
    # AWS's fixed wording; None passes the failure's own message through.
    message: str | None = None
    # S3 puts the failure's fields into its error document; the other protocols have no place for them.
    with_fields: bool = False


_SIGNATURE_TEXT = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)
_TOKEN_INVALID_TEXT = "The security token included in the request is invalid."  # noqa: S105 - AWS's wording
_TOKEN_EXPIRED_TEXT = "The security token included in the request is expired"  # noqa: S105
_MISSING_TEXT = "Request is missing Authentication Token"

_S3: dict[AuthFailureKind, _Answer] = {
    K.MISSING: _Answer("AccessDenied", 403, "Access Denied"),
    K.MALFORMED: _Answer("AuthorizationHeaderMalformed", 400),
    K.DATE_INVALID: _Answer(
        "AccessDenied", 403, "AWS authentication requires a valid Date or x-amz-date header"
    ),
    K.WRONG_REGION: _Answer("AuthorizationHeaderMalformed", 400),  # worded by _wrong_region
    K.UNSUPPORTED: _Answer("InvalidRequest", 400),
    K.UNKNOWN_KEY: _Answer(
        "InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.", True
    ),
    K.SIGNATURE_MISMATCH: _Answer(
        "SignatureDoesNotMatch",
        403,
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
        True,
    ),
    K.SKEW: _Answer(
        "RequestTimeTooSkewed",
        403,
        "The difference between the request time and the current time is too large.",
        True,
    ),
    K.PRESIGN_EXPIRED: _Answer("AccessDenied", 403, "Request has expired", True),
    K.PRESIGN_NOT_YET_VALID: _Answer("AccessDenied", 403, "Request is not yet valid", True),
    K.PRESIGN_TOO_LONG: _Answer("AuthorizationQueryParametersError", 400),
    K.HEADERS_NOT_SIGNED: _Answer(
        "AccessDenied", 403, "There were headers present in the request which were not signed", True
    ),
    K.CONTENT_SHA256_MISSING: _Answer(
        "InvalidRequest", 400, "Missing required header for this request: x-amz-content-sha256"
    ),
    K.CONTENT_SHA256_INVALID: _Answer("InvalidArgument", 400),
    K.PAYLOAD_HASH_MISMATCH: _Answer(
        "XAmzContentSHA256Mismatch",
        400,
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        True,
    ),
    K.CHECKSUM_MISMATCH: _Answer("BadDigest", 400),
    K.CHECKSUM_INVALID: _Answer("InvalidRequest", 400),
    K.DIGEST_INVALID: _Answer("InvalidDigest", 400, "The Content-MD5 you specified is not valid."),
    K.CHUNK_MALFORMED: _Answer("IncompleteBody", 400),
    K.CHUNK_TOO_SMALL: _Answer(
        "InvalidChunkSizeError",
        400,
        "Only the last chunk is allowed to have a size less than 8192 bytes",
        True,
    ),
    K.TRAILER_MALFORMED: _Answer(
        "MalformedTrailerError",
        400,
        "The request contained trailing data that was not well-formed or did not conform to our published "
        "schema.",
    ),
    # A temporary key presented without its token is, to S3, a key it does not know.
    K.TOKEN_MISSING: _Answer(
        "InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.", True
    ),
    K.TOKEN_INVALID: _Answer("InvalidToken", 400, "The provided token is malformed or otherwise invalid."),
    K.TOKEN_EXPIRED: _Answer("ExpiredToken", 400, "The provided token has expired."),
}

# IAM and STS (awsQuery): 403 for credentials, IncompleteSignature for anything garbled.
_QUERY: dict[AuthFailureKind, _Answer] = {
    K.MISSING: _Answer("MissingAuthenticationToken", 403, _MISSING_TEXT),
    K.MALFORMED: _Answer("IncompleteSignature", 400),
    K.DATE_INVALID: _Answer("IncompleteSignature", 400),
    K.UNSUPPORTED: _Answer("IncompleteSignature", 400),
    K.UNKNOWN_KEY: _Answer("InvalidClientTokenId", 403, _TOKEN_INVALID_TEXT),
    K.WRONG_REGION: _Answer("SignatureDoesNotMatch", 403),
    K.SIGNATURE_MISMATCH: _Answer("SignatureDoesNotMatch", 403, _SIGNATURE_TEXT),
    # "Signature expired: ... is now earlier than ... (... - 15 min.)" comes as SignatureDoesNotMatch.
    K.SKEW: _Answer("SignatureDoesNotMatch", 403),
    K.PRESIGN_EXPIRED: _Answer("SignatureDoesNotMatch", 403),
    K.PRESIGN_NOT_YET_VALID: _Answer("SignatureDoesNotMatch", 403),
    K.PRESIGN_TOO_LONG: _Answer("IncompleteSignature", 400),
    K.HEADERS_NOT_SIGNED: _Answer("SignatureDoesNotMatch", 403),
    K.CONTENT_SHA256_MISSING: _Answer("IncompleteSignature", 400),
    K.CONTENT_SHA256_INVALID: _Answer("IncompleteSignature", 400),
    K.PAYLOAD_HASH_MISMATCH: _Answer("SignatureDoesNotMatch", 403),
    K.TOKEN_MISSING: _Answer("InvalidClientTokenId", 403, _TOKEN_INVALID_TEXT),
    K.TOKEN_INVALID: _Answer("InvalidClientTokenId", 403, _TOKEN_INVALID_TEXT),
    K.TOKEN_EXPIRED: _Answer("ExpiredToken", 403, _TOKEN_EXPIRED_TEXT),
}

# The Cognito services (JSON 1.1): every authentication error is a 400 with an ...Exception type.
_JSON: dict[AuthFailureKind, _Answer] = {
    K.MISSING: _Answer("MissingAuthenticationTokenException", 400, _MISSING_TEXT),
    K.MALFORMED: _Answer("IncompleteSignatureException", 400),
    K.DATE_INVALID: _Answer("IncompleteSignatureException", 400),
    K.UNSUPPORTED: _Answer("IncompleteSignatureException", 400),
    K.UNKNOWN_KEY: _Answer("UnrecognizedClientException", 400, _TOKEN_INVALID_TEXT),
    K.WRONG_REGION: _Answer("InvalidSignatureException", 400),
    K.SIGNATURE_MISMATCH: _Answer("InvalidSignatureException", 400, _SIGNATURE_TEXT),
    K.SKEW: _Answer("InvalidSignatureException", 400),
    K.PRESIGN_EXPIRED: _Answer("InvalidSignatureException", 400),
    K.PRESIGN_NOT_YET_VALID: _Answer("InvalidSignatureException", 400),
    K.PRESIGN_TOO_LONG: _Answer("IncompleteSignatureException", 400),
    K.HEADERS_NOT_SIGNED: _Answer("InvalidSignatureException", 400),
    K.CONTENT_SHA256_MISSING: _Answer("IncompleteSignatureException", 400),
    K.CONTENT_SHA256_INVALID: _Answer("IncompleteSignatureException", 400),
    K.PAYLOAD_HASH_MISMATCH: _Answer("InvalidSignatureException", 400),
    K.TOKEN_MISSING: _Answer("UnrecognizedClientException", 400, _TOKEN_INVALID_TEXT),
    K.TOKEN_INVALID: _Answer("UnrecognizedClientException", 400, _TOKEN_INVALID_TEXT),
    K.TOKEN_EXPIRED: _Answer("ExpiredTokenException", 400, _TOKEN_EXPIRED_TEXT),
}

JSON_SERVICES = frozenset({"cognito-idp", "cognito-identity"})


def error_for(
    kind: AuthFailureKind,
    service: str,
    message: str,
    *,
    presigned: bool = False,
    fields: Mapping[str, str] | None = None,
) -> ServiceError:
    """The error a client of ``service`` (a SigV4 service name: s3, iam, sts, cognito-idp, ...) expects."""
    if kind is K.WRONG_REGION:
        return _wrong_region(service, message, presigned, fields or {})
    if service == "s3":
        answer = _S3[kind]
        if kind is K.MALFORMED:
            if presigned:
                answer = _Answer("AuthorizationQueryParametersError", 400)
            else:
                message = f"The authorization header is malformed; {message}" if message else message
    else:
        table = _JSON if service in JSON_SERVICES else _QUERY
        # Body framing and checksum kinds only arise for S3; elsewhere S3's code stands.
        answer = table.get(kind) or _S3[kind]
    text = answer.message if answer.message is not None else message
    extra = dict(fields or {}) if answer.with_fields else {}
    return ServiceError(answer.code, text, answer.status, fields=extra)


def _wrong_region(service: str, message: str, presigned: bool, fields: Mapping[str, str]) -> ServiceError:
    """S3: "...the region 'X' is wrong; expecting 'Y'" with <Region>Y</Region>, as a header or query
    parameter error; the other services: "Credential should be scoped to a valid region, not 'X'. "."""
    if service == "s3":
        region = {_REGION_FIELD: fields[_REGION_FIELD]} if _REGION_FIELD in fields else {}
        if presigned:
            text = f"Error parsing the X-Amz-Credential parameter; {message}"
            return ServiceError("AuthorizationQueryParametersError", text, 400, fields=region)
        text = f"The authorization header is malformed; {message}"
        return ServiceError(_S3[K.WRONG_REGION].code, text, 400, fields=region)
    answer = (_JSON if service in JSON_SERVICES else _QUERY)[K.WRONG_REGION]
    scoped = fields.get(_SCOPED_REGION, "")
    return ServiceError(
        answer.code, f"Credential should be scoped to a valid region, not '{scoped}'. ", answer.status
    )
