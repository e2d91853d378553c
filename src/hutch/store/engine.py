"""Database engine: SQLite (WAL, fully synchronous) in the data directory by default, PostgreSQL by URL.

Schema changes go through Alembic only. Every service has its own branch of migrations, found in
services/<svc>/migrations/versions; ``migrate`` upgrades every branch to its head.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy.engine import Engine

_HERE = Path(__file__).resolve().parent
_SERVICES = _HERE.parent / "services"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Take transaction control away from pysqlite so _sqlite_begin decides how each transaction starts.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # WAL: readers never block the writer. synchronous=FULL: a commit is on disk before we acknowledge it.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # A write transaction takes the write lock at BEGIN, so one that reads then writes never fails to upgrade
    # its lock ("database is locked"); read transactions stay deferred and run beside the writer (WAL).
    # Straight to the driver: every request opens at least one transaction, and a statement through
    # SQLAlchemy's execution machinery costs several times what SQLite needs for BEGIN.
    immediate = conn.get_execution_options().get("hutch_write")
    conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")  # type: ignore[union-attr]


# SQLite has one writer at a time, and a writer that finds the lock taken sleeps in SQLite's busy handler
# (1, 2, 5, ... 100 ms naps), which under load adds whole seconds of latency. Writers in this process queue
# on a lock of their own instead and are woken the moment the previous commit is done.
_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


@contextmanager
def write(engine: Engine) -> Iterator[sa.Connection]:
    """A read-write transaction, committed on exit (rolled back on an exception)."""
    lock = _WRITE_LOCKS.get(engine)
    if lock is None:
        with engine.connect().execution_options(hutch_write=True) as conn, conn.begin():
            yield conn
        return
    with lock, engine.connect().execution_options(hutch_write=True) as conn, conn.begin():
        yield conn


@contextmanager
def read(engine: Engine) -> Iterator[sa.Connection]:
    """A read-only snapshot."""
    with engine.connect() as conn, conn.begin():
        yield conn


def create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Enough pooled connections for every worker thread (anyio runs up to 40) plus the group committer:
        # a connection beyond the pool is opened and closed per use, re-running the PRAGMAs each time.
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=48,
            max_overflow=16,
            pool_use_lifo=True,
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        _WRITE_LOCKS[engine] = threading.RLock()
        return engine
    return sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def version_locations() -> list[str]:
    dirs = [str(_HERE / "migrations" / "versions")]
    for svc in sorted(_SERVICES.iterdir()):
        versions = svc / "migrations" / "versions"
        if versions.is_dir():
            dirs.append(str(versions))
    return dirs


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(_HERE / "migrations"))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(version_locations()))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring every service's schema to its newest revision."""
    command.upgrade(alembic_config(engine), "heads")
