"""The policy simulator: same engine, typed context entries, boundaries, resource policies, principals."""

from __future__ import annotations

from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.runtime import Runtime
from hutch.services.iam import IamService
from tests.unit.services.iam.support import allow, deny, invoke, policy, trust_account, unique

SCENARIO = policy(
    allow(
        "s3:ListBucket",
        "arn:aws:s3:::photos",
        Condition={"StringLike": {"s3:prefix": ["cognito/app/${cognito-identity.amazonaws.com:sub}/*"]}},
    ),
    allow(
        ["s3:GetObject", "s3:PutObject"],
        "arn:aws:s3:::photos/cognito/app/${cognito-identity.amazonaws.com:sub}/*",
    ),
)
SUB = "us-east-1:11111111-2222-3333-4444-555555555555"


def _sub_entry(value: str = SUB) -> dict[str, Any]:
    return {
        "ContextKeyName": "cognito-identity.amazonaws.com:sub",
        "ContextKeyValues": [value],
        "ContextKeyType": "string",
    }


def _decisions(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (r["EvalActionName"], r["EvalResourceName"], r["EvalDecision"]) for r in result["EvaluationResults"]
    ]


def test_custom_policy_with_the_scenario_policy(runtime: Runtime) -> None:
    own = f"arn:aws:s3:::photos/cognito/app/{SUB}/a.txt"
    other = "arn:aws:s3:::photos/cognito/app/us-east-1:someone-else/a.txt"
    result = invoke(
        runtime,
        "iam",
        "SimulateCustomPolicy",
        PolicyInputList=[SCENARIO],
        ActionNames=["s3:PutObject", "s3:DeleteObject"],
        ResourceArns=[own, other],
        ContextEntries=[_sub_entry()],
    )
    assert _decisions(result) == [
        ("s3:PutObject", own, "allowed"),
        ("s3:PutObject", other, "implicitDeny"),
        ("s3:DeleteObject", own, "implicitDeny"),
        ("s3:DeleteObject", other, "implicitDeny"),
    ]
    matched = result["EvaluationResults"][0]["MatchedStatements"]
    assert matched[0]["SourcePolicyId"] == "PolicyInputList.1"
    assert matched[0]["StartPosition"]["Line"] == 1


def test_missing_context_values_are_reported(runtime: Runtime) -> None:
    result = invoke(
        runtime,
        "iam",
        "SimulateCustomPolicy",
        PolicyInputList=[SCENARIO],
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::photos/cognito/app/x/y"],
    )
    only = result["EvaluationResults"][0]
    assert only["EvalDecision"] == "implicitDeny"
    assert only["MissingContextValues"] == ["cognito-identity.amazonaws.com:sub"]


def test_boundary_inputs_limit_what_identity_policies_allow(runtime: Runtime) -> None:
    result = invoke(
        runtime,
        "iam",
        "SimulateCustomPolicy",
        PolicyInputList=[policy(allow("s3:*"))],
        PermissionsBoundaryPolicyInputList=[policy(allow("s3:GetObject"))],
        ActionNames=["s3:GetObject", "s3:PutObject"],
    )
    assert [r["EvalDecision"] for r in result["EvaluationResults"]] == ["allowed", "implicitDeny"]


def test_explicit_deny_wins_and_is_the_only_match(runtime: Runtime) -> None:
    result = invoke(
        runtime,
        "iam",
        "SimulateCustomPolicy",
        PolicyInputList=[policy(allow("s3:*")), policy(deny("s3:DeleteObject"))],
        ActionNames=["s3:DeleteObject"],
    )
    only = result["EvaluationResults"][0]
    assert only["EvalDecision"] == "explicitDeny"
    assert [m["SourcePolicyId"] for m in only["MatchedStatements"]] == ["PolicyInputList.2"]


def test_typed_context_entries_are_checked(runtime: Runtime) -> None:
    condition = {"NumericLessThan": {"s3:max-keys": "10"}}
    doc = policy(allow("s3:ListBucket", "*", Condition=condition))
    entry = {"ContextKeyName": "s3:max-keys", "ContextKeyValues": ["5"], "ContextKeyType": "numeric"}
    ok = invoke(
        runtime,
        "iam",
        "SimulateCustomPolicy",
        PolicyInputList=[doc],
        ActionNames=["s3:ListBucket"],
        ContextEntries=[entry],
    )
    assert ok["EvaluationResults"][0]["EvalDecision"] == "allowed"
    bad = {**entry, "ContextKeyValues": ["five"]}
    with pytest.raises(ServiceError) as exc:
        invoke(
            runtime,
            "iam",
            "SimulateCustomPolicy",
            PolicyInputList=[doc],
            ActionNames=["s3:ListBucket"],
            ContextEntries=[bad],
        )
    assert exc.value.code == "InvalidInput"


def test_resource_policy_naming_the_caller_allows_without_identity_policy(
    runtime: Runtime, iam: IamService
) -> None:
    caller = f"arn:aws:iam::{iam.account}:user/{unique('sim')}"
    bucket_policy = policy({**allow("s3:GetObject", "arn:aws:s3:::b/*"), "Principal": {"AWS": caller}})
    result = invoke(
        runtime,
        "iam",
        "SimulateCustomPolicy",
        PolicyInputList=[policy(allow("s3:ListBucket"))],
        ResourcePolicy=bucket_policy,
        CallerArn=caller,
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::b/k"],
    )
    only = result["EvaluationResults"][0]
    assert only["EvalDecision"] == "allowed"
    assert only["MatchedStatements"][0]["SourcePolicyType"] == "resource"


def test_principal_policy_uses_the_users_own_policies_and_boundary(runtime: Runtime, iam: IamService) -> None:
    user = iam.users.create(unique("simu"), boundary_arn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    iam.users.put_inline(user.name, "all-s3", policy(allow("s3:*")))
    iam.users.attach(user.name, "arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    result = invoke(
        runtime,
        "iam",
        "SimulatePrincipalPolicy",
        PolicySourceArn=user.arn,
        ActionNames=["s3:GetObject", "s3:PutObject", "iam:GetRole"],
    )
    assert [r["EvalDecision"] for r in result["EvaluationResults"]] == [
        "allowed",
        "implicitDeny",
        "implicitDeny",
    ]
    matched = result["EvaluationResults"][0]["MatchedStatements"]
    assert {(m["SourcePolicyId"], m["SourcePolicyType"]) for m in matched} >= {("all-s3", "user")}
    # Without the boundary layer, the attached AWS managed policy allows iam:GetRole.
    iam.users.delete_boundary(user.name)
    result = invoke(
        runtime, "iam", "SimulatePrincipalPolicy", PolicySourceArn=user.arn, ActionNames=["iam:GetRole"]
    )
    only = result["EvaluationResults"][0]
    assert only["EvalDecision"] == "allowed"
    assert only["MatchedStatements"][0]["SourcePolicyType"] == "aws-managed"


def test_principal_policy_for_a_role_and_exclusions(runtime: Runtime, iam: IamService) -> None:
    role = iam.roles.create(unique("simr"), trust_account(iam.account))
    iam.roles.put_inline(role.name, "keep", policy(allow("s3:GetObject")))
    iam.roles.put_inline(role.name, "drop", policy(allow("s3:PutObject")))
    result = invoke(
        runtime,
        "iam",
        "SimulatePrincipalPolicy",
        PolicySourceArn=role.arn,
        PolicyExclusionList=["drop"],
        ActionNames=["s3:GetObject", "s3:PutObject"],
    )
    assert [r["EvalDecision"] for r in result["EvaluationResults"]] == ["allowed", "implicitDeny"]


def test_principal_policy_for_an_unknown_user_is_no_such_entity(runtime: Runtime, iam: IamService) -> None:
    with pytest.raises(ServiceError) as exc:
        invoke(
            runtime,
            "iam",
            "SimulatePrincipalPolicy",
            PolicySourceArn=f"arn:aws:iam::{iam.account}:user/nobody-here",
            ActionNames=["s3:GetObject"],
        )
    assert exc.value.code == "NoSuchEntity"
