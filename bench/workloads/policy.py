"""Policy decisions per second for the scenario's permission policy, cached and uncached, on one core.

In-process (no server): bench/policy_bench.py's requests — PutObject into the user's own folder and ListBucket
of their own prefix, each building a fresh request and context as the S3 handler does — run in a fresh child
process. ``rate`` there reports the best and the median 0.25 s window; the median is the headline (this machine
is shared), the best is kept in the notes.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

from bench.context import Bench
from bench.profiling import Attach
from bench.results import Measurement


def _measure(seconds: float) -> list[dict[str, Any]]:
    from bench.policy_bench import PERMISSIONS, ROLE, list_bucket, put_object, rate
    from hutch.policy import NamedPolicy, PolicyKind, PolicySet
    from hutch.policy.compile import compile_policy

    cached = PolicySet(identity=[NamedPolicy.from_text(ROLE, PERMISSIONS, PolicyKind.IDENTITY)])
    out = []
    for name, workload in (("PutObject", put_object), ("ListBucket", list_bucket)):

        def hot(w: Any = workload) -> bool:
            return bool(w(cached))

        def cold(w: Any = workload) -> bool:
            compile_policy.cache_clear()
            return bool(
                w(PolicySet(identity=[NamedPolicy.from_text(ROLE, PERMISSIONS, PolicyKind.IDENTITY)]))
            )

        for mode, step in (("cached", hot), ("uncached", cold)):
            best, median = rate(step, seconds)
            out.append({"label": f"{name} {mode}", "best": best, "median": median})
    return out


def run(bench: Bench) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        rows = pool.apply(_measure, (max(1.0, bench.plan.seconds / 2),))
    for row in rows:
        bench.record(
            Measurement(
                workload="policy-decisions",
                server="hutch",
                label=row["label"],
                rate=row["median"],
                unit="decisions/s",
                params={"best_window": row["best"]},
                notes=f"best 0.25 s window {row['best']:,.0f}/s; one process, one core",
            )
        )
    bench.profile_later("policy", "policy-decisions", "PutObject cached", _again)


def _cached_loop(seconds: float) -> None:
    """Cached PutObject decisions for ``seconds`` (in a child process that py-spy samples)."""
    import time

    from bench.policy_bench import PERMISSIONS, ROLE, put_object
    from hutch.policy import NamedPolicy, PolicyKind, PolicySet

    cached = PolicySet(identity=[NamedPolicy.from_text(ROLE, PERMISSIONS, PolicyKind.IDENTITY)])
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for _ in range(1000):
            put_object(cached)


def _again(seconds: float, attach: Attach) -> None:
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=_cached_loop, args=(seconds + 1.5,))
    child.start()
    time.sleep(1.0)  # imports done, the loop running
    assert child.pid is not None
    attach(child.pid)
    child.join(seconds + 60)
