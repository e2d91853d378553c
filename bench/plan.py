"""How big and how long each workload runs: the full suite, or the two-minute ``--quick`` pass."""

from __future__ import annotations

from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class Plan:
    quick: bool
    seconds: float  # measured window of each throughput run
    warmup: float  # load before the window that is not counted
    concurrencies: tuple[int, ...]  # S3 small-object connections
    small_object: int  # bytes
    large_object: int  # bytes of the large PUT / GET
    large_repeats: int
    listing_sizes: tuple[int, ...]  # objects in the bucket when listing
    listing_folder: int  # objects in the listing user's own folder
    moto_listing_max: int  # moto is seeded over HTTP: larger buckets are skipped for it
    signin_users: int  # users cycled through by the sign-in workloads
    growth_users: int  # users added before the "after growth" sign-in measurement
    growth_logins: int  # sign-ins done before it
    identity_users: int
    srp_processes: int
    profile_seconds: float


FULL = Plan(
    quick=False,
    seconds=10.0,
    warmup=2.0,
    concurrencies=(1, 16, 64),
    small_object=KIB,
    large_object=GIB,
    large_repeats=2,
    listing_sizes=(1_000, 100_000, 1_000_000),
    listing_folder=100,
    moto_listing_max=100_000,
    signin_users=200,
    growth_users=10_000,
    growth_logins=10_000,
    identity_users=50,
    srp_processes=3,
    profile_seconds=8.0,
)

QUICK = Plan(
    quick=True,
    seconds=2.0,
    warmup=0.5,
    concurrencies=(1, 16, 64),
    small_object=KIB,
    large_object=128 * MIB,
    large_repeats=1,
    listing_sizes=(1_000, 20_000),
    listing_folder=100,
    moto_listing_max=1_000,
    signin_users=50,
    growth_users=300,
    growth_logins=300,
    identity_users=20,
    srp_processes=3,
    profile_seconds=3.0,
)
