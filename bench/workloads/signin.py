"""InitiateAuth USER_PASSWORD_AUTH sign-ins per second, fresh and again after the pool has grown.

Every server gets a new pool with ``plan.signin_users`` users; wrk replays unsigned InitiateAuth calls (as the
SDKs send them) cycling through the users. Then the pool grows by ``plan.growth_users`` users and
``plan.growth_logins`` sign-ins, and the same measurement runs again over users spread across the whole pool:
it should stay flat.

hutch grows through its API (AdminCreateUser + AdminSetUserPassword signed with its root keys, then real
sign-ins). cognito-local rewrites its whole JSON database on every change, so it grows by writing that file
while it is stopped: the users, each with the refresh token one sign-in leaves behind (seeding.py). moto is
measured fresh only, for reference. Servers are measured in interleaved rounds (context.wrk_interleaved).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator

from botocore.credentials import Credentials

from bench import seeding, wrk
from bench.context import Bench, WrkEntry, check, wrk_interleaved
from bench.http import Prepared, json_call, signed_service
from bench.profiling import Attach
from bench.scenario import PASSWORD, UserPool, create_user_pool, username
from bench.servers import CognitoLocal, Hutch, Server

IDP = "AWSCognitoIdentityProviderService."
WORKLOAD = "signin-password"
UNIT = "sign-ins/s"


def initiate_auth(endpoint: str, pool: UserPool, name: str) -> Prepared:
    return json_call(
        endpoint,
        IDP + "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": pool.client_id,
            "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD},
        },
    )


def _admin_calls(server: Hutch, pool: UserPool, names: list[str], operation: str) -> Iterator[Prepared]:
    keys = server.root_credentials()
    creds = Credentials(keys["aws_access_key_id"], keys["aws_secret_access_key"])
    for name in names:
        params: dict[str, object] = {"UserPoolId": pool.pool_id, "Username": name}
        if operation == "AdminCreateUser":
            params["MessageAction"] = "SUPPRESS"
        else:
            params.update(Password=PASSWORD, Permanent=True)
        yield signed_service(
            server.endpoint,
            creds,
            "cognito-idp",
            "POST",
            "/",
            json.dumps(params).encode(),
            Content_Type="application/x-amz-json-1.1",
            X_Amz_Target=IDP + operation,
        )


def _requests(server: Server, pool: UserPool, names: list[str]) -> list[Prepared]:
    return [initiate_auth(server.endpoint, pool, n) for n in names]


def _check(server: Server, pool: UserPool, name: str) -> None:
    body = check(server, initiate_auth(server.endpoint, pool, name))
    if b"IdToken" not in body:
        raise RuntimeError(f"{server.name}: InitiateAuth gave no tokens: {body[:300]!r}")


def _grow(bench: Bench, server: Server, pool: UserPool, grown: list[str]) -> str:
    """Add ``grown`` users and plan.growth_logins sign-ins to ``pool``; returns how, for the notes."""
    plan = bench.plan
    bench.log(f"{server.name}: growing the pool by {len(grown):,} users and {plan.growth_logins:,} sign-ins")
    if isinstance(server, Hutch):
        seeding.send_all(server, _admin_calls(server, pool, grown, "AdminCreateUser"), connections=8)
        seeding.send_all(server, _admin_calls(server, pool, grown, "AdminSetUserPassword"), connections=8)
        logins = (
            initiate_auth(server.endpoint, pool, grown[i % len(grown)]) for i in range(plan.growth_logins)
        )
        seeding.send_all(server, logins, connections=8)
        return "grown through the API"
    assert isinstance(server, CognitoLocal)
    seeding.settle_and_stop(server, pool.pool_id)
    seeding.cognito_local_users(server, pool.pool_id, grown, PASSWORD)
    server.start()
    size = seeding.db_file_size(server, pool.pool_id) / 2**20
    return f"grown by writing its database file while stopped ({size:.0f} MiB)"


def run(bench: Bench, servers: list[Server]) -> None:
    plan = bench.plan
    fresh_names = [username(i) for i in range(plan.signin_users)]
    pools: dict[str, UserPool] = {}
    for server in servers:
        bench.log(f"{server.name}: user pool with {plan.signin_users} users")
        pools[server.name] = pool = create_user_pool(server.endpoint, _admin_keys(server), plan.signin_users)
        _check(server, pool, fresh_names[0])
        _warm(bench, server, pool, fresh_names)
    # Fresh: one connection (latency) and sixteen (throughput), the servers in interleaved rounds.
    for connections in (1, 16):
        entries = [
            WrkEntry(s, f"fresh c={connections}", functools.partial(_requests, s, pools[s.name], fresh_names))
            for s in servers
        ]
        wrk_interleaved(bench, entries, workload=WORKLOAD, connections=connections, unit=UNIT)
    hutch = next((s for s in servers if isinstance(s, Hutch)), None)
    if hutch is not None:
        bench.profile_later(
            "password", WORKLOAD, "fresh c=16", _again(bench, hutch, pools[hutch.name], fresh_names)
        )

    # Grown (moto only fresh): the same measurement over users spread across the whole pool.
    growing = [s for s in servers if isinstance(s, Hutch | CognitoLocal)]
    total = plan.signin_users + plan.growth_users
    grown = [username(i) for i in range(plan.signin_users, total)]
    notes = {s.name: _grow(bench, s, pools[s.name], grown) for s in growing}
    step = max(1, total // plan.signin_users)
    spread = [username(i) for i in range(0, total, step)][: plan.signin_users]
    for server in growing:
        _warm(bench, server, pools[server.name], spread)
    label = f"after +{_count(plan.growth_users)} users, +{_count(plan.growth_logins)} sign-ins c=16"
    entries = [
        WrkEntry(s, label, functools.partial(_requests, s, pools[s.name], spread), notes=notes[s.name])
        for s in growing
    ]
    wrk_interleaved(bench, entries, workload=WORKLOAD, connections=16, unit=UNIT)
    if hutch is not None:
        bench.profile_later("password-flat", WORKLOAD, label, _again(bench, hutch, pools[hutch.name], spread))


def _again(bench: Bench, server: Server, pool: UserPool, names: list[str]) -> Callable[[float, Attach], None]:
    def load(seconds: float, attach: Attach) -> None:
        requests = [initiate_auth(server.endpoint, pool, n) for n in names]
        attach(server.pid)
        wrk.run(server.endpoint, requests, connections=16, seconds=seconds, workdir=bench.scratch("wrk"))

    return load


def _count(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else f"{n:,}"


def _warm(bench: Bench, server: Server, pool: UserPool, names: list[str]) -> None:
    requests = [initiate_auth(server.endpoint, pool, n) for n in names]
    wrk.run(server.endpoint, requests, connections=8, seconds=1, workdir=bench.scratch("wrk"))


def _admin_keys(server: Server) -> dict[str, str]:
    if isinstance(server, Hutch):
        return server.root_credentials()
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
