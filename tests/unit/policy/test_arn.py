"""ARN patterns: part-wise matching, wildcards, variables."""

from __future__ import annotations

import pytest

from hutch.policy.arn import ArnPattern, looks_like_arn
from hutch.policy.context import RequestContext
from hutch.policy.variables import parse_template


def _match(pattern: str, arn: str, context: dict[str, str] | None = None) -> bool | None:
    compiled = ArnPattern(parse_template(pattern, variables=True, wildcards=True))
    return compiled.match(arn, RequestContext(context or {}))


@pytest.mark.parametrize(
    ("pattern", "arn", "expected"),
    [
        ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket", True),
        ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket2", False),
        ("arn:aws:s3:::bucket", "arn:aws:s3:::Bucket", False),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False),
        ("*", "arn:aws:s3:::bucket/key", True),
        ("*", "*", True),
        ("arn:aws:s3:::bucket", "*", False),
        ("arn:aws:s3:*", "arn:aws:s3:::bucket/key", True),
        ("arn:aws:s3:*", "arn:aws:iam::123456789012:user/x", False),
        ("arn:aws:iam::*:role/R", "arn:aws:iam::123456789012:role/R", True),
        ("arn:aws:iam::*:role/R", "arn:aws:iam::123456789012:role/Q", False),
        ("arn:aws:iam::12345678901?:role/R", "arn:aws:iam::123456789012:role/R", True),
        # A wildcard inside a part does not cross into the next part...
        ("arn:aws:iam::1*2:role/R", "arn:aws:iam::1:x:2:role/R", False),
        # ...but a '*' that ends a part may expand beyond the colon.
        ("arn:aws:iam::1*:role/R", "arn:aws:iam::1:x:role/R", True),
        ("arn:aws:?3:::b", "arn:aws:s3:::b", True),
    ],
)
def test_arn_pattern_table(pattern: str, arn: str, expected: bool) -> None:
    assert _match(pattern, arn) is expected


def test_variable_substituted_literally() -> None:
    pattern = "arn:aws:s3:::b/home/${aws:username}/*"
    assert _match(pattern, "arn:aws:s3:::b/home/alice/f", {"aws:username": "alice"}) is True
    assert _match(pattern, "arn:aws:s3:::b/home/bob/f", {"aws:username": "alice"}) is False


def test_variable_value_with_star_does_not_widen() -> None:
    pattern = "arn:aws:s3:::b/home/${aws:username}/*"
    assert _match(pattern, "arn:aws:s3:::b/home/bob/f", {"aws:username": "*"}) is False
    assert _match(pattern, "arn:aws:s3:::b/home/*/f", {"aws:username": "*"}) is True


def test_unresolved_variable_is_none() -> None:
    assert _match("arn:aws:s3:::b/${aws:username}", "arn:aws:s3:::b/x") is None


def test_variable_in_account_part_with_colon_cannot_align() -> None:
    pattern = "arn:aws:iam::${aws:PrincipalAccount}:role/R"
    assert (
        _match(pattern, "arn:aws:iam::123456789012:role/R", {"aws:PrincipalAccount": "123456789012"}) is True
    )
    assert _match(pattern, "arn:aws:iam::1:2:role/R", {"aws:PrincipalAccount": "1:2"}) is False


def test_looks_like_arn() -> None:
    assert looks_like_arn("arn:aws:s3:::b")
    assert not looks_like_arn("arn:aws:s3")
    assert not looks_like_arn("bucket")


@pytest.mark.timeout(10)
def test_expanding_parts_against_many_colons_finish() -> None:
    """Inner parts ending in '*' use the DP matcher: bounded by len(arn) * len(pattern)."""
    arn = "arn:aws:s3:::" + ":" * 3000 + "y"
    assert _match("arn:*:*:*:*:x", arn) is False
    assert _match("arn:*:*:*:*:*y", arn) is True


def test_request_arn_is_matched_literally_never_as_a_pattern() -> None:
    """An S3 key may literally contain '*' or '?': only the policy side holds wildcards."""
    assert _match("arn:aws:s3:::b/public/*", "arn:aws:s3:::b/*") is False
    assert _match("arn:aws:s3:::b/abc", "arn:aws:s3:::b/a?c") is False
    assert _match("arn:aws:s3:::b/a?c", "arn:aws:s3:::b/a?c") is True  # '?' matches the literal '?'
    assert (
        _match("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/*/x", {"aws:username": "alice"}) is False
    )
    assert _match("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/*/x", {"aws:username": "*"}) is True
