"""Fixtures shared by every test: a live hutch server, and clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.support.server import HutchServer


@pytest.fixture(scope="session")
def hutch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HutchServer]:
    """One hutch server for the whole session (SQLite + files in a temp data dir)."""
    server = HutchServer(tmp_path_factory.mktemp("hutch-data")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def root_session(hutch: HutchServer) -> boto3.Session:
    return boto3.Session(region_name=hutch.region, **hutch.root_credentials())


@pytest.fixture(scope="session")
def client_factory(hutch: HutchServer) -> Any:
    def make(service: str, session: boto3.Session | None = None, **kwargs: Any) -> Any:
        session = session or boto3.Session(region_name=hutch.region, **hutch.root_credentials())
        config = kwargs.pop("config", None) or Config(retries={"max_attempts": 1})
        return session.client(service, endpoint_url=hutch.endpoint, config=config, **kwargs)

    return make


def _postgres_admin_url() -> str | None:
    import os

    return os.environ.get("HUTCH_TEST_DATABASE_URL") or None


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database on each backend hutch supports (PostgreSQL: a new database per test)."""
    import secrets

    import sqlalchemy as sa

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'hutch.db'}"
        return
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip(reason="no PostgreSQL: run through `make test`, which starts a throwaway one")
    name = "hutch_" + secrets.token_hex(6)
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()
