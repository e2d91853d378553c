"""STS's table: temporary credentials. Only hutch.services.sts.store reads or writes it."""

from __future__ import annotations

import sqlalchemy as sa

from hutch.store.schema import metadata

TS = sa.DateTime(timezone=True)

sessions = sa.Table(
    "sts_sessions",
    metadata,
    sa.Column("access_key_id", sa.String(32), primary_key=True),  # ASIA...
    # SigV4 needs the secret itself (it keys the HMAC); the session token is only ever compared, so only its
    # SHA-256 is kept.
    sa.Column("secret", sa.String(64), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("role_id", sa.String(32), nullable=False),
    sa.Column("role_arn", sa.String(2048), nullable=False),
    sa.Column("session_name", sa.String(64), nullable=False),
    sa.Column("issued_at", TS, nullable=False),
    sa.Column("expires_at", TS, nullable=False, index=True),
    # JSON: session policies (list of documents), context keys, session tags.
    sa.Column("session_policies", sa.Text, nullable=False),
    sa.Column("context", sa.Text, nullable=False),
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("source_identity", sa.String(64)),
    sa.Column("federated_provider", sa.String(2048)),
)
