from __future__ import annotations

import threading

import sqlalchemy as sa

from hutch.store import engine as store_engine


def _heads(url: str) -> set[str]:
    from alembic.script import ScriptDirectory

    eng = store_engine.create_engine(url)
    try:
        return set(ScriptDirectory.from_config(store_engine.alembic_config(eng)).get_heads())
    finally:
        eng.dispose()


def test_migrate_brings_every_service_branch_to_its_head(database_url: str) -> None:
    eng = store_engine.create_engine(database_url)
    try:
        store_engine.migrate(eng)
        store_engine.migrate(eng)  # idempotent
        with store_engine.read(eng) as conn:
            if sa.inspect(conn).has_table("alembic_version"):
                applied = {r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))}
            else:
                applied = set()
        assert applied == _heads(database_url)
    finally:
        eng.dispose()


def test_write_transactions_commit_and_roll_back(database_url: str) -> None:
    eng = store_engine.create_engine(database_url)
    meta = sa.MetaData()
    t = sa.Table(
        "t_engine_probe", meta, sa.Column("k", sa.String(20), primary_key=True), sa.Column("v", sa.Integer)
    )
    meta.create_all(eng)
    try:
        with store_engine.write(eng) as conn:
            conn.execute(t.insert().values(k="a", v=1))
        try:
            with store_engine.write(eng) as conn:
                conn.execute(t.insert().values(k="b", v=2))
                raise RuntimeError("abort")
        except RuntimeError:
            pass
        with store_engine.read(eng) as conn:
            assert conn.execute(sa.select(t.c.k)).scalars().all() == ["a"]
    finally:
        meta.drop_all(eng)
        eng.dispose()


def test_concurrent_read_modify_write_never_loses_an_update(database_url: str) -> None:
    """Write transactions serialize (SQLite: BEGIN IMMEDIATE; PostgreSQL: row lock), so no increment is lost."""
    eng = store_engine.create_engine(database_url)
    meta = sa.MetaData()
    t = sa.Table(
        "t_counter_probe", meta, sa.Column("k", sa.String(20), primary_key=True), sa.Column("v", sa.Integer)
    )
    meta.create_all(eng)
    with store_engine.write(eng) as conn:
        conn.execute(t.insert().values(k="n", v=0))

    def bump() -> None:
        for _ in range(20):
            with store_engine.write(eng) as conn:
                v = conn.execute(sa.select(t.c.v).where(t.c.k == "n").with_for_update()).scalar_one()
                conn.execute(t.update().where(t.c.k == "n").values(v=v + 1))

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    try:
        with store_engine.read(eng) as conn:
            assert conn.execute(sa.select(t.c.v)).scalar_one() == 80
    finally:
        meta.drop_all(eng)
        eng.dispose()
