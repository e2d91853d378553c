"""Goals judged from measurements, and the report drawn from them."""

from __future__ import annotations

from pathlib import Path

from bench.goals import evaluate
from bench.report import chart, markdown
from bench.results import Measurement, Run


def _run(*rows: tuple[str, str, str, float]) -> Run:
    run = Run(started="20260101T000000Z", quick=True, machine={"nproc": 2, "cpu_model": "test"})
    for workload, server, label, rate in rows:
        run.add(
            Measurement(workload=workload, server=server, label=label, rate=rate, unit="req/s", p50_ms=1.0)
        )
    return run


def _goal(run: Run, key: str) -> tuple[bool | None, str]:
    goal = next(g for g in evaluate(run) if g.key == key)
    return goal.passed, goal.figure


def test_small_object_goal_takes_the_worst_ratio() -> None:
    run = _run(
        ("s3-put-1KiB", "hutch", "c=1", 1000.0),
        ("s3-put-1KiB", "moto", "c=1", 50.0),
        ("s3-get-1KiB", "hutch", "c=16", 900.0),
        ("s3-get-1KiB", "moto", "c=16", 100.0),
    )
    passed, figure = _goal(run, "s3-small")
    assert passed is False
    assert figure.startswith("min 9.0x")


def test_goal_without_its_peer_is_not_measured() -> None:
    run = _run(("identity-credentials", "hutch", "c=16", 500.0))
    assert _goal(run, "identity") == (None, "not measured")


def test_password_flatness_compares_after_growth_with_fresh() -> None:
    run = _run(
        ("signin-password", "hutch", "fresh c=16", 100.0),
        ("signin-password", "hutch", "after +10k users, +10k sign-ins c=16", 79.0),
    )
    assert _goal(run, "password-flat")[0] is False


def test_large_transfer_goal_needs_both_speed_and_memory() -> None:
    run = _run(("s3-put-large", "hutch", "1 GiB", 600.0), ("s3-put-large", "nginx", "1 GiB", 1000.0))
    run.measurements[0].peak_rss_mib = 200.0
    assert _goal(run, "large")[0] is False
    run.measurements[0].peak_rss_mib = 100.0
    assert _goal(run, "large")[0] is True


def test_run_round_trips_through_json(tmp_path: Path) -> None:
    run = _run(("s3-get-1KiB", "hutch", "c=1", 10.0))
    run.save(tmp_path / "r.json")
    assert Run.load(tmp_path / "r.json") == run


def test_markdown_puts_hutch_beside_each_peer_with_the_ratio(tmp_path: Path) -> None:
    run = _run(("s3-get-1KiB", "hutch", "c=16", 1000.0), ("s3-get-1KiB", "moto", "c=16", 250.0))
    text = markdown(run)
    assert "| S3 GET 1 KiB (temporary credentials) | c=16 | 1,000.0 | 250.0 | 4.00x |" in text
    chart(run, tmp_path / "c.png")
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")


def test_before_after_table_compares_hutch_rows_present_in_both_runs() -> None:
    before = _run(("s3-put-1KiB", "hutch", "c=16", 300.0), ("s3-put-1KiB", "moto", "c=16", 250.0))
    after = _run(("s3-put-1KiB", "hutch", "c=16", 450.0), ("identity-credentials", "hutch", "c=16", 9.0))
    text = markdown(after, before)
    assert "| s3-put-1KiB | c=16 | 300.0 | 450.0 | +50% |" in text
    assert "| identity-credentials | c=16 |" not in text.split("## Before / after")[1]
