"""Multipart uploads and their parts in the database (with store.py, the only code touching S3's tables)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hutch.services.s3 import tables as t
from hutch.services.s3.errors import no_such_bucket, no_such_upload
from hutch.services.s3.keys import key_bytes, prefix_end, text
from hutch.services.s3.model import Upload, UploadPart
from hutch.services.s3.store import dump_headers, dump_tags, load_headers, load_tags
from hutch.store.engine import read, write

_MAX_INSERT_RETRIES = 5


def _upload(row: Any) -> Upload:
    headers, meta = load_headers(row.headers)
    return Upload(
        upload_id=row.upload_id,
        bucket=row.bucket,
        key=text(row.key),
        initiated=int(row.initiated),
        initiator=row.initiator,
        initiator_id=row.initiator_id,
        headers=headers,
        meta=meta,
        tags=load_tags(row.tags),
        checksum_algorithm=row.checksum_algorithm,
        checksum_type=row.checksum_type,
    )


def _part(row: Any) -> UploadPart:
    return UploadPart(
        number=row.part_number,
        size=int(row.size),
        blob_id=row.blob_id,
        etag=row.etag,
        last_modified=int(row.last_modified),
        checksum=row.checksum_value,
    )


@dataclass
class UploadListing:
    uploads: list[Upload]
    common_prefixes: list[bytes]
    truncated: bool
    next_key_marker: str | None
    next_upload_id_marker: str | None


class UploadStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, upload: Upload) -> None:
        try:
            with write(self.engine) as conn:
                conn.execute(
                    t.uploads.insert().values(
                        upload_id=upload.upload_id,
                        bucket=upload.bucket,
                        key=key_bytes(upload.key),
                        initiated=upload.initiated,
                        initiator=upload.initiator,
                        initiator_id=upload.initiator_id,
                        headers=dump_headers(upload.headers, upload.meta),
                        tags=dump_tags(upload.tags),
                        checksum_algorithm=upload.checksum_algorithm,
                        checksum_type=upload.checksum_type,
                    )
                )
        except sa.exc.IntegrityError:
            raise no_such_bucket(upload.bucket) from None

    def get(self, upload_id: str) -> Upload | None:
        with read(self.engine) as conn:
            row = conn.execute(sa.select(t.uploads).where(t.uploads.c.upload_id == upload_id)).first()
        return _upload(row) if row is not None else None

    def put_part(self, upload_id: str, part: UploadPart) -> list[str]:
        """Record (or replace) a part. Returns the blob id the part replaced, if any."""
        values = {
            "size": part.size,
            "blob_id": part.blob_id,
            "etag": part.etag,
            "checksum_value": part.checksum,
            "last_modified": part.last_modified,
        }
        where = (t.upload_parts.c.upload_id == upload_id, t.upload_parts.c.part_number == part.number)
        for _ in range(_MAX_INSERT_RETRIES):
            try:
                with write(self.engine) as conn:
                    upload = conn.execute(
                        sa.select(t.uploads.c.upload_id)
                        .where(t.uploads.c.upload_id == upload_id)
                        .with_for_update()
                    ).first()
                    if upload is None:
                        raise no_such_upload(upload_id)
                    old = conn.execute(
                        sa.select(t.upload_parts.c.blob_id).where(*where).with_for_update()
                    ).first()
                    if old is None:
                        conn.execute(
                            t.upload_parts.insert().values(
                                upload_id=upload_id, part_number=part.number, **values
                            )
                        )
                        return []
                    conn.execute(t.upload_parts.update().where(*where).values(**values))
                    return [old.blob_id]
            except sa.exc.IntegrityError:
                continue  # the same part arrived twice at once, or the upload vanished: look again
        raise no_such_upload(upload_id)

    def parts(self, upload_id: str, after: int = 0, limit: int | None = None) -> list[UploadPart]:
        query = (
            sa.select(t.upload_parts)
            .where(t.upload_parts.c.upload_id == upload_id, t.upload_parts.c.part_number > after)
            .order_by(t.upload_parts.c.part_number)
        )
        if limit is not None:
            query = query.limit(limit)
        with read(self.engine) as conn:
            return [_part(r) for r in conn.execute(query)]

    def finish(self, upload_id: str, used: dict[int, str]) -> Callable[[sa.Connection], list[str]]:
        """The step of CompleteMultipartUpload that runs inside the object's write transaction.

        It checks the upload still exists with exactly the part blobs the caller assembled (``used``: part
        number → blob id), removes the upload, and returns the blob ids of the parts left out.
        """

        def step(conn: sa.Connection) -> list[str]:
            exists = conn.execute(
                sa.select(t.uploads.c.upload_id).where(t.uploads.c.upload_id == upload_id).with_for_update()
            ).first()
            if exists is None:
                raise no_such_upload(upload_id)
            rows = conn.execute(
                sa.select(t.upload_parts.c.part_number, t.upload_parts.c.blob_id).where(
                    t.upload_parts.c.upload_id == upload_id
                )
            ).all()
            current = {r.part_number: r.blob_id for r in rows}
            for number, blob_id in used.items():
                if current.get(number) != blob_id:
                    # A part was replaced while we assembled: the client must complete again.
                    raise PartChanged(number)
            conn.execute(t.upload_parts.delete().where(t.upload_parts.c.upload_id == upload_id))
            conn.execute(t.uploads.delete().where(t.uploads.c.upload_id == upload_id))
            kept = set(used.values())
            return [b for b in current.values() if b not in kept]

        return step

    def abort(self, upload_id: str) -> list[str] | None:
        """Remove an upload and its parts; returns the parts' blob ids (None: no such upload)."""
        with write(self.engine) as conn:
            exists = conn.execute(
                sa.select(t.uploads.c.upload_id).where(t.uploads.c.upload_id == upload_id).with_for_update()
            ).first()
            if exists is None:
                return None
            blobs = [
                r.blob_id
                for r in conn.execute(
                    sa.select(t.upload_parts.c.blob_id).where(t.upload_parts.c.upload_id == upload_id)
                )
            ]
            conn.execute(t.upload_parts.delete().where(t.upload_parts.c.upload_id == upload_id))
            conn.execute(t.uploads.delete().where(t.uploads.c.upload_id == upload_id))
            return blobs

    def initiated_before(self, cutoff: int, limit: int = 100) -> list[str]:
        with read(self.engine) as conn:
            return [
                r.upload_id
                for r in conn.execute(
                    sa.select(t.uploads.c.upload_id)
                    .where(t.uploads.c.initiated < cutoff)
                    .order_by(t.uploads.c.initiated)
                    .limit(limit)
                )
            ]

    def list_uploads(
        self,
        bucket: str,
        *,
        prefix: bytes,
        delimiter: bytes | None,
        key_marker: bytes | None,
        upload_id_marker: str | None,
        max_uploads: int,
    ) -> UploadListing:
        """Uploads in (key, upload id) order: initiation order within a key, as ids start with the time."""
        upper = prefix_end(prefix) if prefix else None
        # Position: (key, upload id or None meaning "before every upload of key", inclusive-of-key flag).
        at_key: bytes | None = prefix or None
        at_id: str | None = None
        key_inclusive = True
        if key_marker is not None:
            marker_group_end = _group_end(key_marker, prefix, delimiter)
            if marker_group_end is not None:
                # The marker is a common prefix returned by the previous page: skip the whole group.
                at_key, key_inclusive = marker_group_end, True
            elif prefix and key_marker < prefix:
                at_key, key_inclusive = prefix, True
            elif upload_id_marker:
                at_key, at_id, key_inclusive = key_marker, upload_id_marker, True
            else:
                at_key, key_inclusive = key_marker, False
        uploads: list[Upload] = []
        prefixes: list[bytes] = []
        result = UploadListing(uploads, prefixes, False, None, None)
        if max_uploads <= 0:
            return result
        with read(self.engine) as conn:
            while True:
                query = sa.select(t.uploads).where(t.uploads.c.bucket == bucket)
                if at_key is not None:
                    if at_id is not None:
                        query = query.where(
                            sa.or_(
                                t.uploads.c.key > at_key,
                                sa.and_(t.uploads.c.key == at_key, t.uploads.c.upload_id > at_id),
                            )
                        )
                    elif key_inclusive:
                        query = query.where(t.uploads.c.key >= at_key)
                    else:
                        query = query.where(t.uploads.c.key > at_key)
                if upper is not None:
                    query = query.where(t.uploads.c.key < upper)
                rows = conn.execute(query.order_by(t.uploads.c.key, t.uploads.c.upload_id).limit(50)).all()
                if not rows:
                    return result
                for row in rows:
                    key = bytes(row.key)
                    group = None
                    if delimiter:
                        cut = key.find(delimiter, len(prefix))
                        if cut >= 0:
                            group = key[: cut + len(delimiter)]
                    if len(uploads) + len(prefixes) >= max_uploads:
                        result.truncated = True
                        return result
                    if group is not None:
                        prefixes.append(group)
                        result.next_key_marker, result.next_upload_id_marker = text(group), None
                        end = prefix_end(group)
                        if end is None:
                            return result
                        at_key, at_id, key_inclusive = end, None, True
                        break  # re-query from past the group
                    up = _upload(row)
                    uploads.append(up)
                    result.next_key_marker, result.next_upload_id_marker = up.key, up.upload_id
                    at_key, at_id = key, up.upload_id
                else:
                    if len(rows) < 50:
                        return result


def _group_end(marker: bytes, prefix: bytes, delimiter: bytes | None) -> bytes | None:
    if not delimiter or not marker.startswith(prefix) or not marker.endswith(delimiter):
        return None
    cut = marker.find(delimiter, len(prefix))
    if cut + len(delimiter) != len(marker):
        return None
    return prefix_end(marker)


class PartChanged(Exception):
    def __init__(self, part_number: int) -> None:
        super().__init__(part_number)
        self.part_number = part_number
