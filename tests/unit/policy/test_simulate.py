from __future__ import annotations

import pytest

from hutch.policy import AuthzRequest, NamedPolicy, PolicyKind, PolicySet, evaluate
from hutch.policy.simulate import (
    SimulationInputError,
    context_from_entries,
    evaluation_result,
    statement_positions,
)
from tests.unit.policy.support import OBJECT, user

TEXT = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
    {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
  ]
}"""


def test_context_entries_typed_conversion() -> None:
    context = context_from_entries(
        [
            {"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.1.2.3"], "ContextKeyType": "ip"},
            {"ContextKeyName": "aws:TagKeys", "ContextKeyValues": ["a", "b"], "ContextKeyType": "stringList"},
            {"ContextKeyName": "s3:max-keys", "ContextKeyValues": ["10"], "ContextKeyType": "numeric"},
            {
                "ContextKeyName": "aws:SecureTransport",
                "ContextKeyValues": ["true"],
                "ContextKeyType": "boolean",
            },
            {
                "ContextKeyName": "aws:CurrentTime",
                "ContextKeyValues": ["2020-01-01T00:00:00Z"],
                "ContextKeyType": "date",
            },
            {"ContextKeyName": "k", "ContextKeyValues": ["AAE="], "ContextKeyType": "binaryList"},
        ]
    )
    assert context["aws:TagKeys"] == ["a", "b"] and context["aws:SourceIp"] == "10.1.2.3"
    assert context["k"] == ["AAE="]


@pytest.mark.parametrize(
    "entry",
    [
        {"ContextKeyName": "a", "ContextKeyValues": ["x"], "ContextKeyType": "numeric"},
        {"ContextKeyName": "a", "ContextKeyValues": ["x"], "ContextKeyType": "ip"},
        {"ContextKeyName": "a", "ContextKeyValues": ["x", "y"], "ContextKeyType": "string"},
        {"ContextKeyName": "a", "ContextKeyValues": ["x"], "ContextKeyType": "nope"},
        {"ContextKeyName": "a", "ContextKeyValues": ["maybe"], "ContextKeyType": "booleanList"},
    ],
)
def test_context_entries_rejected(entry: dict[str, object]) -> None:
    with pytest.raises(SimulationInputError):
        context_from_entries([entry])


def test_evaluation_result_shape_and_positions() -> None:
    named = NamedPolicy.from_text("PolicyInputList.1", TEXT, PolicyKind.IDENTITY)
    request = AuthzRequest(
        user(),
        "s3:GetObject",
        OBJECT,
        context_from_entries(
            [{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.1.2.3"], "ContextKeyType": "ip"}]
        ),
    )
    decision = evaluate(request, PolicySet(identity=[named]))
    result = evaluation_result(request, decision, [named], lambda m: "IAM Policy")
    assert result["EvalDecision"] == "allowed"
    assert result["MissingContextValues"] == []
    matched = result["MatchedStatements"][0]
    assert matched["SourcePolicyId"] == "PolicyInputList.1"
    assert matched["StartPosition"] == {"Line": 4, "Column": 5}
    assert matched["EndPosition"]["Line"] == 5
    assert statement_positions(named, 1) is not None

    missing = evaluate(AuthzRequest(user(), "s3:GetObject", OBJECT), PolicySet(identity=[named]))
    result = evaluation_result(request, missing, [named], lambda m: "IAM Policy")
    assert result["EvalDecision"] == "implicitDeny"
    assert result["MissingContextValues"] == ["aws:SourceIp"]
    denied = evaluate(AuthzRequest(user(), "s3:DeleteObject", OBJECT), PolicySet(identity=[named]))
    assert denied.eval_decision == "explicitDeny"
