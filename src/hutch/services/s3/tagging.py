"""Object tags: the x-amz-tagging header and Tagging documents, validated as S3 validates them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from hutch.errors import ServiceError

MAX_TAGS = 10
MAX_KEY = 128
MAX_VALUE = 256


def _invalid(message: str) -> ServiceError:
    return ServiceError("InvalidTag", message, 400)


def validate(tags: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = tuple(tags)
    if len(items) > MAX_TAGS:
        raise ServiceError("BadRequest", f"Object tags cannot be greater than {MAX_TAGS}", 400)
    seen: set[str] = set()
    for key, value in items:
        if not key:
            raise _invalid("The TagKey you have provided is invalid")
        if len(key) > MAX_KEY:
            raise _invalid(f"The TagKey you have provided is too long, max {MAX_KEY}")
        if len(value) > MAX_VALUE:
            raise _invalid(f"The TagValue you have provided is too long, max {MAX_VALUE}")
        if key.lower().startswith("aws:"):
            raise _invalid("Your TagKey cannot be prefixed with aws:")
        if any(ord(c) < 0x20 for c in key + value):
            raise _invalid("The TagKey you have provided is invalid")
        if key in seen:
            raise _invalid("Cannot provide multiple Tags with the same key")
        seen.add(key)
    return items


def from_header(header: str | None) -> tuple[tuple[str, str], ...]:
    """x-amz-tagging: "k1=v1&k2=v2" (URL query encoding)."""
    if not header:
        return ()
    try:
        pairs = parse_qsl(header, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise _invalid(
            "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters "
            "without tag name duplicates."
        ) from None
    return validate(pairs)


def from_document(tagging: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """A Tagging document (PutObjectTagging) → validated pairs."""
    tag_set = (tagging or {}).get("TagSet") or []
    return validate((str(t.get("Key", "")), str(t.get("Value", ""))) for t in tag_set)


def to_tag_set(tags: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags]
