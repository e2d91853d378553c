"""GetId + GetCredentialsForIdentity pairs per second (the scenario's steps 2-3), hutch and moto.

Users are signed in once beforehand; each operation is GetId with the user's ID token in Logins, then
GetCredentialsForIdentity for the identity id it returned, both unsigned JSON as the SDKs send them. hutch
verifies the token, resolves the role, evaluates its trust policy and issues a session every time; moto
checks nothing and returns the same constant credentials to everyone.
"""

from __future__ import annotations

import functools
import json

from bench.context import Bench, loadgen_again, with_loadgen
from bench.http import Connection, json_call
from bench.scenario import username
from bench.servers import Server

TARGET = "AWSCognitoIdentityService."
PROCESSES = 2
CONNECTIONS = 8


class PairDriver:
    def __init__(self, endpoint: str, pool_id: str, provider: str, tokens: list[str], worker: int) -> None:
        self.endpoint = endpoint
        self.get_id = [
            json_call(endpoint, TARGET + "GetId", {"IdentityPoolId": pool_id, "Logins": {provider: t}}).raw
            for t in tokens
        ]
        self.provider = provider
        self.tokens = tokens

    async def op(self, conn: Connection, n: int) -> None:
        i = n % len(self.tokens)
        got = await conn.send(self.get_id[i])
        if got.status != 200:
            raise RuntimeError(f"GetId {got.status}: {got.body[:200]!r}")
        identity_id = json.loads(got.body)["IdentityId"]
        call = json_call(
            self.endpoint,
            TARGET + "GetCredentialsForIdentity",
            {"IdentityId": identity_id, "Logins": {self.provider: self.tokens[i]}},
        )
        creds = await conn.send(call.raw)
        if creds.status != 200 or b"SessionToken" not in creds.body:
            raise RuntimeError(f"GetCredentialsForIdentity {creds.status}: {creds.body[:200]!r}")


def make_driver(endpoint: str, pool_id: str, provider: str, tokens: list[str], worker: int) -> PairDriver:
    return PairDriver(endpoint, pool_id, provider, tokens, worker)


def factory(bench: Bench, server: Server) -> functools.partial[PairDriver]:
    world = bench.worlds[server.name]
    tokens = [world.session(username(i)).id_token for i in range(bench.plan.identity_users)]
    return functools.partial(
        make_driver, server.endpoint, world.identity_pool_id, world.pool.provider, tokens
    )


def run(bench: Bench, servers: list[Server]) -> None:
    for server in servers:
        make = factory(bench, server)
        with_loadgen(
            bench,
            server,
            make,
            workload="identity-credentials",
            label=f"c={PROCESSES * CONNECTIONS}",
            processes=PROCESSES,
            connections=CONNECTIONS,
            unit="pairs/s",
        )
        if server.name == "hutch":
            label = f"c={PROCESSES * CONNECTIONS}"
            bench.profile_later(
                "identity", "identity-credentials", label, loadgen_again(server, make, PROCESSES, CONNECTIONS)
            )
