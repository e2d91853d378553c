"""The identity-pool service's tables. Only ``store`` reads or writes them.

Times are integer milliseconds since the epoch (portable across SQLite and PostgreSQL). A pool's provider
configuration, roles, role mappings and tags are only ever read whole, so they live in JSON text columns.
Logins are rows of their own: the unique (pool, provider, subject) index is what makes the same login always
map to the same identity, even when two GetId calls for a new user race.
"""

from __future__ import annotations

import sqlalchemy as sa

from hutch.store.schema import metadata

identity_pools = sa.Table(
    "cognito_identity_pools",
    metadata,
    sa.Column("id", sa.String(55), primary_key=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("allow_unauthenticated", sa.Boolean, nullable=False),
    sa.Column("allow_classic_flow", sa.Boolean, nullable=True),  # NULL: never set (AWS then allows it)
    sa.Column("developer_provider_name", sa.String(128), nullable=True),
    sa.Column("configuration", sa.Text, nullable=False),  # trusted providers (JSON)
    sa.Column("roles", sa.Text, nullable=False),  # {"authenticated": arn, "unauthenticated": arn}
    sa.Column("role_mappings", sa.Text, nullable=False),  # {provider: RoleMapping}
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("modified_ms", sa.BigInteger, nullable=False),
)

principal_tag_maps = sa.Table(
    "cognito_identity_principal_tag_maps",
    metadata,
    sa.Column(
        "pool_id",
        sa.String(55),
        sa.ForeignKey("cognito_identity_pools.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("provider", sa.String(128), primary_key=True),
    sa.Column("use_defaults", sa.Boolean, nullable=False),
    sa.Column("tags", sa.Text, nullable=False),  # {tag key: claim name}
)

identities = sa.Table(
    "cognito_identities",
    metadata,
    sa.Column("id", sa.String(55), primary_key=True),
    sa.Column(
        "pool_id",
        sa.String(55),
        sa.ForeignKey("cognito_identity_pools.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("state", sa.String(16), nullable=False),  # unauthenticated | authenticated | disabled
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("modified_ms", sa.BigInteger, nullable=False),
    sa.Index(None, "pool_id", "id"),
)

logins = sa.Table(
    "cognito_identity_logins",
    metadata,
    sa.Column("pool_id", sa.String(55), nullable=False),
    sa.Column("provider", sa.String(128), nullable=False),
    # The user's stable id at the provider (token sub, developer user identifier), at most 1024 characters.
    sa.Column("subject", sa.String(1024), nullable=False),
    sa.Column(
        "identity_id",
        sa.String(55),
        sa.ForeignKey("cognito_identities.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("linked_ms", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("pool_id", "provider", "subject"),
    sa.Index(None, "identity_id"),
)

signing_keys = sa.Table(
    "cognito_identity_signing_keys",
    metadata,
    # Slot 1 is the key in use. A fixed primary key means two servers starting at once on one database
    # cannot both install a key: the second insert fails and that server reads the first one's key.
    sa.Column("slot", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kid", sa.String(64), nullable=False, unique=True),
    sa.Column("private_pem", sa.Text, nullable=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
)
