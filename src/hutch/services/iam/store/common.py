"""Conversions shared by the IAM store modules."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from hutch.services.iam.model import Tags


def utc(value: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; every stored timestamp is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def tags_json(tags: Iterable[tuple[str, str]]) -> str:
    return json.dumps([[k, v] for k, v in tags])


def tags_from(text: str) -> Tags:
    return tuple((str(k), str(v)) for k, v in json.loads(text))


def strings_json(values: Iterable[str]) -> str:
    return json.dumps(list(values))


def strings_from(text: str) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(text))
