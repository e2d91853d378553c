"""python -m bench [--quick] [--only W,...] [--no-profile]: hutch beside its peers, one run, one machine.

Starts hutch (fresh data directory), moto server, cognito-local and nginx on loopback ports the OS hands out;
sets the scenario up on hutch and moto; runs the workloads; profiles hutch (py-spy) where a goal failed;
writes bench/results/<timestamp>[-quick].json, and latest.md + latest.png (latest-quick.* for --quick, so a
quick pass never overwrites the committed full results). A run limited with --only writes the same files into
its work directory instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import machine, profiling, report, wrk
from bench.context import Bench
from bench.goals import evaluate
from bench.plan import FULL, QUICK
from bench.results import Run
from bench.scenario import build_world
from bench.servers import BENCH_DIR, CognitoLocal, Hutch, Moto, Nginx, Server
from bench.workloads import calibration, identity, policy, s3_large, s3_listing, s3_small, signin, srp

RESULTS = BENCH_DIR / "results"
WORKLOADS = ("policy", "s3-small", "s3-large", "identity", "srp", "signin", "s3-listing", "calibration")

METHOD = [
    "Load generators: wrk (Debian) replays requests prepared before the clock starts (SigV4 signatures "
    "computed ahead, presigned URLs, unsigned Cognito JSON calls) over keep-alive connections; flows whose "
    "second request depends on the first (SRP, GetId → GetCredentialsForIdentity) run in several Python "
    "processes, each an asyncio loop with keep-alive connections writing pre-serialized bytes. The "
    "loadgen-ceiling row is that generator against nginx.",
    "hutch's S3 requests use the scenario's temporary credentials: user pool sign-in → identity pool → role "
    "session whose policy allows only cognito/<app>/${cognito-identity.amazonaws.com:sub}/; moto gets the same "
    "calls (it checks nothing); nginx the same bytes unauthenticated.",
    "Server CPU per operation: utime + stime of the server's process tree from /proc/PID/stat over the "
    "window, divided by the operations completed. Peak RSS: the kernel's VmHWM, reset before the transfer.",
    "Seeding (bench/seeding.py): the listing buckets are filled in hutch by bulk-inserting rows through hutch's "
    "own store layer (its S3 tables, key encoding, transaction helper) into the running server's database; moto "
    "over HTTP PUTs (sizes above the plan's moto limit skipped); cognito-local's grown pool is written into its "
    "JSON database file while it is stopped, each user with the refresh token one sign-in leaves.",
    "hutch commits every write durably (SQLite synchronous=FULL, object bytes fsynced); nginx's WebDAV PUT and "
    "moto keep no such promise.",
]


def _start(bench: Bench, server: Server) -> Server | None:
    try:
        server.start()
    except Exception as exc:  # a peer that cannot run here is reported, not fatal
        bench.log(f"{server.name} did not start: {exc}")
        bench.run.notes.append(f"{server.name} did not start: {str(exc)[:300]}")
        return None
    bench.run.servers[server.name] = {"version": server.version, "enforcement": server.enforcement}
    bench.servers[server.name] = server
    bench.log(f"{server.name} {server.version} on {server.endpoint} (pid {server.pid})")
    return server


def _step(bench: Bench, name: str, action: Callable[[], None]) -> None:
    began = time.monotonic()
    bench.log(f"== {name}")
    try:
        action()
    except Exception as exc:
        bench.log(f"{name} failed: {exc}\n{traceback.format_exc()}")
        bench.skip(name, "-", f"failed: {type(exc).__name__}: {str(exc)[:400]}")
    load = os.getloadavg()[0]
    bench.run.load_during[name] = round(load, 2)
    bench.log(f"== {name} took {time.monotonic() - began:.0f} s (load {load:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the two-minute pass")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {','.join(WORKLOADS)}")
    parser.add_argument(
        "--profile",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="profile hutch with py-spy where a goal failed (default: on for the full run, off for --quick)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the servers' working directory")
    args = parser.parse_args()
    only = {w.strip() for w in args.only.split(",") if w.strip()} or set(WORKLOADS)
    unknown = only - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    if not wrk.available():
        parser.error("wrk is not installed (Debian package wrk; `make bench` installs it)")

    plan = QUICK if args.quick else FULL
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run = Run(started=stamp, quick=plan.quick, machine=machine.describe(), notes=list(METHOD))
    workdir = Path(tempfile.mkdtemp(prefix="hutch-bench-"))
    bench = Bench(plan, workdir, run)
    partial = only != set(WORKLOADS)
    # A run of some workloads only never replaces the committed results: it stays in its work directory.
    out_dir = workdir / "results" if partial else RESULTS
    bench.log(f"{'quick' if plan.quick else 'full'} run in {workdir}; load {run.machine['load_before']}")

    if "policy" in only:
        # In-process and on one core: measured before any server starts, so no server's start-up or
        # background work shares the machine with it.
        _step(bench, "policy", lambda: policy.run(bench))
    hutch = _start(bench, Hutch(workdir=workdir / "hutch"))
    moto = _start(bench, Moto(workdir=workdir / "moto"))
    local = CognitoLocal(workdir=workdir / "cognito-local")
    cognito_local = _start(bench, local) if local.package_dir.exists() else None
    if cognito_local is None and not local.package_dir.exists():
        bench.run.notes.append("cognito-local is not installed (bench/node: npm ci)")
    nginx = _start(bench, Nginx(workdir=workdir / "nginx"))
    try:
        for server in (hutch, moto):
            if server is None:
                continue

            def setup(s: Server = server) -> None:
                world = build_world(s.endpoint, _keys(s), plan.identity_users)
                bench.worlds[s.name] = world
                run.notes += [f"{s.name}: {n}" for n in world.notes]

            _step(bench, f"scenario on {server.name}", setup)
        s3_servers = [s for s in (hutch, moto) if s is not None and s.name in bench.worlds]
        if "s3-small" in only:
            _step(bench, "s3-small", lambda: s3_small.run(bench, [*s3_servers, *([nginx] if nginx else [])]))
        if "s3-large" in only:
            _step(bench, "s3-large", lambda: s3_large.run(bench, [*s3_servers, *([nginx] if nginx else [])]))
        if "identity" in only:
            _step(bench, "identity", lambda: identity.run(bench, s3_servers))
        if "srp" in only:
            _step(bench, "srp", lambda: srp.run(bench, [s for s in s3_servers if s is hutch]))
        if "signin" in only:
            signin_servers = [s for s in (hutch, cognito_local, moto) if s is not None]
            _step(bench, "signin", lambda: signin.run(bench, signin_servers))
        if "s3-listing" in only:
            _step(bench, "s3-listing", lambda: s3_listing.run(bench, s3_servers))
        if "calibration" in only and nginx is not None:
            _step(bench, "calibration", lambda: calibration.run(bench, nginx))

        wants_profile = args.profile if args.profile is not None else not plan.quick
        if wants_profile and profiling.available():
            failed = {g.key for g in evaluate(run) if g.passed is False}
            profile_dir = out_dir / "profiles" / (stamp + ("-quick" if plan.quick else ""))
            for target in bench.profile_targets:
                if target.goal not in failed:
                    continue

                for mode in profiling.MODES:

                    def go(t: profiling.ProfileTarget = target, m: str = mode) -> None:
                        run.profiles.append(
                            profiling.profile(t, plan.profile_seconds, profile_dir, RESULTS, m)
                        )
                        top = ", ".join(f"{n} {s:.0%}" for n, s in run.profiles[-1].self_time[:3])
                        bench.log(f"profile {t.workload} {t.label} ({m}): {top}")

                    _step(bench, f"profile {target.workload} {target.label} ({mode})", go)
    finally:
        for server in bench.servers.values():
            began = time.monotonic()
            server.stop()
            bench.log(f"stopped {server.name} in {time.monotonic() - began:.1f} s")
        run.load_after = [round(x, 2) for x in os.getloadavg()]
        run.finished = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        suffix = "-quick" if plan.quick else ""
        out_dir.mkdir(parents=True, exist_ok=True)
        json_path = out_dir / f"{stamp}{suffix}.json"
        run.save(json_path)
        (out_dir / f"latest{suffix}.md").write_text(report.markdown(run))
        report.chart(run, out_dir / f"latest{suffix}.png")
        if not args.keep and not partial:
            shutil.rmtree(workdir, ignore_errors=True)
        bench.log(f"wrote {json_path}, latest{suffix}.md, latest{suffix}.png")
    for goal in evaluate(run):
        verdict = "n/a " if goal.passed is None else ("PASS" if goal.passed else "FAIL")
        print(f"{verdict}  {goal.text}: {goal.figure}")


def _keys(server: Server) -> dict[str, str]:
    if isinstance(server, Hutch):
        return server.root_credentials()
    assert isinstance(server, Moto)
    return server.root_credentials()


if __name__ == "__main__":
    main()
