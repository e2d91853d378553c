"""IAM's own checks on names, paths and tags, and its Marker/MaxItems pagination.

The wire codec already enforces the model's patterns and lengths; these are the rules the model cannot
express (tag keys unique without regard to case, tag quotas) plus defensive checks for callers that do not
come through the codec (other services, tests).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from hutch.services.iam import errors
from hutch.services.iam.model import Tags

MAX_TAGS = 50
DEFAULT_MAX_ITEMS = 100
_PATH = re.compile(r"/|/[\u0021-\u007E]+/")
_NAME = re.compile(r"[\w+=,.@-]+")

T = TypeVar("T")


def check_path(path: str | None) -> str:
    path = path or "/"
    if len(path) > 512 or not _PATH.fullmatch(path):
        raise errors.validation_error(
            f"The specified value for path is invalid. It must begin and end with / and contain only "
            f"alphanumeric characters and/or / characters. Value: {path}"
        )
    return path


def check_name(name: str, what: str, max_length: int = 64) -> str:
    if not name or len(name) > max_length or not _NAME.fullmatch(name):
        raise errors.validation_error(
            f"1 validation error detected: Value '{name}' at '{what}' failed to satisfy constraint: "
            r"Member must satisfy regular expression pattern: [\w+=,.@-]+"
        )
    return name


def tags_from_params(raw: Sequence[Mapping[str, Any]] | None) -> Tags:
    """Tags as given in a request, refusing keys repeated in any case."""
    tags = tuple((str(t["Key"]), str(t.get("Value", ""))) for t in raw or ())
    keys = [k.lower() for k, _ in tags]
    if len(set(keys)) != len(keys):
        raise errors.invalid_input(
            "Duplicate tag keys found. Please note that Tag keys are case insensitive."
        )
    if len(tags) > MAX_TAGS:
        raise errors.limit_exceeded(f"The number of tags has reached the maximum limit of {MAX_TAGS}.")
    return tags


def merge_tags(existing: Tags, added: Tags) -> Tags:
    """TagRole / TagUser: a key already present (in any case) takes the new key and value."""
    merged: dict[str, tuple[str, str]] = {k.lower(): (k, v) for k, v in existing}
    for key, value in added:
        merged[key.lower()] = (key, value)
    result = tuple(merged.values())
    if len(result) > MAX_TAGS:
        raise errors.limit_exceeded(f"The number of tags has reached the maximum limit of {MAX_TAGS}.")
    return result


def remove_tags(existing: Tags, keys: Iterable[str]) -> Tags:
    gone = {k.lower() for k in keys}
    return tuple((k, v) for k, v in existing if k.lower() not in gone)


def tags_out(tags: Tags) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags]


def paginate(
    items: Sequence[T], params: Mapping[str, Any], key: Callable[[T], str]
) -> tuple[list[T], dict[str, Any]]:
    """One page of ``items``, in ``key`` order, for Marker/MaxItems, and the IsTruncated/Marker members.

    The marker is the (encoded) key of the first item of the next page, so a page boundary survives
    items being added or removed between calls.
    """
    items = sorted(items, key=key)
    max_items = int(params.get("MaxItems") or DEFAULT_MAX_ITEMS)
    start = 0
    marker = params.get("Marker")
    if marker:
        try:
            after = base64.b64decode(marker.encode(), altchars=b"-_", validate=True).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise errors.validation_error("Invalid Marker.") from None
        start = next((i for i, item in enumerate(items) if key(item) >= after), len(items))
    page = list(items[start : start + max_items])
    rest = items[start + max_items :]
    if rest:
        next_marker = base64.urlsafe_b64encode(key(rest[0]).encode()).decode()
        return page, {"IsTruncated": True, "Marker": next_marker}
    return page, {"IsTruncated": False}
