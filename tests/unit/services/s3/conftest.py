"""An S3 store on each database backend (SQLite always; PostgreSQL under `make test`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from hutch.services.s3.model import Bucket
from hutch.services.s3.store import S3Store
from hutch.services.s3.upload_store import UploadStore
from hutch.store import engine as store_engine


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = store_engine.create_engine(database_url)
    store_engine.migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def store(engine: Engine) -> S3Store:
    s = S3Store(engine)
    assert s.create_bucket(Bucket("bkt", "us-east-1", "123456789012", 1_700_000_000)) is None
    return s


@pytest.fixture
def uploads(engine: Engine, store: S3Store) -> UploadStore:
    return UploadStore(engine)
