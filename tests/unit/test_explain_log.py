from __future__ import annotations

from hutch.explain_log import ExplainLog


def test_records_are_grouped_by_request_and_last_denied_is_remembered() -> None:
    log = ExplainLog(capacity=10)
    log.record("r1", {"n": 1}, denied=False)
    log.record("r1", {"n": 2}, denied=True)
    log.record("r2", {"n": 3}, denied=False)
    r1 = log.get("r1")
    assert r1 is not None and [d["n"] for d in r1["decisions"]] == [1, 2] and r1["denied"]
    last = log.last_denied()
    assert last is not None and last["request_id"] == "r1"


def test_capacity_bounds_memory_and_forgets_the_oldest() -> None:
    log = ExplainLog(capacity=3)
    log.record("denied", {}, denied=True)
    for i in range(5):
        log.record(f"r{i}", {}, denied=False)
    assert log.get("denied") is None
    assert log.last_denied() is None
    assert log.get("r4") is not None
