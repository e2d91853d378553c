"""Turning py-spy's collapsed stacks into per-function shares."""

from __future__ import annotations

import gzip
from pathlib import Path

from bench.profiling import frame_name, read_raw, summarize

RAW = "\n".join(
    [
        "run (hutch/server.py:78);handle (hutch/app.py:10);put (hutch/services/s3/api_objects.py:5) 6",
        "run (hutch/server.py:78);handle (hutch/app.py:10);do_execute (/x/site-packages/sqlalchemy/engine/default.py:9) 3",
        "Thread._bootstrap (threading.py:1);Queue.get (queue.py:171);Condition.wait (threading.py:327) 10",
        "run (hutch/server.py:78) 1",
    ]
)


def test_frame_name_drops_line_and_shortens_site_packages() -> None:
    assert frame_name("do_execute (/v/lib/python3.11/site-packages/sqlalchemy/engine/default.py:9)") == (
        "sqlalchemy/engine/default.py:do_execute"
    )


def test_parked_threads_are_counted_apart() -> None:
    busy, idle, _, _ = summarize(RAW)
    assert (busy, idle) == (10, 10)


def test_own_time_is_by_leaf_and_shares_are_of_busy_samples() -> None:
    _, _, own, _ = summarize(RAW)
    assert own[0] == ("hutch/services/s3/api_objects.py:put", 0.6)
    assert ("sqlalchemy/engine/default.py:do_execute", 0.3) in own


def test_inclusive_time_lists_hutch_functions_but_not_its_entry_points() -> None:
    _, _, _, inclusive = summarize(RAW)
    names = dict(inclusive)
    assert names["hutch/app.py:handle"] == 0.9
    assert "hutch/server.py:run" not in names
    assert not any(n.startswith("sqlalchemy") for n in names)


def test_group_commit_thread_waiting_for_work_counts_as_idle() -> None:
    raw = "run (threading.py:1);GroupCommit._loop (hutch/store/group_commit.py:71) 5\nrun (hutch/app.py:1) 5"
    busy, idle, _, _ = summarize(raw)
    assert (busy, idle) == (5, 5)


def test_raw_stacks_are_read_back_gzipped_or_plain(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(RAW.encode()))
    (tmp_path / "b.txt").write_text(RAW)
    assert read_raw(tmp_path / "a.txt.gz") == read_raw(tmp_path / "b.txt") == RAW
