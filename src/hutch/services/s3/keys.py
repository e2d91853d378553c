"""Object keys and bucket names: validation, byte order, and the bounds listings seek between.

Keys never become file paths (blobs are named by random ids), so "../", "/abs", NUL or very long segments are
just bytes here. What S3 itself refuses is refused: keys over 1024 UTF-8 bytes, and text that is not UTF-8.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from hutch.errors import ServiceError

MAX_KEY_BYTES = 1024

_BUCKET_CHARS = re.compile(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def bucket_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid general-purpose bucket name, or None when it is."""
    if not 3 <= len(name) <= 63:
        return "Bucket name must be between 3 and 63 characters long."
    if not _BUCKET_CHARS.match(name):
        return (
            "Bucket name can consist only of lowercase letters, numbers, periods and hyphens, "
            "and must begin and end with a letter or number."
        )
    if ".." in name:
        return "Bucket name must not contain two adjacent periods."
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        return "Bucket name must not be formatted as an IP address."
    if name.startswith(_RESERVED_PREFIXES) or name.endswith(_RESERVED_SUFFIXES):
        return "Bucket name uses a reserved prefix or suffix."
    return None


def check_bucket_name(name: str) -> None:
    problem = bucket_name_problem(name)
    if problem is not None:
        raise ServiceError(
            "InvalidBucketName",
            f"The specified bucket is not valid. {problem}",
            400,
            fields={"BucketName": name},
        )


def key_bytes(key: str) -> bytes:
    """The key as stored and ordered: its UTF-8 bytes. Rejects what S3 rejects."""
    try:
        raw = key.encode("utf-8")
    except UnicodeEncodeError:
        raise ServiceError("InvalidArgument", "Object key is not valid UTF-8.", 400) from None
    if not raw:
        raise ServiceError("InvalidArgument", "Object key must not be empty.", 400)
    if len(raw) > MAX_KEY_BYTES:
        raise ServiceError(
            "KeyTooLongError",
            "Your key is too long",
            400,
            fields={"Size": str(len(raw)), "MaxSizeAllowed": str(MAX_KEY_BYTES)},
        )
    return raw


def text(raw: bytes) -> str:
    return raw.decode("utf-8")


def prefix_end(prefix: bytes) -> bytes | None:
    """The smallest byte string greater than every string that starts with ``prefix`` (None: no bound).

    For "a/" that is "a0": everything from "a/" up to (not including) "a0" starts with "a/".
    """
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


def check_version(params: dict[str, Any]) -> None:
    """hutch keeps no versions: only the current ("null") version exists."""
    version = params.get("VersionId")
    if version is not None and version != "null":
        raise ServiceError(
            "InvalidArgument",
            "Invalid version id specified",
            400,
            fields={"ArgumentName": "versionId", "ArgumentValue": str(version)},
        )


def key_encoder(params: dict[str, Any]) -> Callable[[str], str]:
    """How listings write keys: as is, or (encoding-type=url) URL-encoded, which any byte survives."""
    encoding = params.get("EncodingType")
    if encoding is None:
        return lambda s: s
    if encoding != "url":
        raise ServiceError(
            "InvalidArgument",
            "Invalid Encoding Method specified in Request",
            400,
            fields={"ArgumentName": "encoding-type", "ArgumentValue": str(encoding)},
        )
    return lambda s: quote(s, safe="/")
