"""Policy parsing and IAM's MalformedPolicyDocument reasons, per element and per policy kind."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hutch.policy.document import PolicyKind, parse_policy
from hutch.policy.errors import MalformedPolicyError

ALLOW_LIST = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}


def _doc(*statements: dict[str, Any], version: str | None = "2012-10-17", **extra: Any) -> str:
    body: dict[str, Any] = {"Statement": list(statements) if len(statements) != 1 else statements[0], **extra}
    if version is not None:
        body["Version"] = version
    return json.dumps(body)


def _reason(text: str, kind: PolicyKind = PolicyKind.IDENTITY) -> str:
    with pytest.raises(MalformedPolicyError) as info:
        parse_policy(text, kind)
    return info.value.reason


def test_parses_statement_object_or_list() -> None:
    single = parse_policy(_doc(ALLOW_LIST), PolicyKind.IDENTITY)
    listed = parse_policy(
        json.dumps({"Version": "2012-10-17", "Statement": [ALLOW_LIST]}), PolicyKind.IDENTITY
    )
    assert single.statements[0].actions == listed.statements[0].actions == ("s3:ListBucket",)
    assert single.statements[0].resources == ("arn:aws:s3:::b",)


def test_elements_typed() -> None:
    policy = parse_policy(
        _doc(
            {
                "Sid": "S1",
                "Effect": "Deny",
                "NotAction": ["s3:Get*", "s3:List*"],
                "NotResource": "arn:aws:s3:::b/*",
                "Condition": {"Bool": {"aws:SecureTransport": False}, "NumericLessThan": {"s3:max-keys": 10}},
            }
        ),
        PolicyKind.IDENTITY,
    )
    statement = policy.statements[0]
    assert statement.sid == "S1" and statement.effect == "Deny"
    assert statement.actions_negated and statement.resources_negated
    assert statement.actions == ("s3:Get*", "s3:List*")
    values = {c.operator: c.values for c in statement.conditions}
    assert values == {"Bool": ("false",), "NumericLessThan": ("10",)}
    assert policy.variables_enabled


def test_principal_forms() -> None:
    text = _doc(
        {
            "Effect": "Allow",
            "Principal": {
                "AWS": ["123456789012", "arn:aws:iam::123456789012:role/R"],
                "Service": "s3.amazonaws.com",
            },
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
        }
    )
    principal = parse_policy(text, PolicyKind.RESOURCE).statements[0].principal
    assert principal is not None and not principal.everyone and not principal.negated
    assert principal.of_type("AWS") == ("123456789012", "arn:aws:iam::123456789012:role/R")
    star = parse_policy(_doc({**ALLOW_LIST, "Principal": "*"}), PolicyKind.RESOURCE).statements[0].principal
    assert star is not None and star.everyone
    aws_star = parse_policy(_doc({**ALLOW_LIST, "Principal": {"AWS": "*"}}), PolicyKind.RESOURCE)
    assert aws_star.statements[0].principal is not None and aws_star.statements[0].principal.everyone


def test_statement_spans_cover_each_statement() -> None:
    text = '{"Version": "2012-10-17",\n "Statement": [\n  {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n  {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}]}'
    policy = parse_policy(text, PolicyKind.IDENTITY)
    spans = [s.span for s in policy.statements]
    assert all(span is not None for span in spans)
    assert [json.loads(text[a:b])["Effect"] for a, b in spans] == ["Allow", "Deny"]  # type: ignore[misc]


# (document, kind, IAM's reason)
CASES: list[tuple[str, PolicyKind, str]] = [
    ("This is not a json document", PolicyKind.IDENTITY, "Syntax errors in policy."),
    ("[]", PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc(ALLOW_LIST, version="2013-10-17"), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (json.dumps({"Version": "2012-10-17"}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (json.dumps({"Version": "2012-10-17", "Statement": []}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (
        json.dumps({"Version": "2012-10-17", "Statement": ["x"]}),
        PolicyKind.IDENTITY,
        "Syntax errors in policy.",
    ),
    (_doc(ALLOW_LIST, Extra="x"), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc({**ALLOW_LIST, "Extra": "x"}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc(ALLOW_LIST, Id=["x"]), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc({**ALLOW_LIST, "Effect": "invalid"}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc({**ALLOW_LIST, "Effect": "denY"}), PolicyKind.IDENTITY, "The policy failed legacy parsing"),
    (_doc({"Action": "s3:ListBucket", "Resource": "*"}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (
        _doc({**ALLOW_LIST, "Action": "invalid"}),
        PolicyKind.IDENTITY,
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
    ),
    (_doc({**ALLOW_LIST, "Action": "a a:ListBucket"}), PolicyKind.IDENTITY, "Vendor a a is not valid"),
    (
        _doc({**ALLOW_LIST, "Action": "s3:List:Bucket"}),
        PolicyKind.IDENTITY,
        "Actions/Condition can contain only one colon.",
    ),
    (
        _doc({**ALLOW_LIST, "Resource": "invalid resource"}),
        PolicyKind.IDENTITY,
        'Resource invalid resource must be in ARN format or "*".',
    ),
    (_doc({**ALLOW_LIST, "Resource": ""}), PolicyKind.IDENTITY, 'Resource  must be in ARN format or "*".'),
    (
        _doc({**ALLOW_LIST, "Resource": "arn:aws"}),
        PolicyKind.IDENTITY,
        "Resource vendor must be fully qualified and cannot contain regexes.",
    ),
    (
        _doc({**ALLOW_LIST, "Resource": "arn:error:s3:::b"}),
        PolicyKind.IDENTITY,
        'Partition "error" is not valid for resource "arn:error:s3:::b".',
    ),
    (
        _doc({**ALLOW_LIST, "Resource": "arn:aws:s3::b"}),
        PolicyKind.IDENTITY,
        "The policy failed legacy parsing",
    ),
    (
        _doc({**ALLOW_LIST, "Resource": "arn:aws:s3:us-east-1::b"}),
        PolicyKind.IDENTITY,
        "Resource arn:aws:s3:us-east-1::b can not contain region information.",
    ),
    (
        _doc({**ALLOW_LIST, "Resource": "arn:aws:iam:us-east-1::user/x"}),
        PolicyKind.IDENTITY,
        "IAM resource arn:aws:iam:us-east-1::user/x cannot contain region information.",
    ),
    (
        _doc({"Effect": "Allow", "Action": "s3:ListBucket"}),
        PolicyKind.IDENTITY,
        "Policy statement must contain resources.",
    ),
    (_doc({**ALLOW_LIST, "Resource": []}), PolicyKind.IDENTITY, "Policy statement must contain resources."),
    (
        _doc({"Effect": "Allow", "Resource": "*"}),
        PolicyKind.IDENTITY,
        "Policy statement must contain actions.",
    ),
    (_doc({**ALLOW_LIST, "Action": []}), PolicyKind.IDENTITY, "Policy statement must contain actions."),
    (_doc({**ALLOW_LIST, "NotAction": "s3:Get*"}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc({**ALLOW_LIST, "NotResource": "*"}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc({**ALLOW_LIST, "Resource": {"a": "b"}}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc({**ALLOW_LIST, "Action": [[]]}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc({**ALLOW_LIST, "Condition": []}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (_doc({**ALLOW_LIST, "Condition": {"a": "b"}}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (
        _doc({**ALLOW_LIST, "Condition": {"StringEqualz": {"a": "1"}}}),
        PolicyKind.IDENTITY,
        "Syntax errors in policy.",
    ),
    (
        _doc({**ALLOW_LIST, "Condition": {"ForAnyValue::StringEquals": {"a": "1"}}}),
        PolicyKind.IDENTITY,
        "Syntax errors in policy.",
    ),
    (
        _doc({**ALLOW_LIST, "Condition": {"NullIfExists": {"a": "true"}}}),
        PolicyKind.IDENTITY,
        "Syntax errors in policy.",
    ),
    (
        _doc({**ALLOW_LIST, "Condition": {"DateGreaterThan": {"a": {}}}}),
        PolicyKind.IDENTITY,
        "Syntax errors in policy.",
    ),
    (
        _doc({**ALLOW_LIST, "Condition": {"DateGreaterThan": {"a": "sdfdsf"}}}),
        PolicyKind.IDENTITY,
        "The policy failed legacy parsing",
    ),
    (_doc({**ALLOW_LIST, "Sid": {}}), PolicyKind.IDENTITY, "Syntax errors in policy."),
    (
        _doc({**ALLOW_LIST, "Sid": "a b"}),
        PolicyKind.IDENTITY,
        "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*",
    ),
    (
        _doc({**ALLOW_LIST, "Sid": "x"}, {**ALLOW_LIST, "Sid": "x"}),
        PolicyKind.IDENTITY,
        "Statement IDs (SID) in a single policy must be unique.",
    ),
    (
        _doc({**ALLOW_LIST, "Principal": "*"}),
        PolicyKind.IDENTITY,
        "Policy document should not specify a principal.",
    ),
    (_doc(ALLOW_LIST), PolicyKind.RESOURCE, "Missing required field Principal"),
    (
        _doc({"Effect": "Allow", "Action": "sts:AssumeRole"}),
        PolicyKind.TRUST,
        "Missing required field Principal",
    ),
    (
        _doc(
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Resource": "*",
            }
        ),
        PolicyKind.TRUST,
        "Has prohibited field Resource",
    ),
    (
        _doc({"Effect": "Allow", "Principal": {"AWS": "foo"}, "Action": "sts:AssumeRole"}),
        PolicyKind.TRUST,
        'Invalid principal in policy: "AWS":"foo"',
    ),
    (
        _doc({"Effect": "Allow", "Principal": {"Nope": "x"}, "Action": "sts:AssumeRole"}),
        PolicyKind.TRUST,
        "Syntax errors in policy.",
    ),
    (
        _doc({**ALLOW_LIST, "Principal": "*", "NotPrincipal": "*"}),
        PolicyKind.RESOURCE,
        "Syntax errors in policy.",
    ),
]


@pytest.mark.parametrize(("text", "kind", "reason"), CASES)
def test_malformed_reasons(text: str, kind: PolicyKind, reason: str) -> None:
    assert _reason(text, kind) == reason


@pytest.mark.parametrize(
    "statement",
    [
        {**ALLOW_LIST, "Condition": {}},
        {**ALLOW_LIST, "Condition": {"Unknown": {}}},  # an empty operator block is ignored
        {**ALLOW_LIST, "Condition": {"ForAnyValue:StringEqualsIfExists": {"a": "asf"}}},
        {**ALLOW_LIST, "Condition": {"DateLessThanEquals": {"a": "2016-12-13T21:20:37.593194+00:00"}}},
        {**ALLOW_LIST, "Condition": {"DateLessThan": {"a": "-292275054"}}},
        {**ALLOW_LIST, "Action": "*", "Resource": ["arn:aws:s3:::b", "*"]},
        {**ALLOW_LIST, "Resource": "arn:aws:iam::*:user/${aws:username}"},
        {**ALLOW_LIST, "Resource": "arn:aws:fdsasf"},
        {**ALLOW_LIST, "Action": "s3-s:ListBucket"},
    ],
)
def test_valid_identity_statements(statement: dict[str, Any]) -> None:
    parse_policy(_doc(statement), PolicyKind.IDENTITY)


def test_resource_and_trust_policies_accept_old_or_missing_version() -> None:
    trust = _doc(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
        version="2008-10-17",
    )
    assert parse_policy(trust, PolicyKind.TRUST).version == "2008-10-17"
    bucket = _doc({**ALLOW_LIST, "Principal": "*"}, version=None)
    policy = parse_policy(bucket, PolicyKind.RESOURCE)
    assert policy.version is None and not policy.variables_enabled


def test_trust_policy_may_not_use_not_principal() -> None:
    """ "You cannot use the NotPrincipal element in an IAM identity-based policy nor in an IAM role trust
    policy." (IAM User Guide, NotPrincipal). Accepting one would let an Allow admit every caller it does
    not list -- any account, any web-identity provider -- to assume the role."""
    for effect in ("Allow", "Deny"):
        trust = _doc(
            {
                "Effect": effect,
                "NotPrincipal": {"AWS": "123456789012"},
                "Action": "sts:AssumeRoleWithWebIdentity",
            }
        )
        assert _reason(trust, PolicyKind.TRUST) == "Has prohibited field NotPrincipal"


def test_same_text_is_compiled_separately_for_each_kind() -> None:
    """The compile cache is keyed on text *and* kind: a text valid as one kind never comes back, from
    the cache, as a policy of another kind."""
    from hutch.policy import compile_policy

    bucket = _doc({**ALLOW_LIST, "Principal": "*"})
    assert compile_policy(bucket, PolicyKind.RESOURCE).kind is PolicyKind.RESOURCE
    for other, reason in (
        (PolicyKind.IDENTITY, "Policy document should not specify a principal."),
        (PolicyKind.TRUST, "Has prohibited field Resource"),
    ):
        with pytest.raises(MalformedPolicyError) as info:
            compile_policy(bucket, other)
        assert info.value.reason == reason
    identity = _doc(ALLOW_LIST)
    with pytest.raises(MalformedPolicyError):
        compile_policy(identity, PolicyKind.RESOURCE)
    assert compile_policy(identity, PolicyKind.IDENTITY).kind is PolicyKind.IDENTITY


def test_overlong_epoch_date_value_is_malformed_not_a_crash() -> None:
    text = _doc({**ALLOW_LIST, "Condition": {"DateLessThan": {"aws:CurrentTime": "9" * 5000}}})
    assert _reason(text) == "The policy failed legacy parsing"


@pytest.mark.parametrize("version", [None, "2008-10-17"])
def test_managed_policies_must_be_the_current_version(version: str | None) -> None:
    """IAM: "Policy document must be version 2012-10-17 or greater." for managed policies only."""
    with pytest.raises(MalformedPolicyError) as err:
        parse_policy(_doc(ALLOW_LIST, version=version), PolicyKind.IDENTITY, require_current_version=True)
    assert err.value.reason == "Policy document must be version 2012-10-17 or greater."


def test_inline_policies_may_leave_the_version_out_and_then_variables_are_literal() -> None:
    """IAM User Guide, Version element: without it the policy is 2008-10-17, where ${...} is plain text."""
    text = json.dumps(
        {
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}
            ]
        }
    )
    policy = parse_policy(text, PolicyKind.IDENTITY)
    assert policy.version is None
    from hutch.policy import AuthzRequest, NamedPolicy, PolicySet, RequestPrincipal, evaluate

    arn = "arn:aws:iam::123456789012:user/alice"
    who = RequestPrincipal(arn, "123456789012", "user", {"AWS": [arn]})
    policies = PolicySet(identity=[NamedPolicy.from_text("inline", text, PolicyKind.IDENTITY)])
    context = {"aws:username": "alice"}
    literal = AuthzRequest(who, "s3:GetObject", "arn:aws:s3:::b/${aws:username}/x", context)
    substituted = AuthzRequest(who, "s3:GetObject", "arn:aws:s3:::b/alice/x", context)
    assert evaluate(literal, policies).allowed
    assert not evaluate(substituted, policies).allowed
