"""Temporary credentials: key formats, token binding (hash, constant-time), expiry, purge."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hutch.runtime import Runtime
from hutch.services.iam import IamService
from hutch.services.sts import IssuedCredentials, StsService
from hutch.services.sts.sessions import token_hash
from hutch.services.sts.store import get
from hutch.store.engine import read
from tests.unit.services.iam.support import Clock, trust_account, unique


def _issue(runtime: Runtime, iam: IamService, **kwargs: Any) -> tuple[StsService, IssuedCredentials]:
    role = iam.roles.create(unique("S"), trust_account(iam.account))
    sts: StsService = runtime.services["sts"]
    issued = sts.sessions.issue(
        role_id=role.id, role_arn=role.arn, session_name="sess", duration=timedelta(hours=1), **kwargs
    )
    return sts, issued


def test_issued_credentials_have_aws_formats(runtime: Runtime, iam: IamService, clock: Clock) -> None:
    _, issued = _issue(runtime, iam)
    assert issued.access_key_id.startswith("ASIA") and len(issued.access_key_id) == 20
    assert len(issued.secret_access_key) == 40
    assert issued.expiration == clock.now.replace(microsecond=0) + timedelta(hours=1)
    assert issued.assumed_role_arn.startswith(f"arn:aws:sts::{iam.account}:assumed-role/S")
    assert issued.assumed_role_arn.endswith("/sess")


def test_only_the_token_hash_is_stored(runtime: Runtime, iam: IamService) -> None:
    _, issued = _issue(runtime, iam)
    with read(runtime.engine) as conn:
        stored = get(conn, issued.access_key_id)
    assert stored is not None
    assert stored.token_hash == token_hash(issued.session_token)
    assert issued.session_token not in repr(stored)


def test_token_must_be_presented_and_unaltered(runtime: Runtime, iam: IamService) -> None:
    _, issued = _issue(runtime, iam)
    credential = runtime.credentials.lookup_access_key(issued.access_key_id)
    assert credential is not None
    token = issued.session_token
    assert credential.token_matches(token)
    assert not credential.token_matches(None)
    assert not credential.token_matches("")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert not credential.token_matches(tampered)
    _, other = _issue(runtime, iam)
    assert not credential.token_matches(other.session_token)


def test_session_principal_is_the_assumed_role(runtime: Runtime, iam: IamService) -> None:
    _, issued = _issue(
        runtime,
        iam,
        session_policies=('{"Version":"2012-10-17","Statement":[]}',),
        context={"cognito-identity.amazonaws.com:amr": ["authenticated", "x"]},
        tags={"project": "p"},
    )
    credential = runtime.credentials.lookup_access_key(issued.access_key_id)
    assert credential is not None
    principal = credential.principal
    assert principal.kind == "assumed-role"
    assert principal.arn == issued.assumed_role_arn
    assert principal.user_id == issued.assumed_role_id
    assert principal.session is not None
    assert principal.session.context["cognito-identity.amazonaws.com:amr"] == ("authenticated", "x")
    assert principal.session.tags == {"project": "p"}
    assert len(principal.session.session_policies) == 1


def test_expiry_and_purge(runtime: Runtime, iam: IamService, clock: Clock) -> None:
    sts, issued = _issue(runtime, iam)
    key = issued.access_key_id
    credential = runtime.credentials.lookup_access_key(key)
    assert credential is not None and not credential.expired(clock.now)
    clock.advance(hours=1)
    assert credential.expired(clock.now)
    sts.sessions.purge()
    assert runtime.credentials.lookup_access_key(key) is not None  # kept a day to answer ExpiredToken
    clock.advance(days=1, seconds=1)
    sts.sessions.purge()
    assert runtime.credentials.lookup_access_key(key) is None
