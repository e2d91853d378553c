from __future__ import annotations

import pytest

from hutch.policy.document import PrincipalSpec
from hutch.policy.principal import CompiledPrincipal, PrincipalMatch, RequestPrincipal
from tests.unit.policy.support import ACCOUNT, ROLE_ARN, SESSION_ARN, USER_ARN, role_session, root, user


def _spec(**values: list[str]) -> CompiledPrincipal:
    return CompiledPrincipal(PrincipalSpec(False, False, tuple((k, tuple(v)) for k, v in values.items())))


def test_user_arn_names_user_directly() -> None:
    assert _spec(AWS=[USER_ARN]).match(user())[0] is PrincipalMatch.DIRECT


def test_account_id_and_root_arn_name_the_account() -> None:
    assert _spec(AWS=[ACCOUNT]).match(user())[0] is PrincipalMatch.ACCOUNT
    assert _spec(AWS=[f"arn:aws:iam::{ACCOUNT}:root"]).match(role_session())[0] is PrincipalMatch.ACCOUNT
    assert _spec(AWS=[ACCOUNT]).match(root())[0] is PrincipalMatch.DIRECT


def test_role_arn_and_session_arn_are_distinguished() -> None:
    assert _spec(AWS=[ROLE_ARN]).match(role_session())[0] is PrincipalMatch.ROLE
    assert _spec(AWS=[SESSION_ARN]).match(role_session())[0] is PrincipalMatch.DIRECT
    assert _spec(AWS=[ROLE_ARN, SESSION_ARN]).match(role_session())[0] is PrincipalMatch.DIRECT


def test_other_principals_do_not_match() -> None:
    assert _spec(AWS=["arn:aws:iam::999999999999:user/bob"]).match(user())[0] is None
    assert _spec(Service=["s3.amazonaws.com"]).match(user())[0] is None


def test_everyone_matches_anonymous_but_named_principals_do_not() -> None:
    everyone = CompiledPrincipal(PrincipalSpec(False, True, ()))
    assert everyone.match(RequestPrincipal.anonymous())[0] is PrincipalMatch.DIRECT
    assert _spec(AWS=[ACCOUNT]).match(RequestPrincipal.anonymous())[0] is None


def test_federated_identity() -> None:
    web = RequestPrincipal(
        "us-east-1:abc", "", "federated-web-identity", {"Federated": ["cognito-identity.amazonaws.com"]}
    )
    assert _spec(Federated=["cognito-identity.amazonaws.com"]).match(web)[0] is PrincipalMatch.DIRECT
    assert _spec(Federated=["accounts.google.com"]).match(web)[0] is None


def test_not_principal_applies_to_everyone_not_listed() -> None:
    spec = CompiledPrincipal(PrincipalSpec(True, False, (("AWS", (USER_ARN,)),)))
    assert spec.match(user())[0] is None
    assert spec.match(role_session())[0] is PrincipalMatch.DIRECT


def test_unknown_kind_rejected() -> None:
    with pytest.raises(ValueError, match="unknown principal kind"):
        RequestPrincipal("x", ACCOUNT, "robot")
