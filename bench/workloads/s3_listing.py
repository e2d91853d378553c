"""ListObjectsV2 of one user's folder (100 objects) in buckets of 1k, 100k and 1M objects.

Each size is its own bucket holding the scenario's layout — ``cognito/<app>/<identity id>/photos/...`` for many
identities — and the listing user asks for their own ``photos/`` prefix with their temporary credentials. The
role gets the scenario's ListBucket statement for these buckets too (a second inline policy, same
``s3:prefix`` condition on ``${cognito-identity.amazonaws.com:sub}``). One connection (wrk -c1), so p50 is the
latency of one listing. The sizes are measured in interleaved rounds (context.wrk_interleaved), so a change in
the machine's load during the run hits every size alike.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from urllib.parse import quote

from bench import seeding, wrk
from bench.context import Bench, WrkEntry, check, wrk_interleaved
from bench.http import Prepared, signed_s3
from bench.profiling import Attach
from bench.scenario import APP, World, client, username
from bench.servers import Hutch, Server

WORKLOAD = "s3-list-prefix"
LISTER = 1  # the user whose folder is listed (user 0's session serves the other S3 workloads)


def _label(n: int) -> str:
    return f"{n // 1_000_000}M objects" if n >= 1_000_000 else f"{n // 1000}k objects"


def _bucket(world: World, size: int) -> str:
    return f"{world.bucket}-list-{_label(size).split()[0].lower()}"


def listing_policy(world: World) -> str:
    folder = f"cognito/{APP}/${{cognito-identity.amazonaws.com:sub}}"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:ListBucket"],
                    "Resource": [f"arn:aws:s3:::{world.bucket}-list-*"],
                    "Condition": {"StringLike": {"s3:prefix": [f"{folder}/*"]}},
                }
            ],
        }
    )


def _request(bench: Bench, server: Server, bucket: str) -> Prepared:
    user = bench.worlds[server.name].session(username(LISTER))
    prefix = quote(f"{user.prefix}photos/", safe="")
    return signed_s3(server.endpoint, user.credentials, "GET", f"/{bucket}?list-type=2&prefix={prefix}")


def _requests(bench: Bench, server: Server, bucket: str) -> list[Prepared]:
    return [_request(bench, server, bucket)]


def _seed(bench: Bench, server: Server, world: World, size: int) -> str:
    bucket = _bucket(world, size)
    client("s3", server.endpoint, world.keys).create_bucket(Bucket=bucket)
    user = world.session(username(LISTER))
    folder = bench.plan.listing_folder
    own = [f"{user.prefix}photos/photo-{i:03d}.jpg" for i in range(folder)]
    others = seeding.listing_keys(f"cognito/{APP}", 0, size - folder, folder)
    bench.log(f"seeding {server.name} bucket {bucket} with {size:,} objects")
    if isinstance(server, Hutch):
        seeding.hutch_objects(server, bucket, own)
        seeding.hutch_objects(server, bucket, others)
    else:
        seeding.moto_objects(server, bucket, own)
        seeding.moto_objects(server, bucket, others)
    return bucket


def run(bench: Bench, servers: list[Server]) -> None:
    plan = bench.plan
    for server in servers:
        world = bench.worlds[server.name]
        role = world.role_arn.rsplit("/", 1)[-1]
        client("iam", server.endpoint, world.keys).put_role_policy(
            RoleName=role, PolicyName="listing-buckets", PolicyDocument=listing_policy(world)
        )
        world.sessions.pop(username(LISTER), None)  # a session issued after the policy
        buckets: dict[int, str] = {}
        for size in plan.listing_sizes:
            if not isinstance(server, Hutch) and size > plan.moto_listing_max:
                bench.skip(
                    WORKLOAD,
                    server.name,
                    f"{_label(size)}: moto keeps objects in its server's memory, reachable only over HTTP; "
                    f"seeding them at its PUT rate (~300/s here) would take longer than the rest of the run",
                )
                continue
            buckets[size] = _seed(bench, server, world, size)
        for bucket in buckets.values():
            listed = check(server, _request(bench, server, bucket)).count(b"<Key>")
            if listed != plan.listing_folder:
                raise RuntimeError(
                    f"{server.name}: listing returned {listed} keys, not {plan.listing_folder}"
                )
        entries = [
            WrkEntry(
                server,
                _label(size),
                functools.partial(_requests, bench, server, bucket),
                notes=f"{plan.listing_folder} keys per listing",
            )
            for size, bucket in buckets.items()
        ]
        wrk_interleaved(bench, entries, workload=WORKLOAD, connections=1, rounds=2 if plan.quick else 3)
        if isinstance(server, Hutch) and buckets:
            largest = max(buckets)
            bench.profile_later("listing", WORKLOAD, _label(largest), _again(bench, server, buckets[largest]))


def _again(bench: Bench, server: Server, bucket: str) -> Callable[[float, Attach], None]:
    def load(seconds: float, attach: Attach) -> None:
        request = _request(bench, server, bucket)
        attach(server.pid)
        wrk.run(server.endpoint, [request], connections=1, seconds=seconds, workdir=bench.scratch("wrk"))

    return load
