"""S3: buckets, objects (one blob, one blob per part, or small ones inline), multipart uploads and parts.

Revision ID: 53000001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "53000001"
down_revision = None
branch_labels = ("s3",)
depends_on = None

KEY = sa.LargeBinary(length=1024)


def upgrade() -> None:
    op.create_table(
        "s3_buckets",
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(12), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("policy", sa.Text, nullable=True),
        sa.Column("cors", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_s3_buckets"),
    )
    op.create_table(
        "s3_objects",
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("key", KEY, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("last_modified", sa.BigInteger, nullable=False),
        sa.Column("blob_id", sa.String(32), nullable=True),
        sa.Column("parts_count", sa.Integer, nullable=True),
        sa.Column("headers", sa.Text, nullable=False),
        sa.Column("tags", sa.Text, nullable=True),
        sa.Column("checksum_algorithm", sa.String(16), nullable=True),
        sa.Column("checksum_value", sa.String(128), nullable=True),
        sa.Column("checksum_type", sa.String(16), nullable=True),
        sa.PrimaryKeyConstraint("bucket", "key", name="pk_s3_objects"),
        sa.ForeignKeyConstraint(["bucket"], ["s3_buckets.name"], name="fk_s3_objects_bucket_s3_buckets"),
    )
    op.create_index("ix_s3_objects_blob_id", "s3_objects", ["blob_id"])
    op.create_table(
        "s3_object_parts",
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("key", KEY, nullable=False),
        sa.Column("part_number", sa.Integer, nullable=False),
        sa.Column("start", sa.BigInteger, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("blob_id", sa.String(32), nullable=False),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("checksum_value", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("bucket", "key", "part_number", name="pk_s3_object_parts"),
        sa.ForeignKeyConstraint(
            ["bucket", "key"],
            ["s3_objects.bucket", "s3_objects.key"],
            name="fk_s3_object_parts_bucket_s3_objects",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_s3_object_parts_blob_id", "s3_object_parts", ["blob_id"])
    op.create_table(
        "s3_object_data",
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("key", KEY, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("bucket", "key", name="pk_s3_object_data"),
        sa.ForeignKeyConstraint(
            ["bucket", "key"],
            ["s3_objects.bucket", "s3_objects.key"],
            name="fk_s3_object_data_bucket_s3_objects",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "s3_uploads",
        sa.Column("upload_id", sa.String(64), nullable=False),
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("key", KEY, nullable=False),
        sa.Column("initiated", sa.BigInteger, nullable=False),
        sa.Column("initiator", sa.String(2048), nullable=False),
        sa.Column("initiator_id", sa.String(256), nullable=False),
        sa.Column("headers", sa.Text, nullable=False),
        sa.Column("tags", sa.Text, nullable=True),
        sa.Column("checksum_algorithm", sa.String(16), nullable=True),
        sa.Column("checksum_type", sa.String(16), nullable=True),
        sa.PrimaryKeyConstraint("upload_id", name="pk_s3_uploads"),
        sa.ForeignKeyConstraint(["bucket"], ["s3_buckets.name"], name="fk_s3_uploads_bucket_s3_buckets"),
    )
    op.create_index("ix_s3_uploads_bucket_key", "s3_uploads", ["bucket", "key", "upload_id"])
    op.create_index("ix_s3_uploads_initiated", "s3_uploads", ["initiated"])
    op.create_table(
        "s3_upload_parts",
        sa.Column("upload_id", sa.String(64), nullable=False),
        sa.Column("part_number", sa.Integer, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("blob_id", sa.String(32), nullable=False),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("checksum_value", sa.String(128), nullable=True),
        sa.Column("last_modified", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("upload_id", "part_number", name="pk_s3_upload_parts"),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["s3_uploads.upload_id"],
            name="fk_s3_upload_parts_upload_id_s3_uploads",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_s3_upload_parts_blob_id", "s3_upload_parts", ["blob_id"])


def downgrade() -> None:
    op.drop_table("s3_upload_parts")
    op.drop_table("s3_uploads")
    op.drop_table("s3_object_data")
    op.drop_table("s3_object_parts")
    op.drop_table("s3_objects")
    op.drop_table("s3_buckets")
