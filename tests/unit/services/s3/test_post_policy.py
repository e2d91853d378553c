"""POST policies: parsing as S3 parses them, conditions, the coverage rule, and S3's wording of each refusal."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.services.s3 import post_policy
from hutch.services.s3.post_policy import PostPolicy

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
LATER = "2026-11-26T13:00:00Z"
BUCKET = "photos"


def encode(document: Any) -> str:
    text = document if isinstance(document, str) else json.dumps(document)
    return base64.b64encode(text.encode()).decode()


def policy(*conditions: Any, expiration: str = LATER) -> PostPolicy:
    return post_policy.parse(encode({"expiration": expiration, "conditions": list(conditions)}))


def check(
    p: PostPolicy, fields: dict[str, str], *, sigv2: bool = False, names: list[str] | None = None
) -> None:
    p.check(NOW, fields, names if names is not None else list(fields), BUCKET, sigv2=sigv2)


def denied(p: PostPolicy, fields: dict[str, str], **kwargs: Any) -> str:
    with pytest.raises(ServiceError) as caught:
        check(p, fields, **kwargs)
    assert (caught.value.code, caught.value.status) == ("AccessDenied", 403)
    return caught.value.message


def invalid(document: Any) -> str:
    with pytest.raises(ServiceError) as caught:
        post_policy.parse(encode(document))
    assert (caught.value.code, caught.value.status) == ("InvalidPolicyDocument", 400)
    return caught.value.message


def test_a_boto3_policy_accepts_the_form_it_was_made_for() -> None:
    p = policy(
        {"bucket": BUCKET},
        ["starts-with", "$key", "u/alice/"],
        {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
        ["content-length-range", 1, 1024],
    )
    check(p, {"key": "u/alice/cat.jpg", "x-amz-algorithm": "AWS4-HMAC-SHA256"})
    assert p.length_range() == (1, 1024)


def test_the_bucket_condition_is_the_bucket_posted_to_not_a_field() -> None:
    check(policy({"bucket": BUCKET}), {})
    assert denied(policy({"bucket": "other"}), {"bucket": "other"}) == (
        'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other"]'
    )


def test_an_expired_policy_is_refused_from_its_expiration_instant() -> None:
    at_now = NOW.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert denied(policy(expiration=at_now), {}) == "Invalid according to Policy: Policy expired."
    check(policy(expiration=(NOW + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")), {})


def test_eq_is_exact_and_case_sensitive_in_its_value() -> None:
    p = policy(["eq", "$acl", "private"])
    check(p, {"acl": "private"})
    assert denied(p, {"acl": "Private"}).endswith('Policy Condition failed: ["eq", "$acl", "private"]')


def test_condition_names_and_operators_are_case_insensitive() -> None:
    check(
        policy(["StArTs-WiTh", "$KeY", "u/"], {"Content-Type": "text/plain"}),
        {"key": "u/x", "content-type": "text/plain"},
    )


def test_starts_with_an_empty_prefix_accepts_any_value_but_not_an_absent_field() -> None:
    p = policy(["starts-with", "$success_action_redirect", ""])
    check(p, {"success_action_redirect": "https://example.com/done"})
    assert "Policy Condition failed" in denied(p, {})


def test_a_name_without_a_dollar_never_matches() -> None:
    assert "Policy Condition failed" in denied(policy(["eq", "key", "k"]), {"key": "k"})


def test_content_type_lists_must_all_start_with_the_prefix() -> None:
    p = policy(["starts-with", "$Content-Type", "image/"])
    check(p, {"content-type": "image/jpg,image/png, image/gif"})
    denied(p, {"content-type": "image/jpg,text/plain"})
    # Only Content-Type is a list: elsewhere a comma is just a character.
    check(policy(["starts-with", "$x-amz-meta-tags", "a"]), {"x-amz-meta-tags": "a,b"})


def test_a_simple_condition_is_reported_as_the_eq_it_stands_for_with_quotes_escaped() -> None:
    message = denied(policy({"Content-Disposition": 'filename="a.png"'}), {"content-disposition": "x"})
    assert message == (
        'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Disposition", "filename=\\"a.png\\""]'
    )


def test_every_field_must_be_named_by_a_condition() -> None:
    p = policy({"key": "k"})
    assert denied(p, {"key": "k", "x-amz-meta-note": "n"}, names=["key", "X-Amz-Meta-Note"]) == (
        "Invalid according to Policy: Extra input fields: X-Amz-Meta-Note"
    )


def test_the_signature_policy_file_and_x_ignore_fields_need_no_condition() -> None:
    p = policy({"key": "k"})
    check(p, {"key": "k", "policy": "p", "x-amz-signature": "s", "x-ignore-submit": "Go"})
    check(p, {"key": "k", "policy": "p", "signature": "s", "awsaccesskeyid": "A"}, sigv2=True)
    # SigV2's own fields are only exempt in a SigV2 form.
    assert denied(p, {"key": "k", "awsaccesskeyid": "A"}).endswith("Extra input fields: awsaccesskeyid")


def test_content_length_range_bounds_may_be_strings_and_several_ranges_intersect() -> None:
    p = policy(["content-length-range", "5", "10"], ["content-length-range", 0, 8])
    assert p.length_range() == (5, 8)
    assert policy().length_range() == (0, None)


def test_a_content_length_range_that_is_not_numbers_fails_as_a_condition() -> None:
    assert denied(policy(["content-length-range", "test", "10"]), {}) == (
        'Invalid according to Policy: Policy Condition failed: ["content-length-range", "test", "10"]'
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not json", "Invalid Policy: Invalid JSON."),
        ("[]", "Invalid Policy: Invalid JSON."),
        (
            {"expiration": LATER, "conditions": [["content-length-range", 0, 512.0]]},
            "Invalid Policy: Invalid JSON.",
        ),
        ({"expiration": LATER, "conditions": [{"acl": None}]}, "Invalid Policy: Invalid JSON."),
        ({"expiration": LATER, "conditions": [["eq", "$acl", 1]]}, "Invalid Policy: Invalid JSON."),
        (
            {"Statement": [], "expiration": LATER, "conditions": []},
            "Invalid Policy: Unexpected: 'statement'.",
        ),
        ({"EXPIRATION": LATER, "conditions": []}, "Invalid Policy: Unexpected: 'expiration'."),
        ({"conditions": []}, "Invalid Policy: Policy missing expiration."),
        ({"expiration": LATER}, "Invalid Policy: Policy missing conditions."),
        (
            {"expiration": LATER, "conditions": {}},
            "Invalid Policy: Invalid 'conditions' value: must be a List.",
        ),
        (
            {"expiration": "2026-11-26T13:00:00+02:00", "conditions": []},
            "Invalid Policy: Invalid 'expiration' value: '2026-11-26T13:00:00+02:00'",
        ),
        (
            {"expiration": "2026-11-26 13:00:00", "conditions": []},
            "Invalid Policy: Invalid 'expiration' value: '2026-11-26 13:00:00'",
        ),
        (
            {"expiration": LATER, "conditions": [{}]},
            "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.",
        ),
        (
            {"expiration": LATER, "conditions": [{"bucket": "b", "key": "k"}]},
            "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.",
        ),
        (
            {"expiration": LATER, "conditions": [{"Content-Length": 6199034}]},
            "Invalid Policy: Invalid Simple-Condition: value must be a string.",
        ),
        (
            {"expiration": LATER, "conditions": [[]]},
            "Invalid Policy: Invalid Condition: missing operation identifier.",
        ),
        (
            {"expiration": LATER, "conditions": [["matches", "$key", "k"]]},
            "Invalid Policy: Invalid Condition: unknown operation 'matches'.",
        ),
        (
            {"expiration": LATER, "conditions": [["content-length-range", 0]]},
            "Invalid Policy: Invalid content-length-range: wrong number of arguments.",
        ),
        (
            {"expiration": LATER, "conditions": [["content-length-range", -1, 0]]},
            "Invalid Policy: Invalid content-length-range: bounds must be non-negative integers.",
        ),
        (
            {"expiration": LATER, "conditions": ["key"]},
            "Invalid Policy: Invalid condition test: must be a List or Object.",
        ),
    ],
)
def test_documents_s3_cannot_read_are_invalid_policy_documents(document: Any, message: str) -> None:
    assert invalid(document) == message


def test_a_policy_that_is_not_base64_is_an_invalid_policy_document() -> None:
    with pytest.raises(ServiceError) as caught:
        post_policy.parse("not base64!")
    assert caught.value.code == "InvalidPolicyDocument"


def test_expiration_with_and_without_milliseconds_is_read_as_utc() -> None:
    assert policy(expiration="2026-11-26T13:00:00.000Z").expiration == datetime(2026, 11, 26, 13, tzinfo=UTC)
    assert policy(expiration="2026-11-26T13:00:00Z").expiration == datetime(2026, 11, 26, 13, tzinfo=UTC)


def test_size_errors_carry_the_sizes() -> None:
    small = post_policy.entity_too_small(1, 5)
    assert (small.code, small.status, small.fields) == (
        "EntityTooSmall",
        400,
        {"ProposedSize": "1", "MinSizeAllowed": "5"},
    )
    large = post_policy.entity_too_large(12, 10)
    assert (large.code, large.fields) == ("EntityTooLarge", {"ProposedSize": "12", "MaxSizeAllowed": "10"})
    assert post_policy.entity_too_large(None, 10).fields == {"MaxSizeAllowed": "10"}
