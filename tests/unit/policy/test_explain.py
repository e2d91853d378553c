from __future__ import annotations

import json

from hutch.policy import AuthzRequest, PolicyKind, PolicySet, evaluate
from hutch.policy.explain import decision_to_dict, render_text, trace_to_dict
from tests.unit.policy.support import OBJECT, allow, deny, policy, user


def _decision(**context: str):  # type: ignore[no-untyped-def]
    policies = PolicySet(
        identity=[
            policy(
                allow("s3:PutObject"),
                allow("s3:GetObject", "arn:aws:s3:::bkt/${aws:username}/*"),
                allow(
                    "s3:GetObject", Condition={"StringEquals": {"aws:PrincipalTag/team": "red"}}, Sid="Tagged"
                ),
                deny("s3:GetObject", Condition={"Bool": {"aws:SecureTransport": "false"}}),
                name="arn:aws:iam::123456789012:policy/p",
            )
        ]
    )
    return evaluate(AuthzRequest(user(), "s3:GetObject", OBJECT, context), policies, explain=True)


def test_trace_dict_is_complete_and_json_able() -> None:
    decision = _decision(**{"aws:username": "alice", "aws:PrincipalTag/team": "blue"})
    data = decision_to_dict(decision)
    json.dumps(data)
    trace = data["trace"]
    assert trace["principal"]["kind"] == "user"
    assert trace["context"] == {"aws:username": "alice", "aws:PrincipalTag/team": "blue"}
    statements = trace["policies"][0]["statements"]
    assert [s["outcome"] for s in statements] == [
        "action-mismatch",
        "resource-mismatch",
        "condition-failed",
        "condition-failed",
    ]
    assert statements[0]["detail"] == "Action does not list s3:GetObject"
    assert statements[1]["resources"][0] == {
        "pattern": "arn:aws:s3:::bkt/${aws:username}/*",
        "resolved": "arn:aws:s3:::bkt/alice/*",
        "matched": False,
    }
    failed = statements[2]["conditions"][0]
    assert (failed["contextValues"], failed["resolvedValues"], failed["result"]) == (["blue"], ["red"], False)
    assert statements[3]["conditions"][0]["note"] == "key is absent"
    assert data["missingContextKeys"] == ["aws:SecureTransport"]
    assert data["reason"] == "because no identity-based policy allows the s3:GetObject action"


def test_render_text_mentions_every_statement_and_the_decision() -> None:
    text = render_text(_decision(**{"aws:username": "alice"}))
    assert "Principal: arn:aws:iam::123456789012:user/alice (user)" in text
    assert "arn:aws:s3:::bkt/${aws:username}/* -> arn:aws:s3:::bkt/alice/* [no match]" in text
    assert "statement #2 (Tagged) Allow: skipped" in text
    assert "(absent)" in text
    assert text.splitlines()[-1].startswith("Decision: Implicitly denied")


def test_trace_to_dict_without_policies() -> None:
    decision = evaluate(AuthzRequest(user(), "s3:GetObject", OBJECT), PolicySet(identity=[]), explain=True)
    assert decision.trace is not None
    assert trace_to_dict(decision.trace)["policies"] == []
    assert "(none)" in render_text(decision)


def test_render_without_trace_is_short() -> None:
    decision = evaluate(AuthzRequest(user(), "s3:GetObject", OBJECT), PolicySet(identity=[]))
    assert (
        render_text(decision)
        == "ImplicitDeny because no identity-based policy allows the s3:GetObject action"
    )


def test_resource_policy_principal_mismatch_explained() -> None:
    bucket = policy(
        allow(Principal={"AWS": "arn:aws:iam::123456789012:user/bob"}),
        kind=PolicyKind.RESOURCE,
        name="bucket",
    )
    decision = evaluate(
        AuthzRequest(user(), "s3:GetObject", OBJECT), PolicySet(identity=[], resource=[bucket]), explain=True
    )
    data = decision_to_dict(decision)
    assert data["trace"]["policies"][0]["statements"][0]["outcome"] == "principal-mismatch"
