"""CORS rules: S3's validation messages, first-match semantics, the headers a browser needs."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.s3 import cors

RULES = [
    {
        "AllowedOrigins": ["https://app.example"],
        "AllowedMethods": ["GET", "PUT"],
        "AllowedHeaders": ["x-amz-*", "content-type"],
        "ExposeHeaders": ["ETag"],
        "MaxAgeSeconds": 600,
    },
    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]},
]


def rules() -> tuple[cors.CorsRule, ...]:
    return cors.load(cors.dump(cors.validate({"CORSRules": RULES})))


def test_specific_origin_with_allowed_headers_matches_first_rule() -> None:
    rule = cors.first_match(rules(), "https://app.example", "PUT", ["Content-Type", "x-amz-date"])
    assert rule is not None and rule.methods == ("GET", "PUT")
    headers = dict(rule.response_headers("https://app.example", ["Content-Type", "x-amz-date"]))
    assert headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert headers["Access-Control-Allow-Headers"] == "content-type, x-amz-date"
    assert headers["Access-Control-Expose-Headers"] == "ETag"
    assert headers["Access-Control-Max-Age"] == "600"


def test_header_not_allowed_falls_to_next_rule_or_nothing() -> None:
    assert cors.first_match(rules(), "https://app.example", "PUT", ["authorization"]) is None
    any_origin = cors.first_match(rules(), "https://other.example", "GET")
    assert any_origin is not None
    assert (
        dict(any_origin.response_headers("https://other.example", None))["Access-Control-Allow-Origin"] == "*"
    )


def test_method_and_origin_must_both_match() -> None:
    assert cors.first_match(rules(), "https://other.example", "PUT") is None
    assert cors.first_match(rules(), "https://app.example", "DELETE") is None


def test_origin_wildcard_matches_one_run() -> None:
    rule = cors.CorsRule(("https://*.example.com",), ("GET",), (), (), None)
    assert rule.allows_origin("https://a.b.example.com")
    assert not rule.allows_origin("https://example.com")
    assert not rule.allows_origin("http://a.example.com")


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}, "Unsupported method is PATCH"),
        ({"AllowedOrigins": ["*.*"], "AllowedMethods": ["GET"]}, "can not have more than one wildcard"),
        (
            {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedHeaders": ["**"]},
            "more than one wildcard",
        ),
        (
            {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposeHeaders": ["*"]},
            "do not support wildcard",
        ),
    ],
)
def test_invalid_rules_are_invalid_request(rule: dict[str, object], message: str) -> None:
    with pytest.raises(ServiceError) as err:
        cors.validate({"CORSRules": [rule]})
    assert err.value.code == "InvalidRequest"
    assert message in err.value.message


def test_empty_or_incomplete_configuration_is_malformed_xml() -> None:
    for config in ({"CORSRules": []}, {"CORSRules": [{"AllowedOrigins": ["*"]}]}, None):
        with pytest.raises(ServiceError) as err:
            cors.validate(config)  # type: ignore[arg-type]
        assert err.value.code == "MalformedXML"


def test_more_than_100_rules_is_refused() -> None:
    with pytest.raises(ServiceError):
        cors.validate({"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}] * 101})
