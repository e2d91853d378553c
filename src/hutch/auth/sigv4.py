"""AWS Signature Version 4 verification: the Authorization header and presigned (query-string) requests.

``parse_auth`` reads who claims to be signing (access key, credential scope, signed headers) without any
secret, so the router can pick the service and the credential layer can look the key up; ``verify`` then
rebuilds the canonical request from the request exactly as received and compares signatures in constant
time. aws-chunked bodies are checked afterwards by hutch.auth.chunked with the signing key kept here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.auth.signing import (
    ALGORITHM,
    TERMINATOR,
    CredentialScope,
    canonical_request,
    is_hex_sha256,
    query_pairs,
    query_params,
    sign,
    signatures_match,
    signing_key,
    string_to_sign,
)
from hutch.wire.http import HttpRequest

K = AuthFailureKind

SIGV4A_ALGORITHM = "AWS4-ECDSA-P256-SHA256"
MAX_SKEW = timedelta(minutes=15)
MAX_PRESIGN_SECONDS = 604800  # seven days: the signing key is only valid that long

UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
STREAMING_PAYLOADS = frozenset({STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER})
_SIGV4A_PAYLOADS = frozenset(
    {"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"}
)

_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z", re.ASCII)
_SCOPE_DATE = re.compile(r"\d{8}", re.ASCII)
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")  # an HTTP header name, lower-case
_SUPPORTED = "Please use AWS4-HMAC-SHA256."
_CREDENTIAL_SHAPE = (
    'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
)
# Every query parameter that carries part of a presigned request's authentication. Each may appear once:
# with two, the signature would be checked against one copy while another reader believes the other.
_QUERY_AUTH_PARAMS = frozenset(
    {
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Signature",
        "X-Amz-Date",
        "X-Amz-SignedHeaders",
        "X-Amz-Expires",
        "X-Amz-Security-Token",
        "X-Amz-Content-Sha256",
    }
)
_PRESIGN_PARAMS = (
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
    "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
)


@dataclass(frozen=True)
class AuthParams:
    """What a SigV4 request claims, parsed without any secret."""

    access_key_id: str
    scope: CredentialScope
    signed_headers: tuple[str, ...]
    signature: str
    timestamp: str  # the request time as it enters the string to sign (YYYYMMDDTHHMMSSZ)
    request_time: datetime
    presigned: bool
    security_token: str | None
    expires: int | None = None  # X-Amz-Expires, presigned requests only

    @property
    def service(self) -> str:
        return self.scope.service

    @property
    def region(self) -> str:
        return self.scope.region


@dataclass(frozen=True)
class SigV4Auth:
    """A request whose signature verified."""

    access_key_id: str
    date: datetime
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    security_token: str | None
    payload_hash: str  # the x-amz-content-sha256 value (S3) or the body's hash (other services)
    presigned: bool
    signing_key: bytes = field(repr=False)  # kept so aws-chunked chunk signatures can be verified

    @property
    def timestamp(self) -> str:
        return self.date.strftime("%Y%m%dT%H%M%SZ")

    @property
    def scope(self) -> CredentialScope:
        return CredentialScope(self.date.strftime("%Y%m%d"), self.region, self.service)


# --- parsing -------------------------------------------------------------------------------------------


def _malformed(message: str, presigned: bool) -> AuthFailure:
    return AuthFailure(K.MALFORMED, message, presigned=presigned)


def _parse_credential(value: str, presigned: bool) -> tuple[str, CredentialScope]:
    parts = value.split("/")
    if len(parts) < 5 or not all(parts[-4:]) or not parts[0]:
        raise _malformed(
            _CREDENTIAL_SHAPE
            if not presigned
            else f"Error parsing the X-Amz-Credential parameter; {_CREDENTIAL_SHAPE}",
            presigned,
        )
    # Access key ids have no '/', but the scope is the last four fields whatever the key looks like.
    access_key_id = "/".join(parts[:-4])
    date, region, service, terminator = parts[-4:]
    if terminator != TERMINATOR:
        raise _malformed(
            f"Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{terminator}'.",
            presigned,
        )
    if not _SCOPE_DATE.fullmatch(date) or _parse_ymd(date) is None:
        raise _malformed(
            f'Invalid credential date "{date}". This date is not the expected format.', presigned
        )
    return access_key_id, CredentialScope(date, region, service)


def _parse_ymd(date: str) -> datetime | None:
    try:
        return datetime.strptime(date, "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def _parse_amz_date(value: str) -> datetime | None:
    if not _AMZ_DATE.fullmatch(value):
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _parse_signed_headers(value: str, presigned: bool) -> tuple[str, ...]:
    names = tuple(name.strip().lower() for name in value.split(";"))
    if not value or not all(_TOKEN.fullmatch(name) for name in names):
        raise _malformed(f"SignedHeaders is not a ';'-separated list of header names: {value!r}.", presigned)
    return names


def _request_date(request: HttpRequest) -> tuple[str, datetime]:
    """(timestamp as signed, instant) from X-Amz-Date, else from Date (RFC 1123), as AWS accepts either."""
    amz_date = request.headers.get("x-amz-date")
    if amz_date is not None:
        parsed = _parse_amz_date(amz_date.strip())
        if parsed is None:
            raise AuthFailure(
                K.DATE_INVALID, f"X-Amz-Date must be in ISO 8601 basic format; got '{amz_date}'."
            )
        return amz_date.strip(), parsed
    date = request.headers.get("date")
    if date is not None:
        try:
            parsed = parsedate_to_datetime(date)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is None:
            raise AuthFailure(K.DATE_INVALID, f"Date must be an RFC 1123 date; got '{date}'.")
        # "-0000" (what Python's formatdate writes) parses as naive; HTTP dates are GMT.
        parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        return parsed.strftime("%Y%m%dT%H%M%SZ"), parsed
    raise AuthFailure(
        K.DATE_INVALID, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
    )


def _parse_header(request: HttpRequest, value: str) -> AuthParams:
    components: dict[str, str] = {}
    for raw_part in value[len(ALGORITHM) :].split(","):
        part = raw_part.strip()
        if not part:
            continue
        key, eq, item = part.partition("=")
        key = key.strip()
        if not eq or key not in ("Credential", "SignedHeaders", "Signature"):
            raise _malformed(f"Authorization header has an unexpected component '{part[:40]}'.", False)
        if key in components:
            raise _malformed(f"Authorization header repeats the '{key}' component.", False)
        components[key] = item.strip()
    missing = [k for k in ("Credential", "SignedHeaders", "Signature") if not components.get(k)]
    if missing:
        raise _malformed(" ".join(f"Authorization header requires '{k}' parameter." for k in missing), False)
    access_key_id, scope = _parse_credential(components["Credential"], False)
    signed_headers = _parse_signed_headers(components["SignedHeaders"], False)
    timestamp, request_time = _request_date(request)
    if timestamp[:8] != scope.date:
        raise _malformed("Invalid credential date. Date is not the same as X-Amz-Date.", False)
    return AuthParams(
        access_key_id=access_key_id,
        scope=scope,
        signed_headers=signed_headers,
        signature=components["Signature"],
        timestamp=timestamp,
        request_time=request_time,
        presigned=False,
        security_token=request.headers.get("x-amz-security-token"),
    )


def _parse_query(params: dict[str, str]) -> AuthParams:
    algorithm = params.get("X-Amz-Algorithm", "")
    if algorithm == SIGV4A_ALGORITHM:
        raise AuthFailure(
            K.UNSUPPORTED,
            f"SigV4a ({SIGV4A_ALGORITHM}) is not supported by hutch. {_SUPPORTED}",
            presigned=True,
        )
    required = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders")
    if any(not params.get(name) for name in required):
        raise _malformed(_PRESIGN_PARAMS, True)
    if algorithm != ALGORITHM:
        raise _malformed(f'X-Amz-Algorithm only supports "{ALGORITHM}"', True)
    access_key_id, scope = _parse_credential(params["X-Amz-Credential"], True)
    timestamp = params["X-Amz-Date"]
    request_time = _parse_amz_date(timestamp)
    if request_time is None:
        raise _malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"", True)
    if timestamp[:8] != scope.date:
        raise _malformed("Invalid credential date. Date is not the same as X-Amz-Date.", True)
    expires: int | None = None
    raw_expires = params.get("X-Amz-Expires")
    if raw_expires is not None:
        if not (raw_expires.isascii() and raw_expires.isdigit()) or len(raw_expires) > 12:
            if raw_expires.startswith("-") and raw_expires[1:].isdigit():
                raise AuthFailure(K.PRESIGN_TOO_LONG, "X-Amz-Expires must be non-negative", presigned=True)
            raise _malformed("X-Amz-Expires should be a number", True)
        expires = int(raw_expires)
    elif scope.service == "s3":
        raise _malformed(_PRESIGN_PARAMS, True)
    return AuthParams(
        access_key_id=access_key_id,
        scope=scope,
        signed_headers=_parse_signed_headers(params["X-Amz-SignedHeaders"], True),
        signature=params["X-Amz-Signature"],
        timestamp=timestamp,
        request_time=request_time,
        presigned=True,
        security_token=params.get("X-Amz-Security-Token"),
        expires=expires,
    )


def parse_auth(request: HttpRequest) -> AuthParams | None:
    """The SigV4 claims of a request; None when it carries no authentication at all (anonymous).

    Raises AuthFailure MALFORMED/DATE_INVALID for garbled SigV4 and UNSUPPORTED for other schemes
    (SigV2, SigV4a, bearer tokens...), which hutch refuses rather than treating as anonymous.
    """
    header = request.headers.get("authorization")
    params = query_params(request.query_string)
    presign_keys = {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"} & params.keys()
    if header is not None:
        if presign_keys:
            raise _malformed(
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
                "string parameter or the Authorization header should be specified",
                False,
            )
        value = header.strip()
        scheme = (value.split(None, 1) or [""])[0]
        if scheme == ALGORITHM:
            return _parse_header(request, value)
        if scheme == SIGV4A_ALGORITHM:
            raise AuthFailure(
                K.UNSUPPORTED, f"SigV4a ({SIGV4A_ALGORITHM}) is not supported by hutch. {_SUPPORTED}"
            )
        if scheme == "AWS":
            raise AuthFailure(
                K.UNSUPPORTED,
                "The authorization mechanism you have provided is not supported (Signature Version 2). "
                + _SUPPORTED,
            )
        raise AuthFailure(
            K.UNSUPPORTED,
            f"The authorization mechanism you have provided ('{scheme[:32]}') is not supported. {_SUPPORTED}",
        )
    if presign_keys:
        repeated = _repeated_auth_param(request.query_string)
        if repeated is not None:
            raise _malformed(f"The {repeated} query parameter must appear only once.", True)
        return _parse_query(params)
    if "Signature" in params and ("AWSAccessKeyId" in params or "SignatureVersion" in params):
        raise AuthFailure(
            K.UNSUPPORTED,
            "Query-string Signature Version 2 (AWSAccessKeyId, Signature, Expires) is not supported; boto3 "
            "presigns S3 that way unless its client has Config(signature_version='s3v4'). " + _SUPPORTED,
            presigned=True,
        )
    return None


def _repeated_auth_param(query_string: str) -> str | None:
    seen: set[str] = set()
    for key, _ in query_pairs(query_string):
        name = unquote(key)
        if name in _QUERY_AUTH_PARAMS:
            if name in seen:
                return name
            seen.add(name)
    return None


def check_region(params: AuthParams, accepted: Collection[str], expected: str) -> None:
    """Refuse a credential scoped to a region this endpoint does not serve, as AWS does: the scope's
    region becomes aws:RequestedRegion, which the caller must not get to choose. ``expected`` is the
    region named in the error (S3 clients re-sign for it)."""
    if params.region not in accepted:
        raise AuthFailure.wrong_region(params.region, expected, presigned=params.presigned)


# --- verification --------------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _basic(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _check_time(params: AuthParams, now: datetime) -> None:
    if params.presigned:
        expires = params.expires
        if expires is not None and not 1 <= expires <= MAX_PRESIGN_SECONDS:
            message = (
                f"X-Amz-Expires must be less than a week (in seconds) that is; {MAX_PRESIGN_SECONDS}"
                if expires > MAX_PRESIGN_SECONDS
                else "X-Amz-Expires must be at least 1 second"
            )
            raise AuthFailure(K.PRESIGN_TOO_LONG, message, presigned=True)
        # Without X-Amz-Expires (STS-style presigning) a request lives as long as the clock-skew window.
        valid_for = timedelta(seconds=expires) if expires is not None else MAX_SKEW
        expires_at = params.request_time + valid_for
        if now > expires_at:
            raise AuthFailure(
                K.PRESIGN_EXPIRED,
                f"Signature expired: {_basic(expires_at)} is now earlier than {_basic(now)}.",
                presigned=True,
                fields={
                    "X-Amz-Expires": str(expires or ""),
                    "Expires": _iso(expires_at),
                    "ServerTime": _iso(now),
                },
            )
        if params.request_time > now + MAX_SKEW:
            raise AuthFailure(
                K.PRESIGN_NOT_YET_VALID,
                f"Signature not yet current: {params.timestamp} is still later than {_basic(now + MAX_SKEW)} "
                f"({_basic(now)} + 15 min.)",
                presigned=True,
                fields={"X-Amz-Date": params.timestamp, "Expires": _iso(expires_at), "ServerTime": _iso(now)},
            )
        return
    skew_fields = {
        "RequestTime": params.timestamp,
        "ServerTime": _iso(now),
        "MaxAllowedSkewMilliseconds": str(int(MAX_SKEW.total_seconds() * 1000)),
    }
    if params.request_time < now - MAX_SKEW:
        raise AuthFailure(
            K.SKEW,
            f"Signature expired: {params.timestamp} is now earlier than {_basic(now - MAX_SKEW)} "
            f"({_basic(now)} - 15 min.)",
            fields=skew_fields,
        )
    if params.request_time > now + MAX_SKEW:
        raise AuthFailure(
            K.SKEW,
            f"Signature not yet current: {params.timestamp} is still later than {_basic(now + MAX_SKEW)} "
            f"({_basic(now)} + 15 min.)",
            fields=skew_fields,
        )


def _s3_payload_hash(request: HttpRequest, params: AuthParams) -> str:
    header = request.headers.get("x-amz-content-sha256")
    if params.presigned:
        # The SDKs presign UNSIGNED-PAYLOAD; the JS SDK also puts it in the query, where it is signed.
        query_value = query_params(request.query_string).get("X-Amz-Content-Sha256")
        if query_value is not None:
            value = query_value
        elif header is not None and "x-amz-content-sha256" in params.signed_headers:
            value = header
        else:
            return UNSIGNED_PAYLOAD
        value = value.strip()
        if value == UNSIGNED_PAYLOAD or is_hex_sha256(value):
            return value
        raise AuthFailure(
            K.CONTENT_SHA256_INVALID,
            "A presigned request's x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a SHA-256 hash.",
            presigned=True,
        )
    if header is None:
        raise AuthFailure(K.CONTENT_SHA256_MISSING)
    value = header.strip()
    if value in _SIGV4A_PAYLOADS:
        raise AuthFailure(
            K.UNSUPPORTED, f"SigV4a streaming payloads ({value}) are not supported. {_SUPPORTED}"
        )
    if value == UNSIGNED_PAYLOAD or value in STREAMING_PAYLOADS or is_hex_sha256(value):
        return value
    raise AuthFailure(
        K.CONTENT_SHA256_INVALID,
        f"x-amz-content-sha256 must be {UNSIGNED_PAYLOAD}, {STREAMING_SIGNED}, {STREAMING_SIGNED_TRAILER}, "
        f"{STREAMING_UNSIGNED_TRAILER}, or a valid sha256 value.",
    )


def _service_payload_hash(request: HttpRequest, params: AuthParams, body: bytes | None) -> str:
    """Services other than S3 sign their body (the API call itself lives there); it is hashed here."""
    computed = hashlib.sha256(body or b"").hexdigest()
    claimed = request.headers.get("x-amz-content-sha256")
    if claimed is not None and claimed.strip().lower() != computed:
        raise AuthFailure(
            K.PAYLOAD_HASH_MISMATCH,
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            presigned=params.presigned,
        )
    return claimed.strip() if claimed is not None else computed


def _unsigned_amz_headers(request: HttpRequest, params: AuthParams) -> list[str]:
    signed = set(params.signed_headers)
    # x-amz-content-sha256 is tolerated unsigned, as S3 does: its value is in the canonical request anyway.
    return sorted(
        name
        for name in request.headers
        if name.startswith("x-amz-") and name not in signed and name != "x-amz-content-sha256"
    )


def verify(
    request: HttpRequest, params: AuthParams, secret_key: str, *, now: datetime, body: bytes | None
) -> SigV4Auth:
    """Check the signature of a request whose claims ``parse_auth`` returned, with the key's secret.

    ``body`` is the whole body for services other than S3 (their payload is always signed and hashed
    here); S3 passes None and gets its payload checked while streaming (hutch.auth.chunked).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    presigned = params.presigned
    _check_time(params, now)
    if "host" not in params.signed_headers:
        raise _malformed("'Host' must be a 'SignedHeader' in the AWS Authorization.", presigned)
    if params.service == "s3":
        payload_hash = _s3_payload_hash(request, params)
    else:
        payload_hash = _service_payload_hash(request, params, body)
    canonical = canonical_request(
        request,
        service=params.service,
        signed_headers=params.signed_headers,
        presigned=presigned,
        payload_hash=payload_hash,
    )
    to_sign = string_to_sign(params.timestamp, params.scope, canonical)
    key = signing_key(secret_key, params.scope)
    expected = sign(key, to_sign)
    if not signatures_match(expected, params.signature):
        raise AuthFailure(
            K.SIGNATURE_MISMATCH,
            presigned=presigned,
            fields={
                "AWSAccessKeyId": params.access_key_id,
                "StringToSign": to_sign,
                "SignatureProvided": params.signature,
                "CanonicalRequest": canonical,
            },
        )
    if params.service == "s3":
        unsigned = _unsigned_amz_headers(request, params)
        if unsigned:
            raise AuthFailure(
                K.HEADERS_NOT_SIGNED,
                f"These x-amz-* headers were not signed: {', '.join(unsigned)}.",
                presigned=presigned,
                fields={"HeadersNotSigned": ", ".join(unsigned)},
            )
    return SigV4Auth(
        access_key_id=params.access_key_id,
        date=params.request_time,
        region=params.region,
        service=params.service,
        signed_headers=params.signed_headers,
        signature=params.signature,
        security_token=params.security_token,
        payload_hash=payload_hash,
        presigned=presigned,
        signing_key=key,
    )
