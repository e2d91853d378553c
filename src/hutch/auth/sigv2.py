"""S3's Signature Version 2 (HMAC-SHA1), header and query-string forms.

Still what boto3 uses for ``generate_presigned_url`` on S3 unless the client is configured with
``signature_version="s3v4"`` — so URLs real applications hand out arrive signed this way. Only S3 accepts it.
The verified request is described with the same SigV4Auth value SigV4 produces (an unsigned payload and no
signing key), so the rest of the pipeline does not care which version signed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.auth.signing import is_hex_sha256, query_params
from hutch.auth.sigv4 import MAX_PRESIGN_SECONDS, MAX_SKEW, UNSIGNED_PAYLOAD, SigV4Auth
from hutch.wire.http import HttpRequest

K = AuthFailureKind

# The sub-resources that are part of the canonical resource (as botocore's HmacV1Auth signs them).
_SUBRESOURCES = frozenset(
    [
        "accelerate",
        "acl",
        "analytics",
        "cors",
        "defaultObjectAcl",
        "delete",
        "inventory",
        "lifecycle",
        "location",
        "logging",
        "metrics",
        "notification",
        "object-lock",
        "partNumber",
        "policy",
        "replication",
        "requestPayment",
        "response-cache-control",
        "response-content-disposition",
        "response-content-encoding",
        "response-content-language",
        "response-content-type",
        "response-expires",
        "restore",
        "select",
        "select-type",
        "storageClass",
        "tagging",
        "torrent",
        "uploadId",
        "uploads",
        "versionId",
        "versioning",
        "versions",
        "website",
    ]
)


@dataclass(frozen=True)
class V2Params:
    access_key_id: str
    signature: str
    presigned: bool
    security_token: str | None
    expires: int | None  # query form: epoch seconds

    service = "s3"


def parse_auth_v2(request: HttpRequest) -> V2Params | None:
    """The SigV2 claims of a request, or None when it is not SigV2-signed."""
    header = request.headers.get("authorization")
    if header is not None:
        value = header.strip()
        if value != "AWS" and not value.startswith("AWS "):
            return None
        key, sep, signature = value[3:].strip().rpartition(":")
        if not sep or not key or not signature:
            raise AuthFailure(
                K.MALFORMED, "The Authorization header is malformed; expected 'AWS AKID:signature'."
            )
        return V2Params(key, signature, False, request.headers.get("x-amz-security-token"), None)
    params = query_params(request.query_string)
    if "AWSAccessKeyId" not in params or "Signature" not in params:
        return None
    expires_text = params.get("Expires", "")
    if not (expires_text.isascii() and expires_text.isdigit()) or len(expires_text) > 12:
        raise AuthFailure(
            K.MALFORMED,
            "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters",
            presigned=True,
        )
    token = params.get("x-amz-security-token") or request.headers.get("x-amz-security-token")
    return V2Params(params["AWSAccessKeyId"], params["Signature"], True, token, int(expires_text))


def _amz_headers(request: HttpRequest, params: dict[str, str], presigned: bool) -> str:
    found: dict[str, list[str]] = {}
    for name, value in request.headers.items():
        if name.startswith("x-amz-"):
            found.setdefault(name, []).append(value.strip())
    if presigned:
        # A presigned URL carries the x-amz-* headers it was signed with in its query string.
        for name, value in params.items():
            lname = name.lower()
            if lname.startswith("x-amz-") and lname not in found:
                found[lname] = [value.strip()]
    return "".join(f"{name}:{','.join(found[name])}\n" for name in sorted(found))


def _canonical_resource(path_style_raw_path: str, query: str) -> str:
    pairs = []
    for item in query.split("&") if query else []:
        name, sep, value = item.partition("=")
        if name in _SUBRESOURCES:
            pairs.append((name, value, sep))
    if not pairs:
        return path_style_raw_path
    pairs.sort(key=lambda p: p[0])
    return path_style_raw_path + "?" + "&".join(n + (s + unquote(v) if s else "") for n, v, s in pairs)


def string_to_sign(request: HttpRequest, path_style_raw_path: str, date_line: str, presigned: bool) -> str:
    params = query_params(request.query_string)

    def standard(name: str) -> str:
        value = request.headers.get(name)
        if value is None and presigned:
            value = params.get(name)
        return (value or "").strip()

    return (
        f"{request.method.upper()}\n{standard('content-md5')}\n{standard('content-type')}\n{date_line}\n"
        + _amz_headers(request, params, presigned)
        + _canonical_resource(path_style_raw_path, request.query_string)
    )


def sign_v2(secret_key: str, text: str) -> str:
    """base64(HMAC-SHA1(secret, text)): SigV2's signature (also over S3 POST policies)."""
    digest = hmac.new(secret_key.encode(), text.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def verify_v2(
    request: HttpRequest, params: V2Params, secret_key: str, *, now: datetime, path_style_raw_path: str
) -> SigV4Auth:
    """Check a SigV2 signature. ``path_style_raw_path`` is /bucket/key as sent (virtual-hosted requests are
    signed over their path-style resource)."""
    now = now.astimezone(UTC)
    if params.presigned:
        assert params.expires is not None
        if now.timestamp() > params.expires:
            raise AuthFailure(K.PRESIGN_EXPIRED, "Request has expired", presigned=True)
        if params.expires - now.timestamp() > MAX_PRESIGN_SECONDS:
            raise AuthFailure(
                K.PRESIGN_TOO_LONG,
                "Presigned URLs may be valid for at most seven days (604800 seconds).",
                presigned=True,
            )
        date_lines = [str(params.expires)]
        when = now
    else:
        when = _request_time(request)
        if abs(now - when) > MAX_SKEW:
            raise AuthFailure(
                K.SKEW, "The difference between the request time and the current time is too large."
            )
        date = (request.headers.get("date") or "").strip()
        # With x-amz-date the Date line may be given empty (AWS's rule) or as sent (what botocore signs).
        date_lines = [date, ""] if "x-amz-date" in request.headers else [date]
    presented = params.signature.encode()
    for date_line in date_lines:
        text = string_to_sign(request, path_style_raw_path, date_line, params.presigned)
        if hmac.compare_digest(sign_v2(secret_key, text).encode(), presented):
            return SigV4Auth(
                access_key_id=params.access_key_id,
                date=when,
                region="us-east-1",
                service="s3",
                signed_headers=(),
                signature=params.signature,
                security_token=params.security_token,
                payload_hash=_payload_hash(request),
                presigned=params.presigned,
                signing_key=b"",
            )
    raise AuthFailure(
        K.SIGNATURE_MISMATCH,
        presigned=params.presigned,
        fields={
            "AWSAccessKeyId": params.access_key_id,
            "StringToSign": string_to_sign(request, path_style_raw_path, date_lines[0], params.presigned),
            "SignatureProvided": params.signature,
        },
    )


def _payload_hash(request: HttpRequest) -> str:
    # SigV2 signs no payload hash; a client may still declare an aws-chunked unsigned body with a trailer.
    value = (request.headers.get("x-amz-content-sha256") or "").strip()
    if value == "STREAMING-UNSIGNED-PAYLOAD-TRAILER" or is_hex_sha256(value):
        return value
    return UNSIGNED_PAYLOAD


def _request_time(request: HttpRequest) -> datetime:
    text = request.headers.get("x-amz-date") or request.headers.get("date")
    if not text:
        raise AuthFailure(K.DATE_INVALID, "AWS authentication requires a valid Date or x-amz-date header")
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        try:
            parsed = datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            raise AuthFailure(
                K.DATE_INVALID, "AWS authentication requires a valid Date or x-amz-date header"
            ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
