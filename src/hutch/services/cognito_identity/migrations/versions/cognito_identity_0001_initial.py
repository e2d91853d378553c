"""Cognito identity pools: pools, principal tag maps, identities, their logins, and the OpenID signing key.

Revision ID: cognito_identity_0001
Revises:
Create Date: 2026-11-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cognito_identity_0001"
down_revision = None
branch_labels = ("cognito_identity",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cognito_identity_pools",
        sa.Column("id", sa.String(55), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("allow_unauthenticated", sa.Boolean, nullable=False),
        sa.Column("allow_classic_flow", sa.Boolean, nullable=True),
        sa.Column("developer_provider_name", sa.String(128), nullable=True),
        sa.Column("configuration", sa.Text, nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("role_mappings", sa.Text, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("modified_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "cognito_identity_principal_tag_maps",
        sa.Column(
            "pool_id",
            sa.String(55),
            sa.ForeignKey("cognito_identity_pools.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("provider", sa.String(128), primary_key=True),
        sa.Column("use_defaults", sa.Boolean, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
    )
    op.create_table(
        "cognito_identities",
        sa.Column("id", sa.String(55), primary_key=True),
        sa.Column(
            "pool_id",
            sa.String(55),
            sa.ForeignKey("cognito_identity_pools.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("modified_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_cognito_identities_pool_id_id", "cognito_identities", ["pool_id", "id"])
    op.create_table(
        "cognito_identity_logins",
        sa.Column("pool_id", sa.String(55), nullable=False),
        sa.Column("provider", sa.String(128), nullable=False),
        sa.Column("subject", sa.String(1024), nullable=False),
        sa.Column(
            "identity_id",
            sa.String(55),
            sa.ForeignKey("cognito_identities.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("linked_ms", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("pool_id", "provider", "subject", name="pk_cognito_identity_logins"),
    )
    op.create_index("ix_cognito_identity_logins_identity_id", "cognito_identity_logins", ["identity_id"])
    op.create_table(
        "cognito_identity_signing_keys",
        sa.Column("slot", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("private_pem", sa.Text, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("kid", name="uq_cognito_identity_signing_keys_kid"),
    )


def downgrade() -> None:
    op.drop_table("cognito_identity_signing_keys")
    op.drop_index("ix_cognito_identity_logins_identity_id", "cognito_identity_logins")
    op.drop_table("cognito_identity_logins")
    op.drop_index("ix_cognito_identities_pool_id_id", "cognito_identities")
    op.drop_table("cognito_identities")
    op.drop_table("cognito_identity_principal_tag_maps")
    op.drop_table("cognito_identity_pools")
