"""IAM: roles, users, access keys, inline and managed policies, attachments, OIDC providers.

Revision ID: 1a0c0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "1a0c0001"
down_revision = None
branch_labels = ("iam",)
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "iam_roles",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("trust_policy", sa.Text, nullable=False),
        sa.Column("description", sa.String(1000)),
        sa.Column("max_session_duration", sa.Integer, nullable=False),
        sa.Column("boundary_arn", sa.String(2048)),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_iam_roles"),
        sa.UniqueConstraint("name_key", name="uq_iam_roles_name_key"),
    )
    op.create_table(
        "iam_role_policies",
        sa.Column("role_id", sa.String(32), nullable=False),
        sa.Column("name_key", sa.String(128), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("role_id", "name_key", name="pk_iam_role_policies"),
        sa.ForeignKeyConstraint(
            ["role_id"], ["iam_roles.id"], name="fk_iam_role_policies_role_id_iam_roles", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "iam_users",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("boundary_arn", sa.String(2048)),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_iam_users"),
        sa.UniqueConstraint("name_key", name="uq_iam_users_name_key"),
    )
    op.create_table(
        "iam_user_policies",
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("name_key", sa.String(128), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "name_key", name="pk_iam_user_policies"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["iam_users.id"], name="fk_iam_user_policies_user_id_iam_users", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "iam_access_keys",
        sa.Column("access_key_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("secret", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("access_key_id", name="pk_iam_access_keys"),
        sa.ForeignKeyConstraint(["user_id"], ["iam_users.id"], name="fk_iam_access_keys_user_id_iam_users"),
    )
    op.create_index("ix_iam_access_keys_user_id", "iam_access_keys", ["user_id"])
    op.create_table(
        "iam_policies",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("name_key", sa.String(128), nullable=False),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("arn", sa.String(2048), nullable=False),
        sa.Column("description", sa.String(1000)),
        sa.Column("default_version", sa.Integer, nullable=False),
        sa.Column("next_version", sa.Integer, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_iam_policies"),
        sa.UniqueConstraint("name_key", name="uq_iam_policies_name_key"),
        sa.UniqueConstraint("arn", name="uq_iam_policies_arn"),
    )
    op.create_table(
        "iam_policy_versions",
        sa.Column("policy_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("policy_id", "version", name="pk_iam_policy_versions"),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["iam_policies.id"],
            name="fk_iam_policy_versions_policy_id_iam_policies",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "iam_attachments",
        sa.Column("entity_kind", sa.String(8), nullable=False),
        sa.Column("entity_id", sa.String(32), nullable=False),
        sa.Column("policy_arn", sa.String(2048), nullable=False),
        sa.Column("attached_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("entity_kind", "entity_id", "policy_arn", name="pk_iam_attachments"),
    )
    op.create_index("ix_iam_attachments_policy_arn", "iam_attachments", ["policy_arn"])
    op.create_table(
        "iam_oidc_providers",
        sa.Column("arn", sa.String(2048), nullable=False),
        sa.Column("url", sa.String(255), nullable=False),
        sa.Column("client_ids", sa.Text, nullable=False),
        sa.Column("thumbprints", sa.Text, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("arn", name="pk_iam_oidc_providers"),
        sa.UniqueConstraint("url", name="uq_iam_oidc_providers_url"),
    )


def downgrade() -> None:
    for table in (
        "iam_oidc_providers",
        "iam_attachments",
        "iam_policy_versions",
        "iam_policies",
        "iam_access_keys",
        "iam_user_policies",
        "iam_users",
        "iam_role_policies",
        "iam_roles",
    ):
        op.drop_table(table)
