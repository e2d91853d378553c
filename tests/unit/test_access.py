"""The authorization glue: who is allowed, which context keys a request carries, AccessDenied wording per
protocol, and what is recorded for ``hutch explain``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from hutch.auth.principal import Principal, anonymous
from hutch.errors import ServiceError
from hutch.runtime import Runtime
from hutch.services.iam import IamService
from hutch.services.sts import StsService
from tests.unit.services.iam.support import (
    Clock,
    allow,
    backends,
    deny,
    make_call,
    policy,
    runtime_fixture,
    unique,
)

COGNITO = "cognito-identity.amazonaws.com"
IDENTITY = "us-east-1:aaaaaaaa-1111-2222-3333-444444444444"
USER_POOL_SUB = "0f0f0f0f-9999-8888-7777-666666666666"


@pytest.fixture(scope="module", params=backends())
def runtime(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    yield from runtime_fixture(request, tmp_path_factory)


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(runtime, "now", clock)
    return clock


@pytest.fixture
def iam(runtime: Runtime, clock: Clock) -> IamService:
    service: IamService = runtime.services["iam"]
    return service


def _user(runtime: Runtime, iam: IamService, *statements: dict[str, Any], **create: Any) -> Principal:
    user = iam.users.create(unique("u"), **create)
    if statements:
        iam.users.put_inline(user.name, "p", policy(*statements))
    key = iam.users.create_access_key(user.name)
    credential = runtime.credentials.lookup_access_key(key.access_key_id)
    assert credential is not None
    return credential.principal


def _role_session(
    runtime: Runtime,
    iam: IamService,
    *statements: dict[str, Any],
    context: dict[str, Any] | None = None,
    session_policies: tuple[str, ...] = (),
    role_tags: tuple[tuple[str, str], ...] = (),
    session_tags: dict[str, str] | None = None,
) -> Principal:
    trust = policy(
        {
            "Effect": "Allow",
            "Principal": {"Federated": COGNITO},
            "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
        }
    )
    role = iam.roles.create(unique("Role"), trust, tags=role_tags)
    if statements:
        iam.roles.put_inline(role.name, "p", policy(*statements))
    sts: StsService = runtime.services["sts"]
    issued = sts.assume_role_for_web_identity(
        role.arn,
        provider=COGNITO,
        session_name="CognitoIdentityCredentials",
        context=context or {},
        session_policies=session_policies,
        tags=session_tags,
    )
    credential = runtime.credentials.lookup_access_key(issued.access_key_id)
    assert credential is not None
    return credential.principal


def _decide(runtime: Runtime, principal: Principal, action: str, resource: str, **kwargs: Any) -> bool:
    call = make_call(runtime, principal, **{k: kwargs.pop(k) for k in list(kwargs) if k in _CALL_ARGS})
    return runtime.access.decide(call, action, resource, **kwargs).allowed


_CALL_ARGS = {"service", "client_ip", "scheme", "region", "request_id"}


# ---- who is allowed ------------------------------------------------------------------------------------------


def test_root_is_allowed_unless_a_resource_policy_explicitly_denies(
    runtime: Runtime, iam: IamService
) -> None:
    root = runtime.root_principal
    assert _decide(runtime, root, "s3:PutObject", "arn:aws:s3:::b/k")
    bucket = policy({**deny("s3:PutObject", "arn:aws:s3:::b/*"), "Principal": "*"})
    assert not _decide(
        runtime, root, "s3:PutObject", "arn:aws:s3:::b/k", resource_policies=[("bucket", bucket)]
    )


def test_anonymous_callers_only_by_resource_policy(runtime: Runtime, iam: IamService) -> None:
    nobody = anonymous(iam.account)
    assert not _decide(runtime, nobody, "s3:GetObject", "arn:aws:s3:::pub/k")
    public = policy({**allow("s3:GetObject", "arn:aws:s3:::pub/*"), "Principal": "*"})
    assert _decide(
        runtime, nobody, "s3:GetObject", "arn:aws:s3:::pub/k", resource_policies=[("bucket", public)]
    )
    assert not _decide(
        runtime, nobody, "s3:PutObject", "arn:aws:s3:::pub/k", resource_policies=[("bucket", public)]
    )


def test_user_starts_from_implicit_deny_and_policies_allow(runtime: Runtime, iam: IamService) -> None:
    user = _user(runtime, iam, allow("s3:GetObject", "arn:aws:s3:::b/*"))
    assert _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not _decide(runtime, user, "s3:PutObject", "arn:aws:s3:::b/k")


def test_permissions_boundary_intersects(runtime: Runtime, iam: IamService) -> None:
    user = _user(runtime, iam, allow("s3:*"), boundary_arn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    assert _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not _decide(runtime, user, "s3:PutObject", "arn:aws:s3:::b/k")


def test_session_policies_intersect_with_the_role(runtime: Runtime, iam: IamService) -> None:
    session = _role_session(runtime, iam, allow("s3:*"), session_policies=(policy(allow("s3:GetObject")),))
    assert _decide(runtime, session, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not _decide(runtime, session, "s3:PutObject", "arn:aws:s3:::b/k")


def test_iam_changes_apply_to_the_next_decision(runtime: Runtime, iam: IamService) -> None:
    user = _user(runtime, iam)
    assert not _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k")
    assert user.name is not None
    iam.users.attach(user.name, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    assert _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k")
    iam.users.detach(user.name, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    assert not _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k")


def test_sessions_of_a_deleted_role_are_allowed_nothing(runtime: Runtime, iam: IamService) -> None:
    session = _role_session(runtime, iam, allow("s3:*"))
    assert session.session is not None
    assert _decide(runtime, session, "s3:GetObject", "arn:aws:s3:::b/k")
    iam.roles.delete_inline(session.session.role_name, "p")
    iam.roles.delete(session.session.role_name)
    assert not _decide(runtime, session, "s3:GetObject", "arn:aws:s3:::b/k")


def test_unreadable_resource_policy_fails_closed(runtime: Runtime, iam: IamService) -> None:
    user = _user(runtime, iam, allow("s3:*"))
    assert not _decide(
        runtime, user, "s3:GetObject", "arn:aws:s3:::b/k", resource_policies=[("bucket", "{oops")]
    )


# ---- the request context -------------------------------------------------------------------------------------


def _condition(operator: str, key: str, value: Any) -> dict[str, Any]:
    return allow("s3:GetObject", "*", Condition={operator: {key: value}})


def test_user_context_keys(runtime: Runtime, iam: IamService, clock: Clock) -> None:
    user = _user(runtime, iam, tags=(("dept", "blue"),))
    assert user.name is not None
    expected = {
        "aws:username": user.name,
        "aws:userid": user.user_id,
        "aws:PrincipalArn": user.arn,
        "aws:PrincipalAccount": iam.account,
        "aws:PrincipalType": "User",
        "aws:PrincipalTag/dept": "blue",
        "aws:SourceIp": "192.0.2.10",
        "aws:SecureTransport": "false",
        "aws:RequestedRegion": runtime.region,
        "aws:CurrentTime": "2026-11-03T09:05:07Z",
        "aws:EpochTime": str(int(clock.now.timestamp())),
    }
    for key, value in expected.items():
        iam.users.put_inline(user.name, "p", policy(_condition("StringEquals", key, value)))
        assert _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k"), key
        iam.users.put_inline(user.name, "p", policy(_condition("StringEquals", key, value + "-not")))
        assert not _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k"), key
    iam.users.put_inline(user.name, "p", policy(_condition("Null", "aws:TokenIssueTime", "true")))
    assert _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k")  # long-term keys have no token


def test_https_and_source_ip_reach_conditions(runtime: Runtime, iam: IamService) -> None:
    user = _user(
        runtime,
        iam,
        allow(
            "s3:GetObject",
            "*",
            Condition={"Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        ),
    )
    assert _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k", scheme="https", client_ip="10.1.2.3")
    assert not _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k", scheme="http", client_ip="10.1.2.3")
    assert not _decide(
        runtime, user, "s3:GetObject", "arn:aws:s3:::b/k", scheme="https", client_ip="192.0.2.1"
    )


def test_role_session_context_keys(runtime: Runtime, iam: IamService, clock: Clock) -> None:
    context = {f"{COGNITO}:sub": IDENTITY, f"{COGNITO}:aud": "pool", f"{COGNITO}:amr": ["authenticated", "x"]}
    session = _role_session(
        runtime,
        iam,
        context=context,
        role_tags=(("team", "role"), ("level", "1")),
        session_tags={"team": "session"},
    )
    assert session.session is not None
    role = session.session.role_name
    expected = {
        "aws:PrincipalArn": session.session.role_arn,
        "aws:userid": f"{session.session.role_id}:CognitoIdentityCredentials",
        "aws:PrincipalType": "AssumedRole",
        "aws:TokenIssueTime": "2026-11-03T09:05:07Z",
        "aws:MultiFactorAuthPresent": "false",
        "aws:FederatedProvider": COGNITO,
        "aws:PrincipalTag/team": "session",
        "aws:PrincipalTag/level": "1",
        f"{COGNITO}:sub": IDENTITY,
        f"{COGNITO}:aud": "pool",
    }
    for key, value in expected.items():
        iam.roles.put_inline(role, "p", policy(_condition("StringEquals", key, value)))
        assert _decide(runtime, session, "s3:GetObject", "arn:aws:s3:::b/k"), key
    iam.roles.put_inline(
        role, "p", policy(_condition("ForAnyValue:StringEquals", f"{COGNITO}:amr", "authenticated"))
    )
    assert _decide(runtime, session, "s3:GetObject", "arn:aws:s3:::b/k")
    iam.roles.put_inline(role, "p", policy(_condition("Null", "aws:username", "true")))
    assert _decide(runtime, session, "s3:GetObject", "arn:aws:s3:::b/k")


def test_operation_keys_are_added_to_the_context(runtime: Runtime, iam: IamService) -> None:
    user = _user(runtime, iam, allow("s3:ListBucket", "*", Condition={"StringLike": {"s3:prefix": "home/*"}}))
    assert _decide(runtime, user, "s3:ListBucket", "arn:aws:s3:::b", context={"s3:prefix": "home/x"})
    assert not _decide(runtime, user, "s3:ListBucket", "arn:aws:s3:::b", context={"s3:prefix": "etc/"})
    assert not _decide(runtime, user, "s3:ListBucket", "arn:aws:s3:::b")


def test_scenario_policy_keeps_each_identity_in_its_own_folder(runtime: Runtime, iam: IamService) -> None:
    statements = (
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
    session = _role_session(runtime, iam, *statements, context={f"{COGNITO}:sub": IDENTITY})
    assert _decide(runtime, session, "s3:PutObject", f"arn:aws:s3:::photos/cognito/app/{IDENTITY}/f.txt")
    assert not _decide(
        runtime, session, "s3:PutObject", "arn:aws:s3:::photos/cognito/app/us-east-1:other/f.txt"
    )
    assert _decide(
        runtime,
        session,
        "s3:ListBucket",
        "arn:aws:s3:::photos",
        context={"s3:prefix": f"cognito/app/{IDENTITY}/"},
    )
    assert not _decide(runtime, session, "s3:ListBucket", "arn:aws:s3:::photos", context={"s3:prefix": ""})


# ---- AccessDenied wording ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "code", "status", "quoted"),
    [
        ("s3", "AccessDenied", 403, True),
        ("iam", "AccessDenied", 403, False),
        ("sts", "AccessDenied", 403, False),
        ("cognito-idp", "AccessDeniedException", 400, False),
        ("cognito-identity", "AccessDeniedException", 400, False),
    ],
)
def test_access_denied_per_protocol(
    runtime: Runtime, iam: IamService, service: str, code: str, status: int, quoted: bool
) -> None:
    user = _user(runtime, iam)
    call = make_call(runtime, user, service=service)
    resource = "arn:aws:s3:::b/k"
    with pytest.raises(ServiceError) as exc:
        runtime.access.require(call, "s3:GetObject", resource)
    shown = f'"{resource}"' if quoted else resource
    assert (exc.value.code, exc.value.status) == (code, status)
    assert exc.value.message == (
        f"User: {user.arn} is not authorized to perform: s3:GetObject on resource: {shown} "
        "because no identity-based policy allows the s3:GetObject action"
    )


def test_denied_wording_names_the_layer(runtime: Runtime, iam: IamService) -> None:
    bounded = _user(runtime, iam, allow("s3:*"), boundary_arn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    with pytest.raises(ServiceError) as exc:
        runtime.access.require(make_call(runtime, bounded, service="iam"), "s3:GetObject", "*")
    assert exc.value.message.endswith("because no permissions boundary allows the s3:GetObject action")
    denied = _user(runtime, iam, allow("s3:*"), deny("s3:DeleteObject"))
    with pytest.raises(ServiceError) as exc:
        runtime.access.require(make_call(runtime, denied, service="iam"), "s3:DeleteObject", "*")
    assert exc.value.message.endswith("with an explicit deny in an identity-based policy")


def test_anonymous_s3_denial_says_access_denied(runtime: Runtime, iam: IamService) -> None:
    with pytest.raises(ServiceError) as exc:
        runtime.access.require(
            make_call(runtime, anonymous(iam.account), service="s3"), "s3:GetObject", "arn:aws:s3:::b/k"
        )
    assert (exc.value.code, exc.value.message) == ("AccessDenied", "Access Denied")


def test_require_admin(runtime: Runtime, iam: IamService) -> None:
    runtime.access.require_admin(runtime.root_principal, "hutch:Explain", "r")
    with pytest.raises(ServiceError) as exc:
        runtime.access.require_admin(_user(runtime, iam, allow("s3:*")), "hutch:Explain", "r")
    assert exc.value.code == "AccessDenied"
    runtime.access.require_admin(_user(runtime, iam, allow("hutch:Explain")), "hutch:Explain", "r")


# ---- recording for explain -----------------------------------------------------------------------------------


def test_every_decision_is_recorded_under_the_request_id(runtime: Runtime, iam: IamService) -> None:
    user = _user(runtime, iam, allow("s3:GetObject", "arn:aws:s3:::b/*"))
    call = make_call(runtime, user, request_id=unique("rec-"))
    runtime.access.decide(call, "s3:GetObject", "arn:aws:s3:::b/k")
    runtime.access.decide(call, "s3:PutObject", "arn:aws:s3:::b/k")
    assert [d.allowed for d in call.decisions] == [True, False]
    # Serialized before anything reads it (what /_hutch/explain does): the full record comes out.
    serialized = json.loads(
        json.dumps(runtime.explain.get(call.request_id), separators=(",", ":"), default=str)
    )
    assert serialized["decisions"][1]["summary"].startswith("Implicitly denied")
    assert serialized["decisions"][1]["trace"]["effect"] == "ImplicitDeny"
    record = runtime.explain.get(call.request_id)
    assert record is not None and record["denied"]
    allowed, denied = record["decisions"]
    assert allowed["allowed"] and allowed["summary"].startswith("Allowed")
    assert denied["effect"] == "ImplicitDeny"
    assert "statement #0 allow: skipped - action does not list s3:putobject" in denied["text"].lower()
    assert denied["trace"]["trace"]["action"] == "s3:PutObject"
    assert runtime.explain.last_denied() is not None
    round_trip = json.loads(json.dumps(record, default=str))
    assert round_trip["decisions"][1]["summary"] == denied["summary"]


def test_explain_points_at_the_identity_id_pitfall(runtime: Runtime, iam: IamService) -> None:
    context = {
        f"{COGNITO}:sub": IDENTITY,
        f"{COGNITO}:amr": [
            "authenticated",
            "cognito-idp",
            f"cognito-idp.us-east-1.amazonaws.com/p:CognitoSignIn:{USER_POOL_SUB}",
        ],
    }
    session = _role_session(
        runtime,
        iam,
        allow("s3:PutObject", "arn:aws:s3:::photos/${cognito-identity.amazonaws.com:sub}/*"),
        context=context,
    )
    call = make_call(runtime, session, request_id=unique("hint-"))
    assert not runtime.access.decide(
        call, "s3:PutObject", f"arn:aws:s3:::photos/{USER_POOL_SUB}/f.txt"
    ).allowed
    record = runtime.explain.get(call.request_id)
    assert record is not None
    summary = record["decisions"][0]["summary"]
    assert f"identity ID {IDENTITY}" in summary and "uses the user pool sub instead" in summary
    assert "\n" not in summary
    ok = make_call(runtime, session, request_id=unique("hint-"))
    assert runtime.access.decide(ok, "s3:PutObject", f"arn:aws:s3:::photos/{IDENTITY}/f.txt").allowed
    assert "Hint" not in runtime.explain.get(ok.request_id)["decisions"][0]["summary"]  # type: ignore[index]


def test_time_keys_follow_the_clock(runtime: Runtime, iam: IamService, clock: Clock) -> None:
    user = _user(
        runtime,
        iam,
        allow("s3:GetObject", "*", Condition={"DateLessThan": {"aws:CurrentTime": "2026-11-03T10:00:00Z"}}),
    )
    assert _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k")
    clock.advance(hours=1)
    assert not _decide(runtime, user, "s3:GetObject", "arn:aws:s3:::b/k")
    clock.now -= timedelta(hours=1)


def test_a_question_asked_on_the_way_leads_its_explanation(runtime: Runtime, iam: IamService) -> None:
    """A missing key answers 403 to a caller who may not list the bucket: explain must say that, not
    diagnose a wrong folder name (the caller read their own folder)."""
    context = {f"{COGNITO}:sub": IDENTITY}
    session = _role_session(
        runtime,
        iam,
        allow("s3:GetObject", "arn:aws:s3:::photos/${cognito-identity.amazonaws.com:sub}/*"),
        context=context,
    )
    call = make_call(runtime, session, request_id=unique("probe-"))
    why = "The key 'x' does not exist in bucket photos."
    assert not runtime.access.decide(call, "s3:ListBucket", "arn:aws:s3:::photos", purpose=why).allowed
    record = runtime.explain.get(call.request_id)
    assert record is not None
    decision = record["decisions"][0]
    assert decision["words"].startswith(why) and decision["summary"].startswith(why)
    assert "user-pool sub" not in decision["words"] and "identity id" not in decision["words"]
    assert "Hint" not in decision["summary"]
