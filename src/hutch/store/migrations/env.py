"""Alembic environment: runs against the engine hutch hands it (never a URL from a config file)."""

from __future__ import annotations

from alembic import context

from hutch.store.schema import metadata

engine = context.config.attributes["engine"]

with engine.connect().execution_options(hutch_write=True) as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
