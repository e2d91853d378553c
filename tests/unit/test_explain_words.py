"""Plain words for denials, computed from the real engine's trace for the scenario's policy."""

from __future__ import annotations

import json

from hutch.explain_words import plain_words
from hutch.policy import AuthzRequest, NamedPolicy, PolicyKind, PolicySet, RequestPrincipal, evaluate

ACCOUNT = "123456789012"
POOL_ID = "us-east-1_AbCdEfGhI"
PROVIDER = f"cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
ALICE_ID = "us-east-1:aaaaaaaa-0000-0000-0000-000000000001"
ALICE_SUB = "7d9f1c2e-aaaa-bbbb-cccc-ddddeeeeffff"
BOB_ID = "us-east-1:bbbbbbbb-0000-0000-0000-000000000002"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/auth"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/auth/CognitoIdentityCredentials"
SUB = "${cognito-identity.amazonaws.com:sub}"

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:::photos",
                "Condition": {"StringLike": {"s3:prefix": [f"cognito/myapp/{SUB}/*"]}},
            },
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": f"arn:aws:s3:::photos/cognito/myapp/{SUB}/*",
            },
            {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
        ],
    }
)
POLICIES = PolicySet(identity=[NamedPolicy.from_text("folder", POLICY, PolicyKind.IDENTITY)])


def usernames(pool_id: str, sub: str) -> str | None:
    return "alice" if (pool_id, sub) == (POOL_ID, ALICE_SUB) else None


def request(action: str, resource: str, signed_in: bool = True, **extra: str) -> AuthzRequest:
    amr = (
        ["authenticated", PROVIDER, f"{PROVIDER}:CognitoSignIn:{ALICE_SUB}"]
        if signed_in
        else ["unauthenticated"]
    )
    context = {
        "cognito-identity.amazonaws.com:sub": ALICE_ID,
        "cognito-identity.amazonaws.com:amr": amr,
        **extra,
    }
    principal = RequestPrincipal(SESSION, ACCOUNT, "assumed-role", {"AWS": [SESSION, ROLE]})
    return AuthzRequest(principal, action, resource, context)


def words(req: AuthzRequest) -> str:
    return plain_words(req, evaluate(req, POLICIES, explain=True), usernames)


def test_the_user_pool_sub_pitfall_is_named_with_the_users_name() -> None:
    text = words(request("s3:PutObject", f"arn:aws:s3:::photos/cognito/myapp/{ALICE_SUB}/x.txt"))
    assert text.startswith(f"alice's credentials may write only under photos/cognito/myapp/{ALICE_ID}/")
    assert f"{ALICE_SUB} is alice's user-pool sub" in text
    assert f"identity id {ALICE_ID}" in text


def test_another_users_folder_says_where_the_caller_may_go() -> None:
    text = words(request("s3:GetObject", f"arn:aws:s3:::photos/cognito/myapp/{BOB_ID}/x.txt"))
    assert f"may read only under photos/cognito/myapp/{ALICE_ID}/" in text
    assert f"this request read photos/cognito/myapp/{BOB_ID}/x.txt" in text
    assert "user-pool sub" not in text


def test_listing_the_whole_bucket_names_the_prefix_the_policy_wants() -> None:
    text = words(request("s3:ListBucket", "arn:aws:s3:::photos", **{"s3:prefix": ""}))
    assert f"only with a prefix matching cognito/myapp/{ALICE_ID}/*" in text
    assert "the whole bucket" in text


def test_an_explicit_deny_is_named() -> None:
    text = words(request("s3:DeleteObject", f"arn:aws:s3:::photos/cognito/myapp/{ALICE_ID}/x.txt"))
    assert "explicit Deny in folder" in text


def test_guests_and_actions_nobody_grants() -> None:
    text = words(request("s3:PutBucketPolicy", "arn:aws:s3:::photos", signed_in=False))
    assert text.startswith(
        f"guest identity {ALICE_ID}'s credentials have no policy that allows s3:PutBucketPolicy"
    )


def test_allowed_requests_need_no_words() -> None:
    req = request("s3:PutObject", f"arn:aws:s3:::photos/cognito/myapp/{ALICE_ID}/x.txt")
    assert plain_words(req, evaluate(req, POLICIES, explain=True), usernames) == ""


def test_an_iam_user_is_named_in_the_singular() -> None:
    user = f"arn:aws:iam::{ACCOUNT}:user/carol"
    req = AuthzRequest(
        RequestPrincipal(user, ACCOUNT, "user", {"AWS": [user]}), "s3:GetObject", "arn:aws:s3:::b/k", {}
    )
    text = plain_words(req, evaluate(req, PolicySet(identity=[]), explain=True))
    assert text.startswith("IAM user carol has no policy that allows s3:GetObject at all")


def test_a_misspelt_variable_is_named_with_the_key_it_probably_meant() -> None:
    typo = POLICY.replace('cognito-identity.amazonaws.com:sub}/*"', 'cognito-identity.amazonaws.com:sud}/*"')
    assert typo != POLICY
    policies = PolicySet(identity=[NamedPolicy.from_text("typo", typo, PolicyKind.IDENTITY)])
    req = request("s3:PutObject", f"arn:aws:s3:::photos/cognito/myapp/{ALICE_ID}/x.txt")
    text = plain_words(req, evaluate(req, policies, explain=True), usernames)
    assert "variable ${cognito-identity.amazonaws.com:sud} has no value" in text
    assert "did you mean ${cognito-identity.amazonaws.com:sub}?" in text
