"""IAM's tables. Only hutch.services.iam.store reads or writes them.

Names are unique per account without regard to case (IAM: "Names are not distinguished by case"), so each
named entity keeps its name as given plus a lower-cased ``name_key`` that carries the uniqueness.
Tags are small ordered lists and travel as JSON text.
"""

from __future__ import annotations

import sqlalchemy as sa

from hutch.store.schema import metadata

TS = sa.DateTime(timezone=True)

roles = sa.Table(
    "iam_roles",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("name_key", sa.String(64), nullable=False, unique=True),
    sa.Column("path", sa.String(512), nullable=False),
    sa.Column("trust_policy", sa.Text, nullable=False),
    sa.Column("description", sa.String(1000)),
    sa.Column("max_session_duration", sa.Integer, nullable=False),
    sa.Column("boundary_arn", sa.String(2048)),
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

role_policies = sa.Table(
    "iam_role_policies",
    metadata,
    sa.Column("role_id", sa.String(32), sa.ForeignKey("iam_roles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name_key", sa.String(128), primary_key=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

users = sa.Table(
    "iam_users",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("name_key", sa.String(64), nullable=False, unique=True),
    sa.Column("path", sa.String(512), nullable=False),
    sa.Column("boundary_arn", sa.String(2048)),
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

user_policies = sa.Table(
    "iam_user_policies",
    metadata,
    sa.Column("user_id", sa.String(32), sa.ForeignKey("iam_users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name_key", sa.String(128), primary_key=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

access_keys = sa.Table(
    "iam_access_keys",
    metadata,
    sa.Column("access_key_id", sa.String(32), primary_key=True),
    # No cascade: DeleteUser refuses while the user still has keys.
    sa.Column("user_id", sa.String(32), sa.ForeignKey("iam_users.id"), nullable=False, index=True),
    # SigV4 verification needs the secret itself (it keys the HMAC), so it cannot be stored as a hash.
    sa.Column("secret", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

policies = sa.Table(
    "iam_policies",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("name_key", sa.String(128), nullable=False, unique=True),
    sa.Column("path", sa.String(512), nullable=False),
    sa.Column("arn", sa.String(2048), nullable=False, unique=True),
    sa.Column("description", sa.String(1000)),
    sa.Column("default_version", sa.Integer, nullable=False),
    sa.Column("next_version", sa.Integer, nullable=False),
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)

policy_versions = sa.Table(
    "iam_policy_versions",
    metadata,
    sa.Column(
        "policy_id", sa.String(32), sa.ForeignKey("iam_policies.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

# Managed policies attached to users and roles. Policies are referenced by ARN, not by row, because AWS
# managed policies (arn:aws:iam::aws:policy/...) are built in and have no row.
attachments = sa.Table(
    "iam_attachments",
    metadata,
    sa.Column("entity_kind", sa.String(8), primary_key=True),  # "role" | "user"
    sa.Column("entity_id", sa.String(32), primary_key=True),
    sa.Column("policy_arn", sa.String(2048), primary_key=True),
    sa.Column("attached_at", TS, nullable=False),
    sa.Index("ix_iam_attachments_policy_arn", "policy_arn"),
)

oidc_providers = sa.Table(
    "iam_oidc_providers",
    metadata,
    sa.Column("arn", sa.String(2048), primary_key=True),
    sa.Column("url", sa.String(255), nullable=False, unique=True),
    sa.Column("client_ids", sa.Text, nullable=False),
    sa.Column("thumbprints", sa.Text, nullable=False),
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)
