"""A bucket's CORS rules: validation (PutBucketCors), preflight answers, and headers on actual responses.

The first rule whose AllowedOrigins, AllowedMethods and (for a preflight) AllowedHeaders all match decides,
as S3 does. Origins and headers may hold one ``*`` wildcard; header names compare case-insensitively.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hutch.errors import ServiceError
from hutch.services.s3.errors import malformed_xml

METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
MAX_RULES = 100

NOT_ENABLED = "CORS is not enabled for this bucket."
# S3's own wording, typo included.
NOT_ALLOWED = (
    "This CORS request is not allowed. This is usually because the evalution of Origin, request method / "
    "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's "
    "CORS spec."
)


def _wildcard_match(pattern: str, value: str) -> bool:
    if "*" not in pattern:
        return pattern == value
    head, _, tail = pattern.partition("*")
    return len(value) >= len(head) + len(tail) and value.startswith(head) and value.endswith(tail)


@dataclass(frozen=True)
class CorsRule:
    origins: tuple[str, ...]
    methods: tuple[str, ...]
    headers: tuple[str, ...]  # lower-case patterns
    expose: tuple[str, ...]
    max_age: int | None
    rule_id: str | None = None

    @classmethod
    def from_api(cls, rule: dict[str, Any]) -> CorsRule:
        return cls(
            origins=tuple(rule.get("AllowedOrigins") or ()),
            methods=tuple(rule.get("AllowedMethods") or ()),
            headers=tuple(h.lower() for h in rule.get("AllowedHeaders") or ()),
            expose=tuple(rule.get("ExposeHeaders") or ()),
            max_age=rule.get("MaxAgeSeconds"),
            rule_id=rule.get("ID"),
        )

    def allows_origin(self, origin: str) -> bool:
        return any(_wildcard_match(p, origin) for p in self.origins)

    def allows_headers(self, requested: Sequence[str]) -> bool:
        return all(any(_wildcard_match(p, h.lower()) for p in self.headers) for h in requested)

    def matches(self, origin: str, method: str, requested_headers: Sequence[str] = ()) -> bool:
        return (
            method in self.methods and self.allows_origin(origin) and self.allows_headers(requested_headers)
        )

    def response_headers(self, origin: str, requested_headers: Sequence[str] | None) -> list[tuple[str, str]]:
        any_origin = "*" in self.origins
        out = [("Access-Control-Allow-Origin", "*" if any_origin else origin)]
        if not any_origin:
            out.append(("Access-Control-Allow-Credentials", "true"))
        out.append(("Access-Control-Allow-Methods", ", ".join(self.methods)))
        if requested_headers:
            out.append(("Access-Control-Allow-Headers", ", ".join(h.lower() for h in requested_headers)))
        if self.expose:
            out.append(("Access-Control-Expose-Headers", ", ".join(self.expose)))
        if self.max_age is not None:
            out.append(("Access-Control-Max-Age", str(self.max_age)))
        out.append(("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"))
        return out


def validate(config: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The CORSRules of a PutBucketCors request, checked as S3 checks them."""
    rules = (config or {}).get("CORSRules") or []
    if not rules:
        raise malformed_xml()
    if len(rules) > MAX_RULES:
        raise ServiceError(
            "InvalidRequest",
            f"The number of CORS rules should not exceed allowed limit of {MAX_RULES} rules.",
            400,
        )
    for rule in rules:
        if not rule.get("AllowedMethods") or not rule.get("AllowedOrigins"):
            raise malformed_xml()
        for method in rule["AllowedMethods"]:
            if method not in METHODS:
                raise ServiceError(
                    "InvalidRequest",
                    f"Found unsupported HTTP method in CORS config. Unsupported method is {method}",
                    400,
                )
        for origin in rule["AllowedOrigins"]:
            if origin.count("*") > 1:
                raise ServiceError(
                    "InvalidRequest", f'AllowedOrigin "{origin}" can not have more than one wildcard.', 400
                )
        for header in rule.get("AllowedHeaders") or ():
            if header.count("*") > 1:
                raise ServiceError(
                    "InvalidRequest", f'AllowedHeader "{header}" can not have more than one wildcard.', 400
                )
        for header in rule.get("ExposeHeaders") or ():
            if "*" in header:
                raise ServiceError(
                    "InvalidRequest",
                    f'ExposeHeader "{header}" contains wildcard. We currently do not support wildcard for '
                    "ExposeHeader.",
                    400,
                )
        max_age = rule.get("MaxAgeSeconds")
        if max_age is not None and max_age < 0:
            raise malformed_xml()
    return [dict(r) for r in rules]


def dump(rules: list[dict[str, Any]]) -> str:
    return json.dumps(rules, separators=(",", ":"))


def load(raw: str | None) -> tuple[CorsRule, ...]:
    if not raw:
        return ()
    return tuple(CorsRule.from_api(r) for r in json.loads(raw))


def load_api(raw: str) -> list[dict[str, Any]]:
    return list(json.loads(raw))


def first_match(
    rules: Sequence[CorsRule], origin: str, method: str, requested_headers: Sequence[str] = ()
) -> CorsRule | None:
    for rule in rules:
        if rule.matches(origin, method, requested_headers):
            return rule
    return None


def split_header_list(value: str | None) -> list[str]:
    return [h.strip() for h in (value or "").split(",") if h.strip()]
