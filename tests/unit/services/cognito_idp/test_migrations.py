"""The Alembic migration creates exactly the tables tables.py describes."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hutch.services.cognito_idp import tables
from hutch.store import engine as store_engine


def test_migration_matches_the_table_definitions(tmp_path: Path) -> None:
    engine = store_engine.create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    store_engine.migrate(engine)
    ours = sa.MetaData()
    for table in tables.metadata.sorted_tables:
        if table.name.startswith("cognito_") and not table.name.startswith("cognito_identit"):
            table.to_metadata(ours)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), ours)
    engine.dispose()
    # Only differences on our own tables matter; other services' tables are their business.
    ours_only = [d for d in diff if "cognito_" in repr(d) and "cognito_identit" not in repr(d)]
    assert ours_only == []
