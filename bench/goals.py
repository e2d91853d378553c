"""The goals issue 8 sets, judged against a run's measurements.

Each goal names the rows it compares, the figure it computed and whether it passed; a goal whose rows are
missing (a service that has not landed, a skipped peer) is reported as not measured rather than failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.results import Measurement, Run


@dataclass
class Goal:
    key: str
    text: str
    figure: str = "not measured"
    passed: bool | None = None
    rows: list[tuple[str, str]] = field(default_factory=list)  # (workload, label) behind the verdict


def _ratio(run: Run, workload: str, peer: str, label: str) -> tuple[float, Measurement, Measurement] | None:
    ours, theirs = run.find(workload, "hutch", label), run.find(workload, peer, label)
    if ours is None or theirs is None or not theirs.rate:
        return None
    return ours.rate / theirs.rate, ours, theirs


def _labels(run: Run, workload: str) -> list[str]:
    seen: list[str] = []
    for m in run.measurements:
        if m.workload == workload and m.server == "hutch" and m.label not in seen:
            seen.append(m.label)
    return seen


def evaluate(run: Run) -> list[Goal]:
    goals: list[Goal] = []

    g = Goal("s3-small", "S3 1 KiB PUT and GET >= 10x moto server (every concurrency)")
    ratios = []
    for workload in ("s3-put-1KiB", "s3-get-1KiB"):
        for label in _labels(run, workload):
            r = _ratio(run, workload, "moto", label)
            if r is not None:
                ratios.append((r[0], workload, label))
                g.rows.append((workload, label))
    if ratios:
        worst = min(ratios)
        g.figure = f"min {worst[0]:.1f}x ({worst[1]} {worst[2]}), max {max(ratios)[0]:.1f}x"
        g.passed = worst[0] >= 10
    goals.append(g)

    g = Goal("identity", "GetId + GetCredentialsForIdentity >= 10x moto server")
    for label in _labels(run, "identity-credentials"):
        r = _ratio(run, "identity-credentials", "moto", label)
        if r is not None:
            g.figure, g.passed = f"{r[0]:.1f}x ({r[1].rate:,.0f} vs {r[2].rate:,.0f} pairs/s)", r[0] >= 10
            g.rows.append(("identity-credentials", label))
    goals.append(g)

    g = Goal("password", "USER_PASSWORD_AUTH >= 5x cognito-local")
    for label in _labels(run, "signin-password"):
        r = _ratio(run, "signin-password", "cognito-local", label)
        if r is not None and label.startswith("fresh c=16"):
            g.figure, g.passed = f"{r[0]:.1f}x ({r[1].rate:,.0f} vs {r[2].rate:,.0f} sign-ins/s)", r[0] >= 5
            g.rows.append(("signin-password", label))
    goals.append(g)

    g = Goal("password-flat", "USER_PASSWORD_AUTH flat as users grow (after growth >= 80% of fresh)")
    fresh = run.find("signin-password", "hutch", "fresh c=16")
    after = next(
        (
            m
            for m in run.measurements
            if m.workload == "signin-password" and m.server == "hutch" and m.label.startswith("after")
        ),
        None,
    )
    if fresh is not None and after is not None and fresh.rate:
        share = after.rate / fresh.rate
        g.figure, g.passed = f"{share:.0%} of fresh ({after.rate:,.0f} vs {fresh.rate:,.0f})", share >= 0.8
        g.rows += [("signin-password", fresh.label), ("signin-password", after.label)]
    goals.append(g)

    g = Goal("srp", "SRP >= 200 sign-ins/s")
    srp = next((m for m in run.measurements if m.workload == "signin-srp" and m.server == "hutch"), None)
    if srp is not None:
        g.figure, g.passed = f"{srp.rate:,.0f} sign-ins/s", srp.rate >= 200
        g.rows.append(("signin-srp", srp.label))
    goals.append(g)

    g = Goal("policy", ">= 100k cached policy decisions/s/core")
    cached = [m for m in run.measurements if m.workload == "policy-decisions" and m.label.endswith(" cached")]
    if cached:
        worst_m = min(cached, key=lambda m: m.rate)
        g.figure = f"min {worst_m.rate:,.0f}/s ({worst_m.label}, median window)"
        g.passed = worst_m.rate >= 100_000
        g.rows += [("policy-decisions", m.label) for m in cached]
    goals.append(g)

    g = Goal("large", "1 GiB transfers >= 50% of nginx, server RSS < 150 MiB")
    parts = []
    verdicts = []
    for workload in ("s3-put-large", "s3-get-large"):
        ours = next((m for m in run.measurements if m.workload == workload and m.server == "hutch"), None)
        theirs = next((m for m in run.measurements if m.workload == workload and m.server == "nginx"), None)
        if ours is None or theirs is None or not theirs.rate:
            continue
        share = ours.rate / theirs.rate
        rss = ours.peak_rss_mib or 0.0
        before = ours.params.get("rss_before_mib")
        growth = f" (+{rss - before:.0f} over the {before:.0f} MiB before)" if before is not None else ""
        parts.append(f"{workload.split('-')[1].upper()} {share:.0%} of nginx, peak RSS {rss:.0f} MiB{growth}")
        verdicts.append(share >= 0.5 and rss < 150)
        g.rows.append((workload, ours.label))
    if parts:
        g.figure, g.passed = "; ".join(parts), all(verdicts)
        if run.quick:
            g.text += " (quick: smaller object)"
    goals.append(g)

    g = Goal(
        "listing", "ListObjectsV2 with a prefix: p50 flat as the bucket grows (largest <= 1.5x smallest)"
    )
    rows = [m for m in run.measurements if m.workload == "s3-list-prefix" and m.server == "hutch"]
    if len(rows) >= 2 and rows[0].p50_ms:
        slowdown = (rows[-1].p50_ms or 0) / rows[0].p50_ms
        g.figure = (
            f"p50 {rows[0].p50_ms:.2f} ms ({rows[0].label}) -> {rows[-1].p50_ms:.2f} ms ({rows[-1].label})"
        )
        g.passed = slowdown <= 1.5
        g.rows += [("s3-list-prefix", m.label) for m in rows]
    goals.append(g)
    return goals
