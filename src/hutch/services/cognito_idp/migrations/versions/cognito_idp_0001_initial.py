"""Cognito user pools: pools, signing keys, app clients, users, attributes, aliases, groups, sessions,
challenges, codes and the outbox.

Revision ID: cognito_idp_0001
Revises:
Create Date: 2026-11-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cognito_idp_0001"
down_revision = None
branch_labels = ("cognito_idp",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cognito_user_pools",
        sa.Column("id", sa.String(55), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("modified_ms", sa.BigInteger, nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("decoy_secret", sa.String(64), nullable=False),
    )
    op.create_table(
        "cognito_signing_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column(
            "pool_id",
            sa.String(55),
            sa.ForeignKey("cognito_user_pools.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_use", sa.String(16), nullable=False),
        sa.Column("private_pem", sa.Text, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_cognito_signing_keys_pool_id", "cognito_signing_keys", ["pool_id"])
    op.create_table(
        "cognito_app_clients",
        sa.Column("client_id", sa.String(128), primary_key=True),
        sa.Column(
            "pool_id",
            sa.String(55),
            sa.ForeignKey("cognito_user_pools.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("secret", sa.String(64), nullable=True),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("modified_ms", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_cognito_app_clients_pool_id_client_id", "cognito_app_clients", ["pool_id", "client_id"]
    )
    op.create_table(
        "cognito_users",
        sa.Column("sub", sa.String(36), primary_key=True),
        sa.Column(
            "pool_id",
            sa.String(55),
            sa.ForeignKey("cognito_user_pools.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("username", sa.String(128), nullable=False),
        sa.Column("username_key", sa.String(128), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("modified_ms", sa.BigInteger, nullable=False),
        sa.Column("salt", sa.Text, nullable=True),
        sa.Column("verifier", sa.Text, nullable=True),
        sa.Column("password_set_ms", sa.BigInteger, nullable=True),
        sa.Column("password_history", sa.Text, nullable=False, server_default="[]"),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_failure_ms", sa.BigInteger, nullable=True),
        sa.Column("locked_until_ms", sa.BigInteger, nullable=True),
        sa.UniqueConstraint("pool_id", "username_key", name="uq_cognito_users_pool_id_username_key"),
    )
    op.create_table(
        "cognito_user_attributes",
        sa.Column(
            "sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("pool_id", sa.String(55), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("lookup", sa.String(256), nullable=False),
    )
    op.create_index(
        "ix_cognito_user_attributes_pool_id_name_lookup",
        "cognito_user_attributes",
        ["pool_id", "name", "lookup"],
    )
    op.create_table(
        "cognito_aliases",
        sa.Column("pool_id", sa.String(55), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("alias_key", sa.String(512), primary_key=True),
        sa.Column(
            "sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), nullable=False
        ),
    )
    op.create_index("ix_cognito_aliases_sub", "cognito_aliases", ["sub"])
    op.create_table(
        "cognito_groups",
        sa.Column(
            "pool_id",
            sa.String(55),
            sa.ForeignKey("cognito_user_pools.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("role_arn", sa.String(2048), nullable=True),
        sa.Column("precedence", sa.Integer, nullable=True),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("modified_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "cognito_group_members",
        sa.Column("pool_id", sa.String(55), primary_key=True),
        sa.Column("group_name", sa.String(128), primary_key=True),
        sa.Column(
            "sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), primary_key=True
        ),
        sa.ForeignKeyConstraint(
            ["pool_id", "group_name"],
            ["cognito_groups.pool_id", "cognito_groups.name"],
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_cognito_group_members_sub", "cognito_group_members", ["sub"])
    op.create_table(
        "cognito_auth_sessions",
        sa.Column("origin_jti", sa.String(36), primary_key=True),
        sa.Column("pool_id", sa.String(55), nullable=False),
        sa.Column("client_id", sa.String(128), nullable=False),
        sa.Column(
            "sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("refresh_hash", sa.String(64), nullable=False),
        sa.Column("auth_time", sa.BigInteger, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("expires_ms", sa.BigInteger, nullable=False),
        sa.Column("revoked_ms", sa.BigInteger, nullable=True),
        sa.UniqueConstraint("refresh_hash", name="uq_cognito_auth_sessions_refresh_hash"),
    )
    op.create_index("ix_cognito_auth_sessions_sub", "cognito_auth_sessions", ["sub"])
    op.create_index("ix_cognito_auth_sessions_expires_ms", "cognito_auth_sessions", ["expires_ms"])
    op.create_table(
        "cognito_challenges",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("pool_id", sa.String(55), nullable=False),
        sa.Column("client_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("expires_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_cognito_challenges_expires_ms", "cognito_challenges", ["expires_ms"])
    op.create_table(
        "cognito_codes",
        sa.Column(
            "sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("purpose", sa.String(64), primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("attribute", sa.String(32), nullable=True),
        sa.Column("expires_ms", sa.BigInteger, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_cognito_codes_expires_ms", "cognito_codes", ["expires_ms"])
    op.create_table(
        "cognito_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("pool_id", sa.String(55), nullable=False),
        sa.Column("username", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("medium", sa.String(8), nullable=False),
        sa.Column("destination", sa.String(2048), nullable=False),
        sa.Column("subject", sa.Text, nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_cognito_outbox_created_ms", "cognito_outbox", ["created_ms"])
    op.create_index("ix_cognito_outbox_pool_id_username", "cognito_outbox", ["pool_id", "username"])


def downgrade() -> None:
    for table in (
        "cognito_outbox",
        "cognito_codes",
        "cognito_challenges",
        "cognito_auth_sessions",
        "cognito_group_members",
        "cognito_groups",
        "cognito_aliases",
        "cognito_user_attributes",
        "cognito_users",
        "cognito_app_clients",
        "cognito_signing_keys",
        "cognito_user_pools",
    ):
        op.drop_table(table)
