"""The documents `hutch init` writes, decided by the real policy engine: each layout grants what it says."""

from __future__ import annotations

import json

import pytest

from hutch.init.policies import Document, RoleKind, cors_rule, folder_policy, folders, trust_policy
from hutch.policy import (
    AuthzRequest,
    NamedPolicy,
    PolicyKind,
    PolicySet,
    RequestPrincipal,
    evaluate,
    evaluate_trust,
)

ACCOUNT = "123456789012"
BUCKET = "photos"
APP = "myapp"
POOL = "us-east-1:0e3f5a0c-1111-2222-3333-444455556666"
ALICE = "us-east-1:aaaaaaaa-0000-0000-0000-000000000001"
BOB = "us-east-1:bbbbbbbb-0000-0000-0000-000000000002"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/hutch-myapp-authenticated"
SUB = "cognito-identity.amazonaws.com:sub"


def allowed(document: Document, identity_id: str, action: str, key: str | None = None, **ctx: str) -> bool:
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/hutch-myapp-authenticated/CognitoIdentityCredentials"
    principal = RequestPrincipal(session, ACCOUNT, "assumed-role", {"AWS": [session, ROLE]})
    resource = f"arn:aws:s3:::{BUCKET}" if key is None else f"arn:aws:s3:::{BUCKET}/{key}"
    policies = PolicySet(identity=[NamedPolicy.from_text("p", json.dumps(document), PolicyKind.IDENTITY)])
    return evaluate(AuthzRequest(principal, action, resource, {SUB: identity_id, **ctx}), policies).allowed


def can_list(document: Document, identity_id: str, prefix: str) -> bool:
    return allowed(document, identity_id, "s3:ListBucket", **{"s3:prefix": prefix})


SEED = folder_policy("seed", "authenticated", BUCKET, APP)
AMPLIFY = folder_policy("amplify", "authenticated", BUCKET, APP)
AMPLIFY_GUEST = folder_policy("amplify", "unauthenticated", BUCKET, APP)


@pytest.mark.parametrize("action", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
def test_seed_gives_each_identity_its_own_folder_only(action: str) -> None:
    assert allowed(SEED, ALICE, action, f"cognito/{APP}/{ALICE}/a.jpg")
    assert not allowed(SEED, ALICE, action, f"cognito/{APP}/{BOB}/a.jpg")
    assert not allowed(SEED, ALICE, action, "public/a.jpg")
    assert not allowed(SEED, ALICE, action, f"cognito/other/{ALICE}/a.jpg")


def test_seed_lists_only_the_own_folder() -> None:
    assert can_list(SEED, ALICE, f"cognito/{APP}/{ALICE}/")
    assert not can_list(SEED, ALICE, f"cognito/{APP}/")
    assert not can_list(SEED, ALICE, f"cognito/{APP}/{BOB}/")
    assert not can_list(SEED, ALICE, "")


def test_seed_is_the_scenario_policy_word_for_word() -> None:
    folder = f"cognito/{APP}/${{{SUB}}}/*"
    assert SEED["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["s3:ListBucket"],
            "Resource": [f"arn:aws:s3:::{BUCKET}"],
            "Condition": {"StringLike": {"s3:prefix": [folder]}},
        },
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": [f"arn:aws:s3:::{BUCKET}/{folder}"],
        },
    ]


def test_seed_guests_get_the_same_own_folder_rule() -> None:
    assert folder_policy("seed", "unauthenticated", BUCKET, APP) == SEED


@pytest.mark.parametrize("action", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
def test_amplify_signed_in_users_own_public_their_protected_and_private(action: str) -> None:
    for key in ("public/a.jpg", f"protected/{ALICE}/a.jpg", f"private/{ALICE}/a.jpg"):
        assert allowed(AMPLIFY, ALICE, action, key), key
    assert not allowed(AMPLIFY, ALICE, action, f"private/{BOB}/a.jpg")
    assert not allowed(AMPLIFY, ALICE, action, "a.jpg")


def test_amplify_others_protected_files_are_read_only() -> None:
    assert allowed(AMPLIFY, ALICE, "s3:GetObject", f"protected/{BOB}/a.jpg")
    assert not allowed(AMPLIFY, ALICE, "s3:PutObject", f"protected/{BOB}/a.jpg")
    assert not allowed(AMPLIFY, ALICE, "s3:DeleteObject", f"protected/{BOB}/a.jpg")


def test_amplify_listing_is_limited_to_the_layouts_prefixes() -> None:
    for prefix in ("public/", "protected/", f"protected/{BOB}/", f"private/{ALICE}/", f"private/{ALICE}/x/"):
        assert can_list(AMPLIFY, ALICE, prefix), prefix
    for prefix in ("", "private/", f"private/{BOB}/", "other/"):
        assert not can_list(AMPLIFY, ALICE, prefix), prefix


def test_amplify_guests_read_public_and_protected_and_write_nothing() -> None:
    assert allowed(AMPLIFY_GUEST, ALICE, "s3:GetObject", "public/a.jpg")
    assert allowed(AMPLIFY_GUEST, ALICE, "s3:GetObject", f"protected/{BOB}/a.jpg")
    for action in ("s3:PutObject", "s3:DeleteObject"):
        assert not allowed(AMPLIFY_GUEST, ALICE, action, "public/a.jpg")
        assert not allowed(AMPLIFY_GUEST, ALICE, action, f"private/{ALICE}/a.jpg")
    assert not allowed(AMPLIFY_GUEST, ALICE, "s3:GetObject", f"private/{ALICE}/a.jpg")
    assert can_list(AMPLIFY_GUEST, ALICE, "public/")
    assert not can_list(AMPLIFY_GUEST, ALICE, f"private/{ALICE}/")


def _web_identity(pool: str, amr: list[str]) -> AuthzRequest:
    principal = RequestPrincipal(
        f"cognito-identity.amazonaws.com:{ALICE}",
        "",
        "federated-web-identity",
        {"Federated": ["cognito-identity.amazonaws.com"]},
    )
    context = {"cognito-identity.amazonaws.com:aud": pool, "cognito-identity.amazonaws.com:amr": tuple(amr)}
    return AuthzRequest(principal, "sts:AssumeRoleWithWebIdentity", ROLE, context)


@pytest.mark.parametrize("kind", ["authenticated", "unauthenticated"])
def test_trust_admits_only_this_pools_identities_of_the_kind(kind: RoleKind) -> None:
    trust = NamedPolicy.from_text("trust", json.dumps(trust_policy(POOL, kind)), PolicyKind.TRUST)
    signed_in = ["authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_x"]
    guest = ["unauthenticated"]
    mine, other = (signed_in, guest) if kind == "authenticated" else (guest, signed_in)
    assert evaluate_trust(_web_identity(POOL, mine), trust).allowed
    assert not evaluate_trust(_web_identity(POOL, other), trust).allowed
    assert not evaluate_trust(_web_identity("us-east-1:another-pool", mine), trust).allowed


def test_folders_name_the_identity_placeholder() -> None:
    assert folders("seed", APP) == {"own": "cognito/myapp/{identityId}/"}
    assert folders("amplify", APP)["private"].format(identityId=ALICE) == f"private/{ALICE}/"


def test_the_cors_rule_lets_browsers_upload_and_read_etags() -> None:
    rule = cors_rule("r")
    assert rule["AllowedOrigins"] == ["*"]
    assert set(rule["AllowedMethods"]) == {"GET", "PUT", "POST", "DELETE", "HEAD"}
    assert rule["AllowedHeaders"] == ["*"]
    assert {"ETag", "x-amz-request-id"} <= set(rule["ExposeHeaders"])
