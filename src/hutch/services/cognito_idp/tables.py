"""The user-pool service's tables. Only ``store`` reads or writes them.

Times are integer milliseconds since the epoch (portable across SQLite and PostgreSQL, and the precision
AWS reports). Pool and client settings that are only ever read whole live in JSON text columns; anything a
query filters on has its own indexed column.
"""

from __future__ import annotations

import sqlalchemy as sa

from hutch.store.schema import metadata

user_pools = sa.Table(
    "cognito_user_pools",
    metadata,
    sa.Column("id", sa.String(55), primary_key=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("modified_ms", sa.BigInteger, nullable=False),
    # Everything DescribeUserPool shows that no query needs: policies, schema, templates, ...
    sa.Column("settings", sa.Text, nullable=False),
    # Server secret for answers about users that do not exist (stable decoy salts, fake user ids).
    sa.Column("decoy_secret", sa.String(64), nullable=False),
)

signing_keys = sa.Table(
    "cognito_signing_keys",
    metadata,
    sa.Column("kid", sa.String(64), primary_key=True),
    sa.Column(
        "pool_id", sa.String(55), sa.ForeignKey("cognito_user_pools.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "token_use", sa.String(16), nullable=False
    ),  # "id" or "access": Cognito signs each with its own
    sa.Column("private_pem", sa.Text, nullable=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Index(None, "pool_id"),
)

app_clients = sa.Table(
    "cognito_app_clients",
    metadata,
    sa.Column("client_id", sa.String(128), primary_key=True),
    sa.Column(
        "pool_id", sa.String(55), sa.ForeignKey("cognito_user_pools.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(128), nullable=False),
    # The client secret is an HMAC key (SECRET_HASH) and DescribeUserPoolClient returns it, so it is kept.
    sa.Column("secret", sa.String(64), nullable=True),
    sa.Column("settings", sa.Text, nullable=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("modified_ms", sa.BigInteger, nullable=False),
    sa.Index(None, "pool_id", "client_id"),
)

users = sa.Table(
    "cognito_users",
    metadata,
    sa.Column("sub", sa.String(36), primary_key=True),
    sa.Column(
        "pool_id", sa.String(55), sa.ForeignKey("cognito_user_pools.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("username", sa.String(128), nullable=False),
    # The username as the pool compares it (lower-cased in case-insensitive pools): the sign-in lookup.
    sa.Column("username_key", sa.String(128), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("modified_ms", sa.BigInteger, nullable=False),
    # The password exists only as Cognito's SRP salt + verifier.
    sa.Column("salt", sa.Text, nullable=True),
    sa.Column("verifier", sa.Text, nullable=True),
    sa.Column("password_set_ms", sa.BigInteger, nullable=True),
    # Earlier (salt, verifier) pairs for PasswordHistorySize, newest first, as JSON.
    sa.Column("password_history", sa.Text, nullable=False, server_default="[]"),
    # Failed sign-in backoff (see lockout.py).
    sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_failure_ms", sa.BigInteger, nullable=True),
    sa.Column("locked_until_ms", sa.BigInteger, nullable=True),
    sa.UniqueConstraint("pool_id", "username_key"),
)

user_attributes = sa.Table(
    "cognito_user_attributes",
    metadata,
    sa.Column("sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("pool_id", sa.String(55), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    # A bounded, normalised prefix of the value for ListUsers filters; matches are re-checked in full.
    sa.Column("lookup", sa.String(256), nullable=False),
    sa.Index(None, "pool_id", "name", "lookup"),
)

# Sign-in aliases (email, phone_number, preferred_username) that currently resolve to a user. The primary key
# is what makes an alias unique in its pool, on every backend, without a race.
aliases = sa.Table(
    "cognito_aliases",
    metadata,
    sa.Column("pool_id", sa.String(55), primary_key=True),
    sa.Column("kind", sa.String(32), primary_key=True),
    sa.Column("alias_key", sa.String(512), primary_key=True),
    sa.Column("sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), nullable=False),
    sa.Index(None, "sub"),
)

groups = sa.Table(
    "cognito_groups",
    metadata,
    sa.Column(
        "pool_id", sa.String(55), sa.ForeignKey("cognito_user_pools.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("role_arn", sa.String(2048), nullable=True),
    sa.Column("precedence", sa.Integer, nullable=True),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("modified_ms", sa.BigInteger, nullable=False),
)

group_members = sa.Table(
    "cognito_group_members",
    metadata,
    sa.Column("pool_id", sa.String(55), primary_key=True),
    sa.Column("group_name", sa.String(128), primary_key=True),
    sa.Column("sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), primary_key=True),
    sa.ForeignKeyConstraint(
        ["pool_id", "group_name"], ["cognito_groups.pool_id", "cognito_groups.name"], ondelete="CASCADE"
    ),
    sa.Index(None, "sub"),
)

# One row per sign-in: what its refresh token and every token derived from it (origin_jti) answer to.
auth_sessions = sa.Table(
    "cognito_auth_sessions",
    metadata,
    sa.Column("origin_jti", sa.String(36), primary_key=True),
    sa.Column("pool_id", sa.String(55), nullable=False),
    sa.Column("client_id", sa.String(128), nullable=False),
    sa.Column("sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), nullable=False),
    # SHA-256 of the opaque refresh token; the token itself is never stored.
    sa.Column("refresh_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("auth_time", sa.BigInteger, nullable=False),  # seconds, as the auth_time claim
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("expires_ms", sa.BigInteger, nullable=False),
    sa.Column("revoked_ms", sa.BigInteger, nullable=True),
    sa.Index(None, "sub"),
    sa.Index(None, "expires_ms"),
)

# Half-finished sign-ins between InitiateAuth and RespondToAuthChallenge (SRP state, NEW_PASSWORD_REQUIRED).
challenges = sa.Table(
    "cognito_challenges",
    metadata,
    sa.Column("key_hash", sa.String(64), primary_key=True),
    sa.Column("pool_id", sa.String(55), nullable=False),
    sa.Column("client_id", sa.String(128), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("expires_ms", sa.BigInteger, nullable=False),
    sa.Index(None, "expires_ms"),
)

# Outstanding confirmation / reset / attribute-verification codes, stored hashed.
codes = sa.Table(
    "cognito_codes",
    metadata,
    sa.Column("sub", sa.String(36), sa.ForeignKey("cognito_users.sub", ondelete="CASCADE"), primary_key=True),
    sa.Column("purpose", sa.String(64), primary_key=True),
    sa.Column("code_hash", sa.String(64), nullable=False),
    # The attribute (email / phone_number) the code was sent to: confirming the code verifies it.
    sa.Column("attribute", sa.String(32), nullable=True),
    sa.Column("expires_ms", sa.BigInteger, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Index(None, "expires_ms"),
)

# Messages the default sender "delivered": what `hutch outbox` and /_hutch/outbox show.
outbox = sa.Table(
    "cognito_outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("pool_id", sa.String(55), nullable=False),
    sa.Column("username", sa.String(128), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("medium", sa.String(8), nullable=False),
    sa.Column("destination", sa.String(2048), nullable=False),
    sa.Column("subject", sa.Text, nullable=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Index(None, "created_ms"),
    sa.Index(None, "pool_id", "username"),
)
