"""S3's tables. Only hutch.services.s3.store reads or writes them.

Object keys are stored as their UTF-8 bytes: byte order is exactly the order S3 lists keys in, on SQLite and
PostgreSQL alike (no collation to get wrong), and a key may hold any character, NUL included.
The (bucket, key) primary key serves exact lookups and keyset-paginated listings with a prefix.
Times are whole epoch seconds: S3 reports Last-Modified to the second and compares conditional requests at
that precision, so storing more would make If-Modified-Since with the object's own Last-Modified fail.
"""

from __future__ import annotations

import sqlalchemy as sa

from hutch.store.schema import metadata

KEY = sa.LargeBinary(length=1024)

buckets = sa.Table(
    "s3_buckets",
    metadata,
    sa.Column("name", sa.String(63), primary_key=True),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("owner", sa.String(12), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("policy", sa.Text, nullable=True),
    # The CORS rules as JSON (the CORSRules list as the API takes it).
    sa.Column("cors", sa.Text, nullable=True),
)

objects = sa.Table(
    "s3_objects",
    metadata,
    sa.Column("bucket", sa.String(63), sa.ForeignKey("s3_buckets.name"), primary_key=True),
    sa.Column("key", KEY, primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("etag", sa.String(64), nullable=False),  # hex MD5, or hex MD5-of-MD5s + "-N"; no quotes
    sa.Column("last_modified", sa.BigInteger, nullable=False),
    # The bytes: one blob, or (multipart) one blob per part, kept in s3_object_parts, or (neither) inline in
    # s3_object_data.
    sa.Column("blob_id", sa.String(32), nullable=True),
    sa.Column("parts_count", sa.Integer, nullable=True),
    # Content-Type, Cache-Control, ... and x-amz-meta-*: JSON {"headers": {...}, "meta": {...}}.
    sa.Column("headers", sa.Text, nullable=False),
    sa.Column("tags", sa.Text, nullable=True),  # JSON [[key, value], ...]
    sa.Column("checksum_algorithm", sa.String(16), nullable=True),
    sa.Column("checksum_value", sa.String(128), nullable=True),  # base64, with "-N" when composite
    sa.Column("checksum_type", sa.String(16), nullable=True),  # FULL_OBJECT | COMPOSITE
    sa.Index("ix_s3_objects_blob_id", "blob_id"),
)

object_parts = sa.Table(
    "s3_object_parts",
    metadata,
    sa.Column("bucket", sa.String(63), primary_key=True),
    sa.Column("key", KEY, primary_key=True),
    sa.Column("part_number", sa.Integer, primary_key=True),
    sa.Column("start", sa.BigInteger, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("blob_id", sa.String(32), nullable=False),
    sa.Column("etag", sa.String(64), nullable=False),
    sa.Column("checksum_value", sa.String(128), nullable=True),
    sa.ForeignKeyConstraint(["bucket", "key"], ["s3_objects.bucket", "s3_objects.key"], ondelete="CASCADE"),
    sa.Index("ix_s3_object_parts_blob_id", "blob_id"),
)

# The bytes of small objects, inline: they commit with the metadata in one transaction (one fsync instead of
# three), and a GET of them opens no file. Kept apart from s3_objects so listings never page through them.
object_data = sa.Table(
    "s3_object_data",
    metadata,
    sa.Column("bucket", sa.String(63), primary_key=True),
    sa.Column("key", KEY, primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.ForeignKeyConstraint(["bucket", "key"], ["s3_objects.bucket", "s3_objects.key"], ondelete="CASCADE"),
)

uploads = sa.Table(
    "s3_uploads",
    metadata,
    sa.Column("upload_id", sa.String(64), primary_key=True),
    sa.Column("bucket", sa.String(63), sa.ForeignKey("s3_buckets.name"), nullable=False),
    sa.Column("key", KEY, nullable=False),
    sa.Column("initiated", sa.BigInteger, nullable=False),
    sa.Column("initiator", sa.String(2048), nullable=False),  # the principal ARN
    sa.Column("initiator_id", sa.String(256), nullable=False),
    sa.Column("headers", sa.Text, nullable=False),  # as objects.headers
    sa.Column("tags", sa.Text, nullable=True),
    sa.Column("checksum_algorithm", sa.String(16), nullable=True),
    sa.Column("checksum_type", sa.String(16), nullable=True),
    sa.Index("ix_s3_uploads_bucket_key", "bucket", "key", "upload_id"),
    sa.Index("ix_s3_uploads_initiated", "initiated"),
)

upload_parts = sa.Table(
    "s3_upload_parts",
    metadata,
    sa.Column(
        "upload_id",
        sa.String(64),
        sa.ForeignKey("s3_uploads.upload_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("part_number", sa.Integer, primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("blob_id", sa.String(32), nullable=False),
    sa.Column("etag", sa.String(64), nullable=False),
    sa.Column("checksum_value", sa.String(128), nullable=True),
    sa.Column("last_modified", sa.BigInteger, nullable=False),
    sa.Index("ix_s3_upload_parts_blob_id", "blob_id"),
)
