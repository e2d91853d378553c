"""Server-side SRP sign-ins per second (USER_SRP_AUTH + PASSWORD_VERIFIER), hutch only.

Several worker processes each run InitiateAuth (SRP_A) → compute the claim (srp_client.FastAWSSRP, pycognito's
math) → RespondToAuthChallenge, over keep-alive connections; one operation is one complete sign-in that ended
with tokens. cognito-local has no SRP, and moto's does not check the proof, so there is no peer row.
"""

from __future__ import annotations

import functools
import json

from bench.context import Bench, loadgen_again, with_loadgen
from bench.http import Connection, json_call
from bench.scenario import PASSWORD, username
from bench.servers import Hutch, Server
from bench.srp_client import make_clients

IDP = "AWSCognitoIdentityProviderService."


class SrpDriver:
    def __init__(self, endpoint: str, pool_id: str, client_id: str, names: list[str], worker: int) -> None:
        self.endpoint = endpoint
        self.client_id = client_id
        self.names = names
        self.clients = make_clients(names, PASSWORD, pool_id, client_id)

    async def op(self, conn: Connection, n: int) -> None:
        name = self.names[n % len(self.names)]
        srp = self.clients[name][0]
        start = json_call(
            self.endpoint,
            IDP + "InitiateAuth",
            {
                "AuthFlow": "USER_SRP_AUTH",
                "ClientId": self.client_id,
                "AuthParameters": srp.get_auth_params(),
            },
        )
        first = await conn.send(start.raw)
        if first.status != 200:
            raise RuntimeError(f"InitiateAuth {first.status}: {first.body[:200]!r}")
        challenge = json.loads(first.body)
        answer = srp.process_challenge(challenge["ChallengeParameters"], {"USERNAME": name})
        params = {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ClientId": self.client_id,
            "ChallengeResponses": answer,
        }
        if challenge.get("Session"):
            params["Session"] = challenge["Session"]
        finish = json_call(self.endpoint, IDP + "RespondToAuthChallenge", params)
        second = await conn.send(finish.raw)
        if second.status != 200 or b"IdToken" not in second.body:
            raise RuntimeError(f"RespondToAuthChallenge {second.status}: {second.body[:200]!r}")


def make_driver(endpoint: str, pool_id: str, client_id: str, names: list[str], worker: int) -> SrpDriver:
    return SrpDriver(endpoint, pool_id, client_id, names, worker)


def factory(bench: Bench, server: Server) -> functools.partial[SrpDriver]:
    world = bench.worlds[server.name]
    # build_world created identity_users users; a few are enough (g^x is cached per user).
    names = [username(i) for i in range(min(bench.plan.identity_users, 8))]
    return functools.partial(make_driver, server.endpoint, world.pool.pool_id, world.pool.client_id, names)


def run(bench: Bench, servers: list[Server]) -> None:
    for server in servers:
        if not isinstance(server, Hutch):
            continue
        processes = bench.plan.srp_processes
        make = factory(bench, server)
        with_loadgen(
            bench,
            server,
            make,
            workload="signin-srp",
            label=f"{processes} procs x 2 conns",
            processes=processes,
            connections=2,
            unit="sign-ins/s",
            notes="client: pycognito AWSSRP math with GMP exponentiation (srp_client.py)",
        )
        bench.profile_later(
            "srp", "signin-srp", f"{processes} procs x 2 conns", loadgen_again(server, make, processes, 2)
        )
