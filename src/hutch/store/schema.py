"""The one SQLAlchemy MetaData every service's tables hang on.

Each service defines its own tables (services/<svc>/tables.py) and its own Alembic branch
(services/<svc>/migrations/); only that service's store module reads or writes them.
"""

from __future__ import annotations

from sqlalchemy import MetaData

# Stable constraint names, so migrations can refer to them on every backend.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
