"""The rules every operator shares: missing keys, IfExists, negation, ForAllValues / ForAnyValue."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.policy.conditions.helpers import holds

K = "aws:TagKeys"


# Missing key: positive operators false, negated true, IfExists true; ForAllValues true, ForAnyValue
# false (true with IfExists). (IAM User Guide, "Condition operators" and "Multivalued context keys".)
@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("StringEquals", False),
        ("StringNotEquals", True),
        ("StringEqualsIfExists", True),
        ("StringNotEqualsIfExists", True),
        ("StringLike", False),
        ("StringNotLike", True),
        ("NumericEquals", False),
        ("NumericNotEquals", True),
        ("DateEquals", False),
        ("DateNotEquals", True),
        ("Bool", False),
        ("BoolIfExists", True),
        ("IpAddress", False),
        ("NotIpAddress", True),
        ("ArnLike", False),
        ("ArnNotLike", True),
        ("BinaryEquals", False),
        ("ForAllValues:StringEquals", True),
        ("ForAllValues:StringNotEquals", True),
        ("ForAnyValue:StringEquals", False),
        ("ForAnyValue:StringNotEquals", False),
        ("ForAnyValue:StringEqualsIfExists", True),
    ],
)
def test_missing_key_truth_table(operator: str, expected: bool) -> None:
    value = {
        "Numeric": "1",
        "Date": "2020-01-01T00:00:00Z",
        "Bool": "true",
        "IpAd": "10.0.0.0/8",
        "NotI": "10.0.0.0/8",
        "ArnL": "arn:aws:s3:::b",
        "ArnN": "arn:aws:s3:::b",
        "Bina": "AA==",
    }
    base = operator.rsplit(":", maxsplit=1)[-1]
    policy_value = next((v for prefix, v in value.items() if base.startswith(prefix)), "x")
    assert holds(operator, "some:key", policy_value, {}) is expected


def test_empty_multi_valued_key_counts_as_missing() -> None:
    assert holds("ForAllValues:StringEquals", K, "a", {K: []}) is True
    assert holds("ForAnyValue:StringEquals", K, "a", {K: []}) is False
    assert holds("StringEquals", K, "a", {K: []}) is False


def test_multiple_values_for_a_key_are_ored() -> None:
    assert holds("StringEquals", "k", ["a", "b"], {"k": "b"}) is True
    assert holds("StringEquals", "k", ["a", "b"], {"k": "c"}) is False


def test_negated_operator_with_multiple_values_is_nor() -> None:
    assert holds("StringNotEquals", "k", ["a", "b"], {"k": "c"}) is True
    assert holds("StringNotEquals", "k", ["a", "b"], {"k": "a"}) is False
    assert holds("StringNotEquals", "k", ["a", "b"], {"k": "b"}) is False


def test_condition_key_names_are_case_insensitive() -> None:
    assert holds("StringEquals", "AWS:UserName", "alice", {"aws:username": "alice"}) is True


def test_condition_values_are_case_sensitive() -> None:
    assert holds("StringEquals", "k", "Alice", {"k": "alice"}) is False


# ForAllValues / ForAnyValue truth tables (IAM User Guide, "Multivalued context key examples").
@pytest.mark.parametrize(
    ("operator", "request_values", "expected"),
    [
        ("ForAllValues:StringLike", ["key1:legal"], True),
        ("ForAllValues:StringLike", ["key1:hr", "key1:personnel"], True),
        ("ForAllValues:StringLike", ["key1:hr", "key2:audit"], False),
        ("ForAnyValue:StringLike", ["key2:audit", "key1:hr"], True),
        ("ForAnyValue:StringLike", ["key2:audit"], False),
        ("ForAllValues:StringNotLike", ["key1:legal"], False),
        ("ForAllValues:StringNotLike", ["key2:audit"], True),
        ("ForAllValues:StringNotLike", ["key2:audit", "key1:x"], False),
        ("ForAnyValue:StringNotLike", ["key2:audit", "key1:x"], True),
        ("ForAnyValue:StringNotLike", ["key1:x"], False),
    ],
)
def test_set_qualifier_truth_table(operator: str, request_values: list[str], expected: bool) -> None:
    assert holds(operator, K, "key1*", {K: request_values}) is expected


def test_unqualified_operator_on_multi_valued_key_in_a_deny() -> None:
    """Documented choice for Deny statements (stricter than an Allow, which never holds without a set
    operator): positive = some value matches; negated = no value matches."""
    assert holds("StringEquals", K, "a", {K: ["b", "a"]}, deny=True) is True
    assert holds("StringNotEquals", K, "a", {K: ["b", "a"]}, deny=True) is False
    assert holds("StringNotEquals", K, "a", {K: ["b", "c"]}, deny=True) is True


def test_uninterpretable_context_value_never_matches() -> None:
    assert holds("NumericEquals", "k", "1", {"k": "one"}) is False
    assert holds("NumericNotEquals", "k", "1", {"k": "one"}) is False
    assert holds("ForAllValues:NumericLessThan", "k", "5", {"k": ["1", "x"]}) is False


def test_uninterpretable_policy_value_fails_closed() -> None:
    assert holds("NumericNotEquals", "k", "abc", {"k": "1"}) is False
    assert holds("IpAddress", "k", "not-an-ip", {"k": "10.0.0.1"}) is False


def test_unresolved_variable_fails_closed_even_for_negated_operators() -> None:
    assert holds("StringNotEquals", "k", "${aws:username}", {"k": "x"}) is False
    assert holds("StringEqualsIfExists", "k", "${aws:username}", {}) is False


def test_variables_only_substituted_when_enabled() -> None:
    assert (
        holds(
            "StringEquals",
            "k",
            "${aws:username}",
            {"k": "${aws:username}", "aws:username": "a"},
            variables=False,
        )
        is True
    )
    assert holds("StringEquals", "k", "${aws:username}", {"k": "a", "aws:username": "a"}) is True


_VALUE = st.text(alphabet="ab/:", max_size=6)


@given(
    user=_VALUE,
    request_value=_VALUE,
    operator=st.sampled_from(["StringEquals", "StringNotEquals", "StringLike", "StringNotLike"]),
    suffix=st.sampled_from(["", "/*", "*", "/"]),
)
def test_variable_values_agree_with_the_same_value_written_literally(
    user: str, request_value: str, operator: str, suffix: str
) -> None:
    """The per-request fast path for ${...} values decides exactly as the value written in the policy."""
    with_variable = holds(
        operator, "k", f"p/${{aws:username}}{suffix}", {"k": request_value, "aws:username": user}
    )
    literal = holds(operator, "k", f"p/{user}{suffix}", {"k": request_value})
    assert with_variable is literal
    multi = holds(
        f"ForAnyValue:{operator}",
        "k",
        f"p/${{aws:username}}{suffix}",
        {"k": [request_value], "aws:username": user},
    )
    assert multi is literal
    in_deny = holds(
        operator, "k", f"p/${{aws:username}}{suffix}", {"k": [request_value], "aws:username": user}, deny=True
    )
    assert in_deny is literal


@given(
    user=st.text(alphabet="ab*?", min_size=1, max_size=5), request_value=st.text(alphabet="ab*?", max_size=6)
)
def test_substituted_value_with_wildcards_matches_only_itself(user: str, request_value: str) -> None:
    """A value containing * or ? never widens StringLike: it matches exactly its own text."""
    assert holds("StringLike", "k", "${aws:username}", {"k": request_value, "aws:username": user}) is (
        request_value == user
    )
    assert holds(
        "StringLike", "k", "x/${aws:username}/*", {"k": f"x/{request_value}/f", "aws:username": user}
    ) is (request_value == user)


# --- values that cannot be read, in Deny statements -------------------------------------------------
# IAM User Guide, "Policy variables with no value": a variable with no value is "effectively null. There
# is no equal or like value" -- StringEquals / StringLike do not match, and "Inverted condition operators
# like StringNotEquals or StringNotLike do match against a null value". In a Deny statement that is
# what makes the deny apply; in an Allow statement hutch keeps failing closed (the test is false).


def test_deny_negated_operator_matches_when_policy_variable_has_no_value() -> None:
    tag = "s3:ExistingObjectTag/Team"
    assert holds("StringNotEquals", tag, "${aws:PrincipalTag/Team}", {tag: "red"}, deny=True) is True
    assert holds("StringNotLike", tag, "${aws:PrincipalTag/Team}*", {tag: "red"}, deny=True) is True
    assert (
        holds(
            "ArnNotLike",
            "aws:SourceArn",
            "arn:aws:s3:::${aws:username}",
            {"aws:SourceArn": "arn:aws:s3:::b"},
            deny=True,
        )
        is True
    )
    # ... and, as an Allow, still fails closed.
    assert holds("StringNotEquals", tag, "${aws:PrincipalTag/Team}", {tag: "red"}) is False


def test_deny_positive_operator_does_not_match_a_policy_variable_with_no_value() -> None:
    tag = "s3:ExistingObjectTag/Team"
    assert holds("StringEquals", tag, "${aws:PrincipalTag/Team}", {tag: "red"}, deny=True) is False
    assert holds("StringEquals", tag, ["${aws:PrincipalTag/Team}", "red"], {tag: "red"}, deny=True) is True
    assert (
        holds("StringNotEquals", tag, ["${aws:PrincipalTag/Team}", "red"], {tag: "red"}, deny=True) is False
    )


def test_deny_if_exists_with_missing_key_holds_whatever_the_policy_variable() -> None:
    """ "...IfExists: If the key is not present, evaluate the condition element as true."""
    assert holds("StringNotEqualsIfExists", "k", "${aws:username}", {}, deny=True) is True
    assert holds("StringEqualsIfExists", "k", "${aws:username}", {}, deny=True) is True


def test_deny_negated_operator_with_multi_valued_variable_key_still_matches() -> None:
    """A multivalued key cannot be a policy variable: it has no value to substitute."""
    context = {"k": "a", "aws:TagKeys": ["a", "b"]}
    assert holds("StringNotEquals", "k", "${aws:TagKeys}", context, deny=True) is True


def test_deny_negated_operator_skips_unreadable_policy_value() -> None:
    """An unreadable range matches no address, so an address outside the readable ranges is still
    "all IP addresses except the specified IP address or range" for NotIpAddress."""
    ranges = ["10.0.0.0/8", "10.0.0.1/33"]
    assert holds("NotIpAddress", "aws:SourceIp", ranges, {"aws:SourceIp": "198.51.100.1"}, deny=True) is True
    assert holds("NotIpAddress", "aws:SourceIp", ranges, {"aws:SourceIp": "10.1.2.3"}, deny=True) is False
    assert holds("IpAddress", "aws:SourceIp", ranges, {"aws:SourceIp": "10.1.2.3"}, deny=True) is True
    assert holds("NotIpAddress", "aws:SourceIp", ranges, {"aws:SourceIp": "198.51.100.1"}) is False


def test_deny_negated_operator_holds_for_unreadable_request_value() -> None:
    """A request value that is not an IP (a number, a date) equals none of the policy's values."""
    assert holds("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", {"aws:SourceIp": "garbage"}, deny=True) is True
    assert holds("IpAddress", "aws:SourceIp", "10.0.0.0/8", {"aws:SourceIp": "garbage"}, deny=True) is False
    assert holds("NumericNotEquals", "k", "1", {"k": "one"}, deny=True) is True
    assert holds("ForAllValues:NumericNotEquals", "k", "1", {"k": ["2", "x"]}, deny=True) is True


# --- multivalued keys without a set operator --------------------------------------------------------


def test_bare_operator_on_multivalued_key_never_satisfies_an_allow() -> None:
    """ "Multivalued context keys require a condition set operator" (IAM User Guide, "Single-valued vs.
    multivalued context keys"); without ForAnyValue:/ForAllValues: the test does not hold, so an Allow
    written with a bare operator grants nothing for a multivalued key."""
    amr = "cognito-identity.amazonaws.com:amr"
    values = ["authenticated", "cognito-idp.us-east-1.amazonaws.com/pool"]
    assert holds("StringEquals", amr, "authenticated", {amr: values}) is False
    assert holds("StringLike", amr, "auth*", {amr: values}) is False
    assert holds("StringNotEquals", amr, "unauthenticated", {amr: values}) is False
    assert holds("StringEquals", amr, "authenticated", {amr: ["authenticated"]}) is False
    assert holds("ForAnyValue:StringEquals", amr, "authenticated", {amr: values}) is True
