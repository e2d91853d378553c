from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from hutch.store import engine as store_engine
from hutch.store.group_commit import GroupCommit


@pytest.fixture
def table(database_url: str):
    eng = store_engine.create_engine(database_url)
    meta = sa.MetaData()
    t = sa.Table("t_group_probe", meta, sa.Column("k", sa.String(40), primary_key=True))
    meta.create_all(eng)
    group = GroupCommit(eng)
    yield eng, t, group
    group.close()
    meta.drop_all(eng)
    eng.dispose()


def test_every_unit_from_many_threads_is_committed_and_returns_its_result(table) -> None:
    eng, t, group = table
    results: list[str] = []

    def worker(n: int) -> None:
        for i in range(25):
            key = f"{n}-{i}"
            results.append(group.run(lambda conn, key=key: (conn.execute(t.insert().values(k=key)), key)[1]))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(results) == 200
    with store_engine.read(eng) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() == 200


def test_a_failing_unit_rolls_back_alone_and_raises_to_its_caller(table) -> None:
    eng, t, group = table
    group.run(lambda conn: conn.execute(t.insert().values(k="dup")))

    def conflicting(conn: sa.Connection) -> None:
        conn.execute(t.insert().values(k="half"))
        conn.execute(t.insert().values(k="dup"))  # primary-key violation after a first write

    with pytest.raises(sa.exc.IntegrityError):
        group.run(conflicting)
    group.run(lambda conn: conn.execute(t.insert().values(k="after")))
    with store_engine.read(eng) as conn:
        keys = set(conn.execute(sa.select(t.c.k)).scalars())
    assert keys == {"dup", "after"}  # "half" was undone with its unit


def test_results_are_visible_to_readers_once_run_returns(table) -> None:
    eng, t, group = table
    group.run(lambda conn: conn.execute(t.insert().values(k="seen")))
    with store_engine.read(eng) as conn:
        assert conn.execute(sa.select(t.c.k).where(t.c.k == "seen")).scalar_one() == "seen"
