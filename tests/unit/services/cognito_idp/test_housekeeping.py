"""Housekeeping forgets what can no longer be used: expired challenges, codes and sessions."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hutch.runtime import Runtime
from hutch.services.cognito_idp.service import CognitoIdpService
from hutch.services.cognito_idp.tables import auth_sessions, challenges, codes
from tests.unit.services.cognito_idp.conftest import PASSWORD, Clock, Invoke
from tests.unit.services.cognito_idp.test_signin import password_sign_in


def _count(runtime: Runtime, table: sa.Table, **where: str) -> int:
    query = sa.select(sa.func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with runtime.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_expired_rows_are_purged_and_live_ones_kept(
    runtime: Runtime,
    invoke: Invoke,
    public: Invoke,
    svc: CognitoIdpService,
    clock: Clock,
    pool: dict[str, Any],
    app: dict[str, Any],
    alice: str,
) -> None:
    public(
        "InitiateAuth",
        ClientId=app["ClientId"],
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": alice, "SRP_A": "ab" * 64},
    )
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="temp",
        TemporaryPassword="Temp-pass1!",
        MessageAction="SUPPRESS",
    )
    password_sign_in(public, app, "temp", "Temp-pass1!")  # a NEW_PASSWORD_REQUIRED challenge
    password_sign_in(public, app, alice, PASSWORD)
    public("ForgotPassword", ClientId=app["ClientId"], Username=alice)
    sub = next(
        a["Value"]
        for a in invoke("AdminGetUser", UserPoolId=pool["Id"], Username=alice)["UserAttributes"]
        if a["Name"] == "sub"
    )
    assert _count(runtime, challenges, pool_id=pool["Id"]) == 2
    assert _count(runtime, codes, sub=sub) == 1
    assert _count(runtime, auth_sessions, sub=sub) == 1

    svc.housekeeping()
    assert _count(runtime, challenges, pool_id=pool["Id"]) == 2  # nothing has expired yet

    clock.advance(hours=2)  # challenges (3 min) and the reset code (1 h) are dead
    svc.housekeeping()
    assert _count(runtime, challenges, pool_id=pool["Id"]) == 0
    assert _count(runtime, codes, sub=sub) == 0
    assert _count(runtime, auth_sessions, sub=sub) == 1

    clock.advance(days=31)  # the refresh token (30 days) and anything minted from it are dead
    svc.housekeeping()
    assert _count(runtime, auth_sessions, sub=sub) == 0
