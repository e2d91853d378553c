"""Who signed a browser upload form: the signature over its base64 POST policy, and the caller it proves.

A form is signed one of two ways, and S3 still accepts both:

- SigV4 (``x-amz-algorithm``, ``x-amz-credential``, ``x-amz-date``, ``x-amz-signature``): hex HMAC-SHA256 of
  the policy text with the signing key of the credential's scope — what boto3 generates with
  ``signature_version="s3v4"``;
- SigV2 (``AWSAccessKeyId``, ``signature``): base64 HMAC-SHA1 of the policy text — what boto3 1.44's
  ``generate_presigned_post`` still generates by default.

A form with none of these fields is anonymous (only a bucket policy can let it in); a form with some but not
all is refused naming the first one missing. The key is looked up in the same credential chain the request
pipeline uses, so temporary credentials need their ``x-amz-security-token`` and expire as theirs do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.auth.signing import ALGORITHM, TERMINATOR, CredentialScope, sign, signatures_match, signing_key
from hutch.auth.sigv2 import sign_v2
from hutch.errors import ServiceError

if TYPE_CHECKING:
    from hutch.auth.credentials import Credential
    from hutch.auth.principal import Principal
    from hutch.runtime import Runtime

# The fields of each signature version, in the order S3 names the first one missing.
V4_FIELDS = ("policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature")
V2_FIELDS = ("awsaccesskeyid", "policy", "signature")
_SPELLING = {
    "policy": "Policy",
    "x-amz-algorithm": "X-Amz-Algorithm",
    "x-amz-credential": "X-Amz-Credential",
    "x-amz-date": "X-Amz-Date",
    "x-amz-signature": "X-Amz-Signature",
    "awsaccesskeyid": "AWSAccessKeyId",
    "signature": "Signature",
}
_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z", re.ASCII)
_SCOPE_DATE = re.compile(r"\d{8}", re.ASCII)
SIGNATURE_VERSION_V4 = ALGORITHM  # the s3:signatureversion values
SIGNATURE_VERSION_V2 = "AWS"


def _argument(message: str, name: str, value: str) -> ServiceError:
    return ServiceError(
        "InvalidArgument", message, 400, fields={"ArgumentName": name, "ArgumentValue": value}
    )


def missing_field(name: str) -> ServiceError:
    spelled = _SPELLING.get(name, name)
    return _argument(
        f"Bucket POST must contain a field named '{spelled}'.  If it is specified, please check the order of "
        "the fields.",
        spelled,
        "",
    )


@dataclass(frozen=True)
class SignedForm:
    """What a form claims about its signature, checked for shape but not yet verified."""

    version: int  # 4 or 2
    access_key_id: str
    policy: str  # the base64 text, exactly as sent: it is what was signed
    signature: str
    security_token: str | None
    scope: CredentialScope | None = None  # SigV4 only

    @property
    def signature_version(self) -> str:
        return SIGNATURE_VERSION_V4 if self.version == 4 else SIGNATURE_VERSION_V2

    @property
    def region(self) -> str | None:
        return self.scope.region if self.scope is not None else None


def signed_form(fields: Mapping[str, str]) -> SignedForm | None:
    """The form's signature claim (fields keyed by lower-cased name), or None for an anonymous form."""
    token = fields.get("x-amz-security-token")
    if any(name in fields for name in V4_FIELDS if name != "policy"):
        _require(fields, V4_FIELDS)
        algorithm = fields["x-amz-algorithm"]
        if algorithm != ALGORITHM:
            raise _argument(f'X-Amz-Algorithm only supports "{ALGORITHM}"', "X-Amz-Algorithm", algorithm)
        date = fields["x-amz-date"]
        if not _AMZ_DATE.fullmatch(date) or _parse(date, "%Y%m%dT%H%M%SZ") is None:
            raise _argument("X-Amz-Date must be formated via ISO8601 Long format", "X-Amz-Date", date)
        access_key_id, scope = _credential(fields["x-amz-credential"])
        return SignedForm(4, access_key_id, fields["policy"], fields["x-amz-signature"], token, scope)
    if any(name in fields for name in V2_FIELDS if name != "policy"):
        _require(fields, V2_FIELDS)
        return SignedForm(2, fields["awsaccesskeyid"], fields["policy"], fields["signature"], token)
    return None


def _require(fields: Mapping[str, str], names: tuple[str, ...]) -> None:
    for name in names:
        if not fields.get(name):
            raise missing_field(name)


def _parse(text: str, pattern: str) -> datetime | None:
    try:
        return datetime.strptime(text, pattern).replace(tzinfo=UTC)
    except ValueError:
        return None


def _credential(value: str) -> tuple[str, CredentialScope]:
    """``AKID/YYYYMMDD/region/s3/aws4_request`` → (AKID, scope), or S3's InvalidArgument."""

    def bad(message: str) -> ServiceError:
        return _argument(message, "X-Amz-Credential", value)

    parts = value.split("/")
    if len(parts) < 5 or not all(parts[-4:]):
        raise bad(
            'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
        )
    access_key_id = "/".join(parts[:-4])
    date, region, service, terminator = parts[-4:]
    if not access_key_id:
        raise bad("a non-empty Access Key (AKID) must be provided in the credential.")
    if not _SCOPE_DATE.fullmatch(date) or _parse(date, "%Y%m%d") is None:
        raise bad(
            f'incorrect date format "{date}". This date in the credential must be in the format "yyyyMMdd".'
        )
    if service != "s3":
        raise bad(f'incorrect service "{service}". This endpoint belongs to "s3".')
    if terminator != TERMINATOR:
        raise bad(f'incorrect terminal "{terminator}". This endpoint uses "{TERMINATOR}".')
    return access_key_id, CredentialScope(date, region, service)


def expected_signature(form: SignedForm, secret_access_key: str) -> str:
    """The signature the form should carry if it was signed with ``secret_access_key``."""
    if form.version == 4:
        assert form.scope is not None
        return sign(signing_key(secret_access_key, form.scope), form.policy)
    return sign_v2(secret_access_key, form.policy)


def verify(form: SignedForm, credential: Credential, now: datetime) -> Principal:
    """The principal the form was signed by; AuthFailure (S3's auth errors) when it proves nothing."""
    if not signatures_match(expected_signature(form, credential.secret_access_key), form.signature):
        raise AuthFailure(
            AuthFailureKind.SIGNATURE_MISMATCH,
            fields={
                "AWSAccessKeyId": form.access_key_id,
                "StringToSign": form.policy,
                "SignatureProvided": form.signature,
                "StringToSignBytes": " ".join(f"{b:02x}" for b in form.policy.encode("utf-8")),
            },
        )
    if not credential.token_matches(form.security_token):
        # A temporary key without its token is, to S3, a key it does not know; a wrong token is invalid.
        # (Only keys that need a token get here: token_matches accepts none for the others.)
        raise AuthFailure.token_invalid() if form.security_token else AuthFailure.token_missing()
    if credential.expired(now):
        raise AuthFailure.token_expired()
    return credential.principal


def authenticate(rt: Runtime, form: SignedForm) -> Principal:
    """Look the key up in the installation's credential chain and verify the form (a worker thread)."""
    credential = rt.credentials.lookup_access_key(form.access_key_id)
    if credential is None:
        raise AuthFailure.unknown_key(form.access_key_id)
    return verify(form, credential, rt.now())
