"""The scenario hutch exists for (shared/SCENARIO.md): per-user folders via an identity pool role."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hutch.policy import (
    AuthzRequest,
    NamedPolicy,
    PolicyKind,
    PolicySet,
    RequestPrincipal,
    evaluate,
    evaluate_trust,
)
from hutch.policy.explain import render_text

ACCOUNT = "123456789012"
BUCKET = "photos"
APP = "myapp"
POOL = "us-east-1:0e3f5a0c-1111-2222-3333-444455556666"
ALICE = "us-east-1:aaaaaaaa-0000-0000-0000-000000000001"
BOB = "us-east-1:bbbbbbbb-0000-0000-0000-000000000002"
ALICE_USER_POOL_SUB = "7d9f1c2e-aaaa-bbbb-cccc-ddddeeeeffff"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/Cognito_myappAuth_Role"
SUB = "cognito-identity.amazonaws.com:sub"

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": POOL},
                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                },
            }
        ],
    }
)

PERMISSIONS = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::{BUCKET}"],
                "Condition": {
                    "StringLike": {"s3:prefix": [f"cognito/{APP}/${{cognito-identity.amazonaws.com:sub}}/*"]}
                },
            },
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": [
                    f"arn:aws:s3:::{BUCKET}/cognito/{APP}/${{cognito-identity.amazonaws.com:sub}}/*"
                ],
            },
        ],
    }
)

POLICIES = PolicySet(identity=[NamedPolicy.from_text(f"{ROLE_ARN}/inline", PERMISSIONS, PolicyKind.IDENTITY)])


def _session(identity_id: str) -> RequestPrincipal:
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/Cognito_myappAuth_Role/CognitoIdentityCredentials"
    return RequestPrincipal(session, ACCOUNT, "assumed-role", {"AWS": [session, ROLE_ARN]})


def _s3(identity_id: str, action: str, key: str | None = None, **context: str) -> AuthzRequest:
    resource = f"arn:aws:s3:::{BUCKET}" if key is None else f"arn:aws:s3:::{BUCKET}/{key}"
    return AuthzRequest(_session(identity_id), action, resource, {SUB: identity_id, **context})


@pytest.mark.parametrize("action", ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"])
def test_alice_reaches_her_own_folder(action: str) -> None:
    assert evaluate(_s3(ALICE, action, f"cognito/{APP}/{ALICE}/photo.jpg"), POLICIES).allowed


@pytest.mark.parametrize("action", ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"])
def test_alice_is_refused_bobs_folder(action: str) -> None:
    decision = evaluate(_s3(ALICE, action, f"cognito/{APP}/{BOB}/photo.jpg"), POLICIES)
    assert not decision.allowed
    assert decision.reason == f"because no identity-based policy allows the {action} action"


def test_alice_is_refused_the_bucket_root_and_other_prefixes() -> None:
    for key in (
        "photo.jpg",
        f"cognito/{APP}/photo.jpg",
        f"cognito/other/{ALICE}/x",
        f"cognito/{APP}/{ALICE}",
    ):
        assert not evaluate(_s3(ALICE, "s3:PutObject", key), POLICIES).allowed


def test_user_pool_sub_folder_is_refused_and_explained() -> None:
    """The pitfall: ${cognito-identity.amazonaws.com:sub} is the identity id, not the user-pool sub."""
    request = _s3(ALICE, "s3:PutObject", f"cognito/{APP}/{ALICE_USER_POOL_SUB}/photo.jpg")
    decision = evaluate(request, POLICIES, explain=True)
    assert not decision.allowed
    text = render_text(decision)
    assert f"cognito/{APP}/{ALICE}/*" in text  # the variable shown substituted with her identity id
    assert "no match" in text


def test_list_bucket_only_with_her_prefix() -> None:
    assert evaluate(_s3(ALICE, "s3:ListBucket", **{"s3:prefix": f"cognito/{APP}/{ALICE}/"}), POLICIES).allowed
    assert evaluate(
        _s3(ALICE, "s3:ListBucket", **{"s3:prefix": f"cognito/{APP}/{ALICE}/sub/"}), POLICIES
    ).allowed
    for prefix in ("", f"cognito/{APP}/", f"cognito/{APP}/{BOB}/"):
        assert not evaluate(_s3(ALICE, "s3:ListBucket", **{"s3:prefix": prefix}), POLICIES).allowed
    assert not evaluate(_s3(ALICE, "s3:ListBucket"), POLICIES).allowed  # no prefix at all


def test_identity_id_with_wildcards_cannot_reach_others() -> None:
    for hostile in ("*", "us-east-1:*", "?" * len(BOB), "us-east-1:b*"):
        assert not evaluate(_s3(hostile, "s3:GetObject", f"cognito/{APP}/{BOB}/photo.jpg"), POLICIES).allowed
        listing = _s3(hostile, "s3:ListBucket", **{"s3:prefix": f"cognito/{APP}/{BOB}/"})
        assert not evaluate(listing, POLICIES).allowed


def test_no_identity_id_in_context_fails_closed() -> None:
    request = AuthzRequest(_session(ALICE), "s3:GetObject", f"arn:aws:s3:::{BUCKET}/cognito/{APP}/x/y")
    decision = evaluate(request, POLICIES)
    assert not decision.allowed
    assert decision.missing_context_keys == (SUB,)


@given(
    identity_id=st.text(alphabet="ab*?${}:-", min_size=1, max_size=8),
    other=st.text(alphabet="ab*?${}:-", min_size=1, max_size=8),
)
def test_substituted_value_never_matches_more_than_its_literal(identity_id: str, other: str) -> None:
    """Whatever characters an identity id holds, it reaches exactly its own folder."""
    key = f"cognito/{APP}/{other}/f"
    allowed = evaluate(_s3(identity_id, "s3:GetObject", key), POLICIES).allowed
    assert allowed is (other == identity_id)


def _web_identity(aud: str, amr: list[str]) -> AuthzRequest:
    principal = RequestPrincipal(
        ALICE, "", "federated-web-identity", {"Federated": ["cognito-identity.amazonaws.com"]}
    )
    context = {
        "cognito-identity.amazonaws.com:aud": aud,
        "cognito-identity.amazonaws.com:amr": amr,
        "cognito-identity.amazonaws.com:sub": ALICE,
    }
    return AuthzRequest(principal, "sts:AssumeRoleWithWebIdentity", ROLE_ARN, context)


TRUST_POLICY = NamedPolicy.from_text(f"{ROLE_ARN}/trust", TRUST, PolicyKind.TRUST)
AUTHENTICATED = [
    "authenticated",
    "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc",
    f"cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc:CognitoSignIn:{ALICE_USER_POOL_SUB}",
]


def test_trust_admits_authenticated_identities_of_the_pool() -> None:
    assert evaluate_trust(_web_identity(POOL, AUTHENTICATED), TRUST_POLICY).allowed


def test_trust_refuses_guests_other_pools_and_other_providers() -> None:
    assert not evaluate_trust(_web_identity(POOL, ["unauthenticated"]), TRUST_POLICY).allowed
    assert not evaluate_trust(_web_identity("us-east-1:other-pool", AUTHENTICATED), TRUST_POLICY).allowed
    assert not evaluate_trust(_web_identity(POOL, []), TRUST_POLICY).allowed
    google = RequestPrincipal("x", "", "federated-web-identity", {"Federated": ["accounts.google.com"]})
    request = _web_identity(POOL, AUTHENTICATED)
    assert not evaluate_trust(
        AuthzRequest(google, request.action, ROLE_ARN, request.context), TRUST_POLICY
    ).allowed


def test_trust_refuses_plain_assume_role() -> None:
    request = _web_identity(POOL, AUTHENTICATED)
    decision = evaluate_trust(
        AuthzRequest(request.principal, "sts:AssumeRole", ROLE_ARN, request.context), TRUST_POLICY
    )
    assert not decision.allowed


def test_trust_with_bare_string_equals_on_amr_admits_nobody() -> None:
    """amr is multivalued and "Multivalued context keys require a condition set operator": a trust policy
    written with a bare StringEquals on it does not admit the pool's identities (the fix is
    ForAnyValue:StringLike, as the scenario's trust policy has it)."""
    bare = json.loads(TRUST)
    condition = bare["Statement"][0]["Condition"]
    condition["StringEquals"]["cognito-identity.amazonaws.com:amr"] = "authenticated"
    del condition["ForAnyValue:StringLike"]
    trust = NamedPolicy.from_text("bare", json.dumps(bare), PolicyKind.TRUST)
    decision = evaluate_trust(_web_identity(POOL, AUTHENTICATED), trust, explain=True)
    assert not decision.allowed
    assert "without ForAnyValue:/ForAllValues:" in render_text(decision)
