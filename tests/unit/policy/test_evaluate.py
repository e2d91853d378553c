"""The decision logic, each rule named after the IAM User Guide statement it implements."""

from __future__ import annotations

import contextlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from hutch.policy import (
    AuthzRequest,
    Layer,
    MalformedPolicyError,
    PolicyKind,
    PolicySet,
    RequestPrincipal,
    access_denied_message,
    compile_policy,
    evaluate,
    evaluate_trust,
)
from hutch.policy.explain import decision_to_dict, render_text
from tests.unit.policy.support import (
    ACCOUNT,
    OBJECT,
    ROLE_ARN,
    SESSION_ARN,
    USER_ARN,
    allow,
    deny,
    policy,
    role_session,
    root,
    user,
)

RESOURCE = PolicyKind.RESOURCE


def _req(
    principal: RequestPrincipal | None = None,
    action: str = "s3:GetObject",
    resource: str = OBJECT,
    context: dict[str, str] | None = None,
) -> AuthzRequest:
    return AuthzRequest(principal or user(), action, resource, context or {})


def test_no_policy_is_an_implicit_deny_with_aws_wording() -> None:
    decision = evaluate(_req(), PolicySet(identity=[]))
    assert not decision.allowed and decision.effect == "ImplicitDeny"
    assert decision.denied_by is Layer.IDENTITY
    assert decision.reason == "because no identity-based policy allows the s3:GetObject action"


def test_identity_allow_allows() -> None:
    decision = evaluate(_req(), PolicySet(identity=[policy(allow())]))
    assert decision.allowed and decision.effect == "Allow" and decision.reason == ""
    assert [(m.layer, m.statement_index) for m in decision.matched_statements] == [(Layer.IDENTITY, 0)]


def test_explicit_deny_overrides_allow() -> None:
    decision = evaluate(_req(), PolicySet(identity=[policy(allow(), deny())]))
    assert decision.effect == "ExplicitDeny"
    assert decision.reason == "with an explicit deny in an identity-based policy"
    assert [m.effect for m in decision.matched_statements] == ["Deny"]


def test_action_is_case_insensitive_resource_is_not() -> None:
    policies = PolicySet(identity=[policy(allow("S3:getobject"))])
    assert evaluate(_req(action="s3:GETOBJECT"), policies).allowed
    assert not evaluate(_req(resource=OBJECT.upper()), policies).allowed


def test_not_action_and_not_resource() -> None:
    policies = PolicySet(
        identity=[
            policy({"Effect": "Allow", "NotAction": "s3:Delete*", "NotResource": "arn:aws:s3:::secret/*"})
        ]
    )
    assert evaluate(_req(), policies).allowed
    assert not evaluate(_req(action="s3:DeleteObject"), policies).allowed
    assert not evaluate(_req(resource="arn:aws:s3:::secret/x"), policies).allowed


def test_deny_not_resource_with_unresolved_variable_covers_every_resource() -> None:
    """ "If a variable that has no value in the authorization context is used as part of the Resource or
    NotResource element of a policy, the resource that includes a policy variable with no value will not
    match any resource" -- so a Deny's NotResource excludes nothing and the deny applies."""
    policies = PolicySet(
        identity=[
            policy(
                allow("s3:*", "*"),
                {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::b/${aws:username}/*"},
            )
        ]
    )
    assert evaluate(_req(resource="arn:aws:s3:::b/alice/f"), policies).effect == "ExplicitDeny"
    with_name = _req(resource="arn:aws:s3:::b/alice/f", context={"aws:username": "alice"})
    assert evaluate(with_name, policies).allowed
    assert evaluate(with_name, policies, explain=True).allowed


def test_deny_with_negated_condition_on_variable_without_value_still_denies() -> None:
    """The User Guide's own example ("Policy variables with no value"): a Deny with StringNotEquals
    s3:ExistingObjectTag/Team = ${aws:PrincipalTag/Team} -- "Access is specifically denied when
    aws:principaltag/Team is not set", because "inverted condition operators like StringNotEquals ... do
    match against a null value"."""
    guard = deny(
        "s3:GetObject",
        "arn:aws:s3:::example-bucket/*",
        Condition={"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
    )
    policies = PolicySet(identity=[policy(allow("s3:*", "*"), guard)])
    untagged = _req(resource="arn:aws:s3:::example-bucket/x", context={"s3:ExistingObjectTag/Team": "red"})
    for explain in (False, True):
        assert evaluate(untagged, policies, explain=explain).effect == "ExplicitDeny"
    same_team = _req(
        resource="arn:aws:s3:::example-bucket/x",
        context={"s3:ExistingObjectTag/Team": "red", "aws:PrincipalTag/Team": "red"},
    )
    assert evaluate(same_team, policies).allowed


def test_not_resource_with_unresolved_variable_fails_closed() -> None:
    policies = PolicySet(
        identity=[
            policy({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::b/${aws:username}/*"})
        ]
    )
    assert not evaluate(_req(), policies).allowed
    assert evaluate(_req(context={"aws:username": "alice"}), policies).allowed


def test_same_account_resource_policy_naming_the_user_allows_without_identity_policy() -> None:
    """ "If either the identity-based policy or the resource-based policy within the same account allows
    the request and the other doesn't, the request is still allowed.\""""
    bucket = policy(allow(Principal={"AWS": USER_ARN}), kind=RESOURCE)
    assert evaluate(_req(), PolicySet(identity=[], resource=[bucket])).allowed


def test_resource_policy_naming_user_is_not_limited_by_user_permissions_boundary() -> None:
    """ "An implicit deny in a permissions boundary does not limit the permissions granted to an IAM user
    by a resource-based policy" (same account)."""
    bucket = policy(allow(Principal={"AWS": USER_ARN}), kind=RESOURCE)
    assert evaluate(_req(), PolicySet(identity=[], boundary=[], resource=[bucket])).allowed


def test_resource_policy_naming_the_role_session_is_not_limited_by_boundary_or_session_policy() -> None:
    """Resource-based policies that grant permissions to a role-session ARN directly are not limited by
    an implicit deny in identity-based policies, permissions boundaries or session policies."""
    bucket = policy(allow(Principal={"AWS": SESSION_ARN}), kind=RESOURCE)
    decision = evaluate(
        _req(role_session()), PolicySet(identity=[], boundary=[], session=[], resource=[bucket])
    )
    assert decision.allowed


def test_resource_policy_naming_the_role_arn_is_limited_by_boundary_and_session_policy() -> None:
    """Resource-based policies that grant permissions to an IAM role ARN are limited by an implicit deny
    in a permissions boundary or session policy."""
    bucket = policy(allow(Principal={"AWS": ROLE_ARN}), kind=RESOURCE)
    req = _req(role_session())
    assert evaluate(req, PolicySet(identity=[], resource=[bucket])).allowed
    boundary_denies = evaluate(
        req, PolicySet(identity=[], boundary=[policy(allow("s3:PutObject"))], resource=[bucket])
    )
    assert boundary_denies.reason == "because no permissions boundary allows the s3:GetObject action"
    assert boundary_denies.denied_by is Layer.BOUNDARY
    session_denies = evaluate(req, PolicySet(identity=[], session=[], resource=[bucket]))
    assert session_denies.reason == "because no session policy allows the s3:GetObject action"
    both_allow = PolicySet(
        identity=[], boundary=[policy(allow())], session=[policy(allow())], resource=[bucket]
    )
    assert evaluate(req, both_allow).allowed


def test_resource_policy_naming_the_account_delegates_to_identity_policies() -> None:
    """ "When you use an AWS account identifier as the principal in a policy, ... all identities inside the
    account can access the resource if they have the appropriate IAM permissions attached.\""""
    bucket = policy(allow(Principal={"AWS": ACCOUNT}), kind=RESOURCE)
    assert not evaluate(_req(), PolicySet(identity=[], resource=[bucket])).allowed
    assert evaluate(_req(), PolicySet(identity=[policy(allow())], resource=[bucket])).allowed


def test_permissions_boundary_intersects_identity_permissions() -> None:
    identity = [policy(allow("s3:*", "*"))]
    decision = evaluate(_req(), PolicySet(identity=identity, boundary=[policy(allow("s3:PutObject"))]))
    assert decision.reason == "because no permissions boundary allows the s3:GetObject action"
    assert evaluate(_req(), PolicySet(identity=identity, boundary=[policy(allow("s3:Get*", "*"))])).allowed


def test_boundary_alone_grants_nothing() -> None:
    decision = evaluate(_req(), PolicySet(identity=[], boundary=[policy(allow())]))
    assert decision.reason == "because no identity-based policy allows the s3:GetObject action"


def test_session_policy_intersects_identity_permissions() -> None:
    identity = [policy(allow("s3:*", "*"))]
    req = _req(role_session())
    assert not evaluate(req, PolicySet(identity=identity, session=[policy(allow("s3:PutObject"))])).allowed
    assert evaluate(req, PolicySet(identity=identity, session=[policy(allow())])).allowed
    assert evaluate(req, PolicySet(identity=identity, session=None)).allowed


def test_explicit_deny_in_each_layer_is_named() -> None:
    everything = [policy(allow("s3:*", "*"))]
    bucket_deny = policy(deny(Principal="*"), kind=RESOURCE)
    cases = {
        "with an explicit deny in a resource-based policy": PolicySet(
            identity=everything, resource=[bucket_deny]
        ),
        "with an explicit deny in a permissions boundary": PolicySet(
            identity=everything, boundary=[policy(allow("s3:*", "*"), deny())]
        ),
        "with an explicit deny in a session policy": PolicySet(
            identity=everything, session=[policy(allow("s3:*", "*"), deny())]
        ),
    }
    for reason, policies in cases.items():
        decision = evaluate(_req(role_session()), policies)
        assert (decision.effect, decision.reason) == ("ExplicitDeny", reason)


def test_explicit_deny_beats_direct_resource_grant() -> None:
    bucket = policy(allow(Principal={"AWS": USER_ARN}), kind=RESOURCE)
    assert not evaluate(_req(), PolicySet(identity=[policy(deny())], resource=[bucket])).allowed


def test_root_is_allowed_everything_but_an_explicit_deny() -> None:
    assert evaluate(_req(root()), PolicySet(identity=None)).allowed
    bucket_deny = policy(deny(Principal="*"), kind=RESOURCE)
    assert evaluate(_req(root()), PolicySet(identity=None, resource=[bucket_deny])).effect == "ExplicitDeny"


def test_anonymous_needs_a_public_resource_policy() -> None:
    anonymous = RequestPrincipal.anonymous()
    public = policy(allow(Principal="*"), kind=RESOURCE)
    account_only = policy(allow(Principal={"AWS": ACCOUNT}), kind=RESOURCE)
    assert evaluate(_req(anonymous), PolicySet(identity=None, resource=[public])).allowed
    denied = evaluate(_req(anonymous), PolicySet(identity=None, resource=[account_only]))
    assert denied.reason == "because no resource-based policy allows the s3:GetObject action"


def test_not_principal_deny_spares_the_listed_principal() -> None:
    bucket = policy(allow(Principal="*"), deny(NotPrincipal={"AWS": [USER_ARN, ACCOUNT]}), kind=RESOURCE)
    assert evaluate(_req(), PolicySet(identity=[], resource=[bucket])).allowed
    assert evaluate(_req(role_session()), PolicySet(identity=[], resource=[bucket])).effect == "ExplicitDeny"


def test_not_principal_deny_without_the_account_arn_denies_the_user() -> None:
    """NotPrincipal with Deny: "you must also specify the account ARN of the not-denied principal.
    Otherwise, the policy might deny access to the entire account containing the principal" -- AWS may
    evaluate the account, then the user; the deny applies unless every one of them is listed."""
    only_user = policy(allow(Principal="*"), deny(NotPrincipal={"AWS": [USER_ARN]}), kind=RESOURCE)
    assert evaluate(_req(), PolicySet(identity=[], resource=[only_user])).effect == "ExplicitDeny"
    only_account = policy(allow(Principal="*"), deny(NotPrincipal={"AWS": [ACCOUNT]}), kind=RESOURCE)
    assert evaluate(_req(), PolicySet(identity=[], resource=[only_account])).effect == "ExplicitDeny"


def test_not_principal_deny_spares_a_role_session_only_with_session_role_and_account() -> None:
    """For an assumed-role user "AWS might validate the account first, then the role, and then the
    assumed-role user": the NotPrincipal element must list all three to spare the session."""
    req = _req(role_session())
    for listed in (
        [ROLE_ARN],
        [SESSION_ARN],
        [ROLE_ARN, ACCOUNT],
        [SESSION_ARN, ACCOUNT],
        [SESSION_ARN, ROLE_ARN],
    ):
        bucket = policy(allow(Principal="*"), deny(NotPrincipal={"AWS": listed}), kind=RESOURCE)
        assert evaluate(req, PolicySet(identity=[], resource=[bucket])).effect == "ExplicitDeny", listed
    every = policy(
        allow(Principal="*"), deny(NotPrincipal={"AWS": [SESSION_ARN, ROLE_ARN, ACCOUNT]}), kind=RESOURCE
    )
    assert evaluate(req, PolicySet(identity=[], resource=[every])).allowed


def test_not_principal_deny_always_denies_a_principal_with_a_permissions_boundary() -> None:
    """ "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a
    permissions boundary policy attached, regardless of the values specified in the NotPrincipal
    element." (IAM User Guide, NotPrincipal)"""
    listed = deny(NotPrincipal={"AWS": [USER_ARN, ACCOUNT]})
    bucket = policy(allow(Principal="*"), listed, kind=RESOURCE)
    bounded = PolicySet(identity=[policy(allow())], boundary=[policy(allow())], resource=[bucket])
    decision = evaluate(_req(), bounded)
    assert decision.effect == "ExplicitDeny" and decision.denied_by is Layer.RESOURCE
    assert evaluate(_req(), bounded, explain=True).effect == "ExplicitDeny"
    assert evaluate(_req(), PolicySet(identity=[policy(allow())], resource=[bucket])).allowed


def test_not_principal_allow_applies_only_to_principals_it_does_not_list() -> None:
    """NotPrincipal with Allow "allows all principals except the one named" -- listing any of the
    caller's identities (here the account) keeps the Allow from applying to it."""
    bucket = policy(allow(NotPrincipal={"AWS": [ACCOUNT]}), kind=RESOURCE)
    assert not evaluate(_req(), PolicySet(identity=[], resource=[bucket])).allowed
    assert evaluate(_req(RequestPrincipal.anonymous()), PolicySet(identity=None, resource=[bucket])).allowed


def test_conditions_are_anded_across_operators_and_keys() -> None:
    statement = allow(
        Condition={
            "StringEquals": {"aws:username": "alice", "aws:PrincipalAccount": ACCOUNT},
            "Bool": {"aws:SecureTransport": "true"},
        }
    )
    policies = PolicySet(identity=[policy(statement)])
    full = {"aws:username": "alice", "aws:PrincipalAccount": ACCOUNT, "aws:SecureTransport": "true"}
    assert evaluate(_req(context=full), policies).allowed
    for key in full:
        partial = {k: v for k, v in full.items() if k != key}
        assert not evaluate(_req(context=partial), policies).allowed


def test_missing_context_keys_reported() -> None:
    statement = allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "red"}})
    decision = evaluate(
        _req(),
        PolicySet(identity=[policy(statement, allow("s3:PutObject", Condition={"Bool": {"aws:X": "true"}}))]),
    )
    assert decision.missing_context_keys == ("aws:PrincipalTag/team",)
    assert (
        evaluate(
            _req(context={"aws:PrincipalTag/team": "blue"}), PolicySet(identity=[policy(statement)])
        ).missing_context_keys
        == ()
    )


def test_trust_policy_naming_web_identity_provider_admits_it() -> None:
    trust = policy(
        {
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
        },
        kind=PolicyKind.TRUST,
    )
    web = RequestPrincipal(
        "us-east-1:id", "", "federated-web-identity", {"Federated": ["cognito-identity.amazonaws.com"]}
    )
    assert evaluate_trust(AuthzRequest(web, "sts:AssumeRoleWithWebIdentity", ROLE_ARN), trust).allowed
    wrong_action = evaluate_trust(AuthzRequest(web, "sts:AssumeRole", ROLE_ARN), trust)
    assert wrong_action.reason == "because no resource-based policy allows the sts:AssumeRole action"


def test_trust_policy_naming_the_account_requires_caller_identity_permission() -> None:
    trust = policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"},
        kind=PolicyKind.TRUST,
    )
    req = AuthzRequest(user(), "sts:AssumeRole", ROLE_ARN)
    assert not evaluate_trust(req, trust, PolicySet(identity=[])).allowed
    assert evaluate_trust(req, trust, PolicySet(identity=[policy(allow("sts:AssumeRole", ROLE_ARN))])).allowed


def test_trust_policy_naming_the_user_needs_no_identity_policy() -> None:
    trust = policy(
        {"Effect": "Allow", "Principal": {"AWS": USER_ARN}, "Action": "sts:AssumeRole"}, kind=PolicyKind.TRUST
    )
    assert evaluate_trust(
        AuthzRequest(user(), "sts:AssumeRole", ROLE_ARN), trust, PolicySet(identity=[])
    ).allowed


def test_trust_policy_must_allow_even_for_identity_allowed_callers() -> None:
    trust = policy(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
        kind=PolicyKind.TRUST,
    )
    caller = PolicySet(identity=[policy(allow("sts:AssumeRole", "*"))])
    decision = evaluate_trust(AuthzRequest(user(), "sts:AssumeRole", ROLE_ARN), trust, caller)
    assert decision.denied_by is Layer.RESOURCE and not decision.allowed


def test_access_denied_message() -> None:
    req = _req(action="s3:PutObject")
    decision = evaluate(req, PolicySet(identity=[]))
    assert access_denied_message(req, decision) == (
        f"User: {USER_ARN} is not authorized to perform: s3:PutObject on resource: {OBJECT} "
        "because no identity-based policy allows the s3:PutObject action"
    )
    assert f'on resource: "{OBJECT}" because' in access_denied_message(req, decision, quote_resource=True)


def test_compiled_policy_is_cached_by_text_and_kind() -> None:
    text = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}'
    assert compile_policy(text, PolicyKind.IDENTITY) is compile_policy(text, PolicyKind.IDENTITY)


# --- properties -------------------------------------------------------------------------------

_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:*", "s3:Get*", "*", "iam:GetUser"]
_RESOURCES = [OBJECT, "arn:aws:s3:::bkt/*", "*", "arn:aws:s3:::other/*", "arn:aws:s3:::bkt/${aws:username}*"]
_CONDITIONS = [
    None,
    {"StringEquals": {"aws:username": "alice"}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"StringNotEquals": {"aws:username": "bob"}},
    {"ForAnyValue:StringLike": {"aws:TagKeys": "t*"}},
]


@st.composite
def _statements(draw: st.DrawFn, effect: str | None = None, principal: bool = False) -> dict[str, object]:
    out: dict[str, object] = {
        "Effect": effect or draw(st.sampled_from(["Allow", "Deny"])),
        "Action": draw(st.sampled_from(_ACTIONS)),
        "Resource": draw(st.sampled_from(_RESOURCES)),
    }
    condition = draw(st.sampled_from(_CONDITIONS))
    if condition:
        out["Condition"] = condition
    if principal:
        out["Principal"] = draw(
            st.sampled_from(
                ["*", {"AWS": USER_ARN}, {"AWS": ACCOUNT}, {"AWS": ROLE_ARN}, {"AWS": SESSION_ARN}]
            )
        )
    return out


_layer_lists = st.lists(_statements(), min_size=1, max_size=3)
_contexts = st.fixed_dictionaries(
    {},
    optional={
        "aws:username": st.sampled_from(["alice", "bob", "*"]),
        "aws:SecureTransport": st.sampled_from(["true", "false"]),
        "aws:TagKeys": st.lists(st.sampled_from(["t1", "x"]), max_size=2),
    },
)


@st.composite
def _policy_sets(draw: st.DrawFn) -> PolicySet:
    def layer(optional: bool) -> list[object] | None:
        if optional and draw(st.booleans()):
            return None
        return [policy(*draw(_layer_lists))]

    resource = draw(st.lists(_statements(principal=True), max_size=2))
    return PolicySet(
        identity=layer(False),  # type: ignore[arg-type]
        boundary=layer(True),  # type: ignore[arg-type]
        session=layer(True),  # type: ignore[arg-type]
        resource=[policy(*resource, kind=RESOURCE)] if resource else [],
    )


@settings(max_examples=150, deadline=None)
@given(
    policies=_policy_sets(),
    context=_contexts,
    principal=st.sampled_from([user(), role_session()]),
    layer=st.sampled_from(["identity", "boundary", "session", "resource"]),
)
def test_explicit_deny_always_wins(
    policies: PolicySet, context: dict[str, object], principal: RequestPrincipal, layer: str
) -> None:
    blanket = deny("s3:GetObject", "*", **({"Principal": "*"} if layer == "resource" else {}))
    kind = RESOURCE if layer == "resource" else PolicyKind.IDENTITY
    layers = {
        "identity": policies.identity,
        "boundary": policies.boundary,
        "session": policies.session,
        "resource": policies.resource,
    }
    layers[layer] = [*(layers[layer] or []), policy(blanket, kind=kind, name="deny")]
    decision = evaluate(AuthzRequest(principal, "s3:GetObject", OBJECT, context), PolicySet(**layers))  # type: ignore[arg-type]
    assert not decision.allowed and decision.effect == "ExplicitDeny"


@settings(max_examples=150, deadline=None)
@given(
    policies=_policy_sets(),
    context=_contexts,
    principal=st.sampled_from([user(), role_session(), root()]),
    action=st.sampled_from(["s3:GetObject", "s3:PutObject", "iam:GetUser"]),
)
def test_explained_decision_equals_fast_decision(
    policies: PolicySet, context: dict[str, object], principal: RequestPrincipal, action: str
) -> None:
    req = AuthzRequest(principal, action, OBJECT, context)  # type: ignore[arg-type]
    fast = evaluate(req, policies)
    explained = evaluate(req, policies, explain=True)
    assert explained.trace is not None and fast.trace is None
    assert (
        fast.effect,
        fast.denied_by,
        fast.reason,
        fast.matched_statements,
        set(fast.missing_context_keys),
    ) == (
        explained.effect,
        explained.denied_by,
        explained.reason,
        explained.matched_statements,
        set(explained.missing_context_keys),
    )


def test_variables_are_literal_text_in_a_2008_policy() -> None:
    """Policy variables are recognised only under Version 2012-10-17."""
    bucket_2008 = policy(
        allow(resource="arn:aws:s3:::bkt/${aws:username}/*", Principal="*"),
        kind=RESOURCE,
        version="2008-10-17",
    )
    literal = AuthzRequest(
        user(), "s3:GetObject", "arn:aws:s3:::bkt/${aws:username}/f", {"aws:username": "alice"}
    )
    substituted = AuthzRequest(user(), "s3:GetObject", "arn:aws:s3:::bkt/alice/f", {"aws:username": "alice"})
    assert evaluate(literal, PolicySet(identity=[], resource=[bucket_2008])).allowed
    assert not evaluate(substituted, PolicySet(identity=[], resource=[bucket_2008])).allowed


def test_variable_default_applies_in_resource() -> None:
    policies = PolicySet(
        identity=[policy(allow(resource="arn:aws:s3:::bkt/${aws:PrincipalTag/team, 'shared'}/*"))]
    )
    assert evaluate(_req(resource="arn:aws:s3:::bkt/shared/x"), policies).allowed
    assert evaluate(
        _req(resource="arn:aws:s3:::bkt/red/x", context={"aws:PrincipalTag/team": "red"}), policies
    ).allowed
    assert not evaluate(
        _req(resource="arn:aws:s3:::bkt/shared/x", context={"aws:PrincipalTag/team": "red"}), policies
    ).allowed


def test_trust_explained() -> None:
    trust = policy(
        {"Effect": "Allow", "Principal": {"AWS": USER_ARN}, "Action": "sts:AssumeRole"}, kind=PolicyKind.TRUST
    )
    decision = evaluate_trust(AuthzRequest(user(), "sts:AssumeRole", ROLE_ARN), trust, explain=True)
    assert decision.allowed and decision.trace is not None
    statement = decision.trace.policies[0].statements[0]
    assert statement.applied and statement.principal_note == f"AWS:{USER_ARN}"


# --- robustness: any parsed policy and any context give a Decision, never an exception ----------------

_NASTY = [
    "",
    "*",
    "?",
    "${aws:username}",
    "${*}",
    "${k, 'd'}",
    "${unclosed",
    "9" * 5000,
    "-" + "9" * 30,
    "1e999999999",
    "NaN",
    "\ud800",
    "\u0661\u0667",
    "10.0.0.1/33",
    "::1/128",
    "fe80::1%eth0",
    "2020-01-01T24:59:00Z",
    "1700000000",
    "true",
    "AA==",
    "arn:aws:s3:::b/*",
    "arn:*:*:*:*:*",
    "::::::",
]
_OPERATORS = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotLike",
    "StringLike",
    "NumericLessThan",
    "NumericNotEquals",
    "DateGreaterThan",
    "DateNotEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnLike",
    "ArnNotEquals",
    "Null",
]
_KEYS = ["k", "AWS:TagKeys"]
_values = st.one_of(st.sampled_from(_NASTY), st.sampled_from(_NASTY), st.text(max_size=8))


@st.composite
def _any_condition(draw: st.DrawFn) -> dict[str, dict[str, object]]:
    condition: dict[str, dict[str, object]] = {}
    for _ in range(draw(st.integers(1, 3))):
        operator = draw(st.sampled_from(_OPERATORS))
        if operator != "Null" and draw(st.booleans()):
            operator += "IfExists"
        operator = draw(st.sampled_from(["", "ForAllValues:", "ForAnyValue:"])) + operator
        value = draw(st.one_of(_values, st.lists(_values, max_size=3)))
        condition.setdefault(operator, {})[draw(st.sampled_from(_KEYS))] = value
    return condition


@st.composite
def _any_statement(draw: st.DrawFn, kind: PolicyKind) -> dict[str, object]:
    statement: dict[str, object] = {
        "Effect": draw(st.sampled_from(["Allow", "Deny"])),
        draw(st.sampled_from(["Action", "NotAction"])): draw(st.sampled_from(["s3:*", "*", "s3:Get?bject"])),
    }
    if kind is not PolicyKind.TRUST:
        patterns = st.one_of(st.sampled_from(_NASTY), _values).map(lambda v: "arn:aws:s3:::" + v)
        statement[draw(st.sampled_from(["Resource", "NotResource"]))] = draw(
            st.lists(patterns, min_size=1, max_size=2)
        )
    if kind is not PolicyKind.IDENTITY:
        element = (
            "Principal" if kind is PolicyKind.TRUST else draw(st.sampled_from(["Principal", "NotPrincipal"]))
        )
        statement[element] = draw(
            st.sampled_from(["*", {"AWS": ACCOUNT}, {"AWS": ROLE_ARN}, {"AWS": [USER_ARN, SESSION_ARN]}])
        )
    if draw(st.booleans()):
        statement["Condition"] = draw(_any_condition())
    return statement


@st.composite
def _any_policies(draw: st.DrawFn, kind: PolicyKind) -> list[object]:
    out: list[object] = []
    for _ in range(draw(st.integers(0, 2))):
        version = (
            "2012-10-17"
            if kind is PolicyKind.IDENTITY
            else draw(st.sampled_from(["2012-10-17", "2008-10-17"]))
        )
        statements = draw(st.lists(_any_statement(kind), min_size=1, max_size=3))
        with contextlib.suppress(MalformedPolicyError):
            out.append(policy(*statements, kind=kind, version=version))
    return out


_any_context = st.dictionaries(
    st.sampled_from([*_KEYS, "K", "aws:username"]),
    st.one_of(_values, st.lists(_values, max_size=3)),
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    context=_any_context,
    principal=st.sampled_from([user(), role_session(), root(), RequestPrincipal.anonymous()]),
    resource=st.one_of(
        st.sampled_from([OBJECT, "*", "arn:aws:s3:::bkt/*", "arn:aws:s3:::" + "9" * 5000]), _values
    ),
)
def test_evaluation_never_raises_on_random_policies_and_contexts(
    data: st.DataObject, context: dict[str, str | list[str]], principal: RequestPrincipal, resource: str
) -> None:
    draw = data.draw
    identity = PolicyKind.IDENTITY
    policies = PolicySet(
        identity=draw(_any_policies(identity)),  # type: ignore[arg-type]
        boundary=draw(st.one_of(st.none(), _any_policies(identity))),  # type: ignore[arg-type]
        session=draw(st.one_of(st.none(), _any_policies(identity))),  # type: ignore[arg-type]
        resource=draw(_any_policies(RESOURCE)),  # type: ignore[arg-type]
    )
    request = AuthzRequest(
        principal, draw(st.sampled_from(["s3:GetObject", "S3:getobject"])), resource, context
    )
    fast = evaluate(request, policies)
    explained = evaluate(request, policies, explain=True)
    assert fast.effect in ("Allow", "ExplicitDeny", "ImplicitDeny")
    assert (fast.effect, fast.reason, fast.matched_statements) == (
        explained.effect,
        explained.reason,
        explained.matched_statements,
    )
    render_text(explained)
    json.dumps(decision_to_dict(explained))
    for trust in draw(_any_policies(PolicyKind.TRUST)):
        assert evaluate_trust(request, trust, policies).effect in ("Allow", "ExplicitDeny", "ImplicitDeny")  # type: ignore[arg-type]


def test_policy_of_the_wrong_kind_for_its_layer_grants_nothing() -> None:
    """A resource-based policy must name a principal; an identity policy names none, so placed in the
    resource layer its Allow would name everyone (anonymous callers included). A bucket or trust policy
    placed in an identity layer could likewise grant through ``"Principal": "*"``. Either way the
    misplaced policy's Allow statements grant nothing; its Deny statements still apply."""
    misplaced_identity = policy(allow(), kind=PolicyKind.IDENTITY)
    anonymous = _req(RequestPrincipal.anonymous())
    for explain in (False, True):
        decision = evaluate(
            anonymous, PolicySet(identity=None, resource=[misplaced_identity]), explain=explain
        )
        assert not decision.allowed
        public_bucket = policy(allow(Principal="*"), kind=RESOURCE)
        assert not evaluate(_req(), PolicySet(identity=[public_bucket]), explain=explain).allowed
    blanket_deny = policy(deny(), kind=PolicyKind.IDENTITY)
    bucket = policy(allow(Principal="*"), kind=RESOURCE)
    assert (
        evaluate(anonymous, PolicySet(identity=None, resource=[bucket, blanket_deny])).effect
        == "ExplicitDeny"
    )
