"""A browser upload form read as what it asks for: the key, the object's headers, metadata, tags, checksums,
and how to answer (status or redirect).

"Parameters that are passed to PUT through HTTP headers are instead passed as form fields to POST", so the
fields are turned into the same parameters PutObject takes and go through the same checks. Field names are
case-insensitive; a repeated field's values are joined with commas, as S3 matches them against the policy.
``${filename}`` in any field becomes the name of the uploaded file (after its last / or \\); when the file
part names no file, S3 leaves the variable as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from hutch.auth.checksums import BodyChecksums
from hutch.errors import ServiceError
from hutch.services.s3 import tagging
from hutch.services.s3.errors import invalid_argument, malformed_xml
from hutch.services.s3.form_data import FormHead
from hutch.wire.http import Headers
from hutch.wire.xml import XmlError, local_name, parse_document

FILENAME_VARIABLE = "${filename}"
META_PREFIX = "x-amz-meta-"

# Form field (lower-cased) → the PutObject parameter it stands for.
_PARAMETERS = {
    "cache-control": "CacheControl",
    "content-disposition": "ContentDisposition",
    "content-encoding": "ContentEncoding",
    "content-language": "ContentLanguage",
    "content-type": "ContentType",
    "acl": "ACL",
    "x-amz-storage-class": "StorageClass",
    "x-amz-website-redirect-location": "WebsiteRedirectLocation",
    "x-amz-server-side-encryption": "ServerSideEncryption",
    "x-amz-server-side-encryption-aws-kms-key-id": "SSEKMSKeyId",
    "x-amz-server-side-encryption-customer-algorithm": "SSECustomerAlgorithm",
    "x-amz-grant-full-control": "GrantFullControl",
    "x-amz-grant-read": "GrantRead",
    "x-amz-grant-read-acp": "GrantReadACP",
    "x-amz-grant-write-acp": "GrantWriteACP",
}


def no_file() -> ServiceError:
    return invalid_argument("POST requires exactly one file upload per request.", "file", "0")


def no_key() -> ServiceError:
    return invalid_argument(
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the "
        "fields.",
        "key",
        "",
    )


def file_name(sent: str) -> str:
    """What ${filename} stands for: the text after the last slash or backslash of the name sent."""
    return sent.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class UploadForm:
    fields: dict[str, str]  # lower-cased name → value (${filename} expanded; repeats joined with ",")
    names: tuple[str, ...]  # the field names as sent, in order
    key: str

    @classmethod
    def of(cls, head: FormHead) -> UploadForm:
        if head.file is None:
            raise no_file()
        sent = head.file.filename
        fields: dict[str, str] = {}
        for field in head.fields:
            value = field.value
            if sent is not None:
                value = value.replace(FILENAME_VARIABLE, file_name(sent))
            name = field.name.lower()
            fields[name] = f"{fields[name]},{value}" if name in fields else value
        key = fields.get("key", "")
        if not key:
            raise no_key()
        return cls(fields, tuple(f.name for f in head.fields), key)

    def put_params(self) -> dict[str, Any]:
        """The PutObject parameters the form's fields stand for."""
        params: dict[str, Any] = {"Key": self.key}
        for field, parameter in _PARAMETERS.items():
            if field in self.fields:
                params[parameter] = self.fields[field]
        expires = self.fields.get("expires")
        if expires is not None:
            try:
                params["Expires"] = parsedate_to_datetime(expires)
            except (TypeError, ValueError):
                raise invalid_argument("Expires is not a valid HTTP date.", "Expires", expires) from None
        metadata = {k[len(META_PREFIX) :]: v for k, v in self.fields.items() if k.startswith(META_PREFIX)}
        if metadata:
            params["Metadata"] = metadata
        return params

    def tags(self) -> tuple[tuple[str, str], ...]:
        """The ``tagging`` field: a Tagging document, as PutObjectTagging takes it."""
        document = self.fields.get("tagging")
        if document is None:
            return ()
        try:
            root = parse_document(document.encode("utf-8"))
        except XmlError:
            raise malformed_xml() from None
        pairs: list[tuple[str, str]] = []
        for tag_set in (c for c in root if local_name(c.tag) == "TagSet"):
            for tag in (t for t in tag_set if local_name(t.tag) == "Tag"):
                parts = {local_name(c.tag): c.text or "" for c in tag}
                pairs.append((parts.get("Key", ""), parts.get("Value", "")))
        return tagging.validate(pairs)

    def integrity(self) -> BodyChecksums:
        """The checks the file's bytes must pass: Content-MD5 and x-amz-checksum-* fields, as headers."""
        claims = [(name, value) for name, value in self.fields.items() if name.startswith("x-amz-checksum-")]
        headers = [
            ("x-amz-sdk-checksum-algorithm" if name == "x-amz-checksum-algorithm" else name, value)
            for name, value in claims
            if name != "x-amz-checksum-type"
        ]
        if "content-md5" in self.fields:
            headers.append(("content-md5", self.fields["content-md5"]))
        return BodyChecksums.from_headers(Headers(headers))

    @property
    def declares_checksum(self) -> bool:
        return any(
            name.startswith("x-amz-checksum-")
            and name not in ("x-amz-checksum-algorithm", "x-amz-checksum-type")
            for name in self.fields
        )

    def redirect(self) -> str | None:
        """success_action_redirect (or the older ``redirect``) when it is a URL S3 can interpret."""
        target = self.fields.get("success_action_redirect") or self.fields.get("redirect")
        if not target:
            return None
        parts = urlsplit(target)
        return target if parts.scheme in ("http", "https") and parts.netloc else None

    @property
    def success_status(self) -> int:
        """success_action_status: 200 or 201 if asked for, else (and for anything else) 204."""
        status = self.fields.get("success_action_status", "").strip()
        return int(status) if status in ("200", "201") else 204


def redirect_location(target: str, bucket: str, key: str, quoted_etag: str) -> str:
    """S3 keeps the URL's own query and adds bucket, key and etag to it, form-encoded."""
    separator = "&" if urlsplit(target).query else ("" if target.endswith("?") else "?")
    return target + separator + urlencode([("bucket", bucket), ("key", key), ("etag", quoted_etag)])
