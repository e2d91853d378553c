"""The guest scope-down policy, decided by hutch's policy engine as STS will apply it (session policy layer)."""

from __future__ import annotations

import json

import pytest

from hutch.policy import AuthzRequest, NamedPolicy, PolicyKind, PolicySet, RequestPrincipal, evaluate
from hutch.services.cognito_identity.guest_policy import GUEST_SESSION_POLICY

ROLE_ALLOWS_EVERYTHING = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


def decide(action: str) -> bool:
    principal = RequestPrincipal(
        "arn:aws:sts::123456789012:assumed-role/guest/CognitoIdentityCredentials",
        "123456789012",
        "assumed-role",
    )
    policies = PolicySet(
        identity=[NamedPolicy.from_text("role", ROLE_ALLOWS_EVERYTHING, PolicyKind.IDENTITY)],
        session=[NamedPolicy.from_text("guest", GUEST_SESSION_POLICY, PolicyKind.IDENTITY)],
    )
    return evaluate(AuthzRequest(principal, action, "*"), policies).allowed


@pytest.mark.parametrize(
    "action", ["s3:GetObject", "s3:PutObject", "dynamodb:GetItem", "kms:Decrypt", "polly:SynthesizeSpeech"]
)
def test_guests_keep_the_documented_services(action: str) -> None:
    assert decide(action)


@pytest.mark.parametrize(
    "action",
    ["iam:CreateUser", "sts:AssumeRole", "cognito-idp:AdminCreateUser", "kms:CreateKey", "ec2:RunInstances"],
)
def test_guests_lose_everything_else_whatever_the_role_allows(action: str) -> None:
    assert not decide(action)


def test_the_policy_is_a_valid_identity_policy_document() -> None:
    NamedPolicy.from_text("guest", GUEST_SESSION_POLICY, PolicyKind.IDENTITY)
