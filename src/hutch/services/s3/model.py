"""S3's records as the rest of the service sees them (the store maps them to rows)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

ChecksumType = Literal["FULL_OBJECT", "COMPOSITE"]


def epoch(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def canonical_user_id(account: str) -> str:
    """A stable 64-hex canonical user id for the account (S3's Owner.ID)."""
    return hashlib.sha256(f"hutch canonical user {account}".encode()).hexdigest()


def owner(account: str) -> dict[str, str]:
    return {"ID": canonical_user_id(account)}


@dataclass(frozen=True)
class Bucket:
    name: str
    region: str
    owner: str  # account id
    created_at: int
    policy: str | None = None
    cors: str | None = None  # JSON list of CORSRule dicts

    @property
    def arn(self) -> str:
        return f"arn:aws:s3:::{self.name}"


@dataclass(frozen=True)
class StoredChecksum:
    algorithm: str  # CRC32 | CRC32C | CRC64NVME | SHA1 | SHA256
    value: str  # base64; "<base64>-N" for a composite multipart checksum
    type: ChecksumType = "FULL_OBJECT"


@dataclass(frozen=True)
class ObjectPart:
    """One part of a completed multipart object: its own blob, at ``start`` in the object's bytes."""

    number: int
    start: int
    size: int
    blob_id: str
    etag: str
    checksum: str | None = None


@dataclass(frozen=True)
class ObjectRecord:
    bucket: str
    key: str
    size: int
    etag: str  # without quotes
    last_modified: int
    blob_id: str | None  # single-blob objects
    parts_count: int | None = None  # multipart objects (their blobs are in ObjectPart rows)
    headers: dict[str, str] = field(default_factory=dict)  # ContentType, CacheControl, ... by API name
    meta: dict[str, str] = field(default_factory=dict)  # x-amz-meta-* (names lower-case)
    tags: tuple[tuple[str, str], ...] = ()
    checksum: StoredChecksum | None = None
    # Small objects keep their bytes here (in the database) instead of in a blob.
    inline: bytes | None = field(default=None, repr=False)

    @property
    def quoted_etag(self) -> str:
        return f'"{self.etag}"'

    @property
    def key_bytes(self) -> bytes:
        return self.key.encode("utf-8")

    @property
    def arn(self) -> str:
        return f"arn:aws:s3:::{self.bucket}/{self.key}"


@dataclass(frozen=True)
class Upload:
    upload_id: str
    bucket: str
    key: str
    initiated: int
    initiator: str  # principal ARN
    initiator_id: str  # principal user id
    headers: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    tags: tuple[tuple[str, str], ...] = ()
    checksum_algorithm: str | None = None
    checksum_type: ChecksumType | None = None


@dataclass(frozen=True)
class UploadPart:
    number: int
    size: int
    blob_id: str
    etag: str
    last_modified: int
    checksum: str | None = None
