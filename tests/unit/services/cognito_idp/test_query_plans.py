"""Sign-in never scans a table: every statement a sign-in, refresh or token check runs is answered from an
index, so sign-ins per second stay flat however many users and sessions a pool holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from hutch.runtime import Runtime
from hutch.services.cognito_idp.service import CognitoIdpService
from tests.unit.services.cognito_idp.conftest import PASSWORD, Invoke
from tests.unit.services.cognito_idp.test_signin import password_sign_in, srp_sign_in


@contextmanager
def statements(runtime: Runtime) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")) and "cognito_" in statement:
            seen.append((statement, parameters))

    sa.event.listen(runtime.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(runtime.engine, "before_cursor_execute", record)


def full_scans(runtime: Runtime, seen: list[tuple[str, Any]]) -> list[str]:
    """Plans that read a whole cognito_ table (SQLite says "SCAN <table>" without an index)."""
    bad = []
    with runtime.engine.connect() as conn:
        for statement, parameters in seen:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            for row in plan:
                detail = str(row[-1])
                if detail.startswith("SCAN ") and "cognito_" in detail and "USING" not in detail:
                    bad.append(f"{detail}  <=  {statement}")
    return bad


@pytest.fixture(autouse=True)
def _sqlite_only(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("query plans are read with SQLite's EXPLAIN QUERY PLAN")


def test_password_sign_in_refresh_and_token_checks_use_indexes(
    runtime: Runtime, public: Invoke, svc: CognitoIdpService, app: dict[str, Any], alice: str
) -> None:
    with statements(runtime) as seen:
        tokens = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]
        public(
            "InitiateAuth",
            ClientId=app["ClientId"],
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
        svc.verify_id_token(tokens["IdToken"])
        public("GetUser", AccessToken=tokens["AccessToken"])
    assert seen
    assert full_scans(runtime, seen) == []


def test_srp_sign_in_and_failures_use_indexes(
    runtime: Runtime, public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    with statements(runtime) as seen:
        srp_sign_in(public, pool, app, alice, PASSWORD)
        with pytest.raises(Exception, match="Incorrect"):
            srp_sign_in(public, pool, app, alice, "Wrong-pass1!")
        with pytest.raises(Exception, match="Incorrect"):
            password_sign_in(public, app, "nobody@example.com", "Wrong-pass1!")
    assert seen
    assert full_scans(runtime, seen) == []


def test_housekeeping_uses_indexes(runtime: Runtime, svc: CognitoIdpService) -> None:
    with statements(runtime) as seen:
        svc.housekeeping()
    assert full_scans(runtime, seen) == []
