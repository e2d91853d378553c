"""Buckets and objects in the database (the only code besides upload_store.py that touches S3's tables).

Every write is one short transaction. Writes that replace or remove an object return the ids of the blobs
that no longer belong to anything; the caller deletes them after the commit (see hutch.blobs.pins).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hutch.services.s3 import statements as q
from hutch.services.s3 import tables as t
from hutch.services.s3.errors import bucket_not_empty, no_such_bucket
from hutch.services.s3.keys import key_bytes, text
from hutch.services.s3.listing import Cursor, Page, walk
from hutch.services.s3.model import Bucket, ObjectPart, ObjectRecord, StoredChecksum
from hutch.store.engine import read, write
from hutch.store.group_commit import GroupCommit

# Called inside the write transaction with the object as it is now (None: absent); raises to refuse.
Precondition = Callable[[ObjectRecord | None], None]

_MAX_INSERT_RETRIES = 5


def _bucket(row: Any) -> Bucket:
    return Bucket(row.name, row.region, row.owner, int(row.created_at), row.policy, row.cors)


def dump_headers(headers: dict[str, str], meta: dict[str, str]) -> str:
    return json.dumps({"h": headers, "m": meta}, separators=(",", ":"), ensure_ascii=False)


def load_headers(raw: str) -> tuple[dict[str, str], dict[str, str]]:
    data = json.loads(raw)
    return dict(data.get("h", {})), dict(data.get("m", {}))


def dump_tags(tags: Iterable[tuple[str, str]] | None) -> str | None:
    items = list(tags or ())
    return json.dumps(items, separators=(",", ":"), ensure_ascii=False) if items else None


def load_tags(raw: str | None) -> tuple[tuple[str, str], ...]:
    if not raw:
        return ()
    return tuple((str(k), str(v)) for k, v in json.loads(raw))


def _object(row: Any, inline: bytes | None = None) -> ObjectRecord:
    headers, meta = load_headers(row.headers)
    checksum = None
    if row.checksum_algorithm and row.checksum_value:
        checksum = StoredChecksum(
            row.checksum_algorithm, row.checksum_value, row.checksum_type or "FULL_OBJECT"
        )
    return ObjectRecord(
        bucket=row.bucket,
        key=text(row.key),
        size=int(row.size),
        etag=row.etag,
        last_modified=int(row.last_modified),
        blob_id=row.blob_id,
        parts_count=row.parts_count,
        headers=headers,
        meta=meta,
        tags=load_tags(row.tags),
        checksum=checksum,
        inline=inline,
    )


def _is_inline(row: Any) -> bool:
    return row.blob_id is None and row.parts_count is None


def _object_values(record: ObjectRecord) -> dict[str, Any]:
    return {
        "size": record.size,
        "etag": record.etag,
        "last_modified": record.last_modified,
        "blob_id": record.blob_id,
        "parts_count": record.parts_count,
        "headers": dump_headers(record.headers, record.meta),
        "tags": dump_tags(record.tags),
        "checksum_algorithm": record.checksum.algorithm if record.checksum else None,
        "checksum_value": record.checksum.value if record.checksum else None,
        "checksum_type": record.checksum.type if record.checksum else None,
    }


class S3Store:
    def __init__(self, engine: Engine, group: GroupCommit | None = None) -> None:
        self.engine = engine
        # Object writes are small and frequent: they go through group commit (one fsync per batch).
        self.group = group or GroupCommit(engine)

    # -- buckets -------------------------------------------------------------------------------------

    def create_bucket(self, bucket: Bucket) -> Bucket | None:
        """Create ``bucket``; when the name is taken return the existing bucket instead."""
        for _ in range(_MAX_INSERT_RETRIES):
            try:
                with write(self.engine) as conn:
                    row = conn.execute(sa.select(t.buckets).where(t.buckets.c.name == bucket.name)).first()
                    if row is not None:
                        return _bucket(row)
                    conn.execute(
                        t.buckets.insert().values(
                            name=bucket.name,
                            region=bucket.region,
                            owner=bucket.owner,
                            created_at=bucket.created_at,
                            policy=bucket.policy,
                            cors=bucket.cors,
                        )
                    )
                    return None
            except sa.exc.IntegrityError:
                continue  # created concurrently: look again
        raise RuntimeError("could not create bucket")  # pragma: no cover - needs a pathological race

    def get_bucket(self, name: str) -> Bucket | None:
        with read(self.engine) as conn:
            row = conn.execute(q.SELECT_BUCKET, {"b_name": name}).first()
        return _bucket(row) if row is not None else None

    def get_bucket_and_object(
        self, bucket: str, key: str
    ) -> tuple[Bucket | None, ObjectRecord | None, list[ObjectPart]]:
        """A bucket, one of its objects and (multipart) the object's parts: the whole read of a GET."""
        raw = key_bytes(key)
        with read(self.engine) as conn:
            row = conn.execute(q.SELECT_BUCKET, {"b_name": bucket}).first()
            if row is None:
                return None, None, []
            record = self._get_object(conn, bucket, raw)
            parts = self._parts(conn, bucket, raw) if record is not None and record.parts_count else []
            return _bucket(row), record, parts

    def list_buckets(self, prefix: str | None, after: str | None, limit: int) -> list[Bucket]:
        query = sa.select(t.buckets).order_by(t.buckets.c.name).limit(limit)
        if after:
            query = query.where(t.buckets.c.name > after)
        if prefix:
            query = query.where(t.buckets.c.name >= prefix)
            end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            query = query.where(t.buckets.c.name < end)
        with read(self.engine) as conn:
            return [_bucket(r) for r in conn.execute(query)]

    def delete_bucket(self, name: str) -> list[str]:
        """Delete an empty bucket; its unfinished multipart uploads go with it. Returns their blob ids."""
        try:
            with write(self.engine) as conn:
                if conn.execute(sa.select(t.buckets.c.name).where(t.buckets.c.name == name)).first() is None:
                    raise no_such_bucket(name)
                has_object = conn.execute(
                    sa.select(t.objects.c.key).where(t.objects.c.bucket == name).limit(1)
                ).first()
                if has_object is not None:
                    raise bucket_not_empty(name)
                upload_ids = sa.select(t.uploads.c.upload_id).where(t.uploads.c.bucket == name)
                blobs = [
                    r.blob_id
                    for r in conn.execute(
                        sa.select(t.upload_parts.c.blob_id).where(t.upload_parts.c.upload_id.in_(upload_ids))
                    )
                ]
                conn.execute(t.upload_parts.delete().where(t.upload_parts.c.upload_id.in_(upload_ids)))
                conn.execute(t.uploads.delete().where(t.uploads.c.bucket == name))
                conn.execute(t.buckets.delete().where(t.buckets.c.name == name))
                return blobs
        except sa.exc.IntegrityError:
            # An object or upload arrived while we deleted: the bucket is not empty after all.
            raise bucket_not_empty(name) from None

    def set_bucket_policy(self, name: str, policy: str | None) -> bool:
        with write(self.engine) as conn:
            result = conn.execute(t.buckets.update().where(t.buckets.c.name == name).values(policy=policy))
            return bool(result.rowcount)

    def set_bucket_cors(self, name: str, cors: str | None) -> bool:
        with write(self.engine) as conn:
            result = conn.execute(t.buckets.update().where(t.buckets.c.name == name).values(cors=cors))
            return bool(result.rowcount)

    # -- objects -------------------------------------------------------------------------------------

    def get_object(self, bucket: str, key: str) -> ObjectRecord | None:
        with read(self.engine) as conn:
            return self._get_object(conn, bucket, key_bytes(key))

    def get_object_and_parts(self, bucket: str, key: str) -> tuple[ObjectRecord | None, list[ObjectPart]]:
        """An object and (multipart objects) its parts, read in one snapshot."""
        raw = key_bytes(key)
        with read(self.engine) as conn:
            record = self._get_object(conn, bucket, raw)
            if record is None or record.parts_count is None:
                return record, []
            return record, self._parts(conn, bucket, raw)

    @staticmethod
    def _get_object(
        conn: sa.Connection, bucket: str, raw: bytes, *, lock: bool = False
    ) -> ObjectRecord | None:
        """The object; an inline object's bytes come along unless ``lock`` (writers need only metadata)."""
        where = {"b_bucket": bucket, "b_key": raw}
        if lock:
            row = conn.execute(q.SELECT_OBJECT_FOR_UPDATE, where).first()
            return _object(row) if row is not None else None
        row = conn.execute(q.SELECT_OBJECT, where).first()
        if row is None:
            return None
        return _object(row, bytes(row.data) if row.data is not None else None)

    @staticmethod
    def _parts(conn: sa.Connection, bucket: str, raw: bytes) -> list[ObjectPart]:
        rows = conn.execute(q.SELECT_PARTS, {"b_bucket": bucket, "b_key": raw})
        return [
            ObjectPart(r.part_number, int(r.start), int(r.size), r.blob_id, r.etag, r.checksum_value)
            for r in rows
        ]

    def _blobs_of(self, conn: sa.Connection, record: ObjectRecord) -> list[str]:
        if record.blob_id is not None:
            return [record.blob_id]
        if record.parts_count is None:
            return []  # inline
        return [p.blob_id for p in self._parts(conn, record.bucket, key_bytes(record.key))]

    @staticmethod
    def _drop_bytes(conn: sa.Connection, current: ObjectRecord, raw: bytes) -> None:
        where = {"b_bucket": current.bucket, "b_key": raw}
        if current.blob_id is None and current.parts_count is None:
            conn.execute(q.DELETE_DATA, where)
        elif current.parts_count is not None:
            conn.execute(q.DELETE_PARTS, where)

    def put_object(
        self,
        record: ObjectRecord,
        parts: Sequence[ObjectPart] = (),
        precondition: Precondition | None = None,
        extra: Callable[[sa.Connection], list[str]] | None = None,
    ) -> list[str]:
        """Insert or replace an object (with its parts, for multipart objects). Returns displaced blob ids.

        ``extra`` runs in the same transaction (CompleteMultipartUpload removes the upload there) and returns
        more blob ids to discard.
        """
        raw = key_bytes(record.key)
        values = _object_values(record)
        where = {"b_bucket": record.bucket, "b_key": raw}

        def attempt(conn: sa.Connection) -> list[str]:
            current = self._get_object(conn, record.bucket, raw, lock=True)
            if precondition is not None:
                precondition(current)
            displaced: list[str] = []
            if extra is not None:
                displaced += extra(conn)
            if current is None:
                conn.execute(q.INSERT_OBJECT, {"bucket": record.bucket, "key": raw, **values})
            else:
                displaced += self._blobs_of(conn, current)
                self._drop_bytes(conn, current, raw)
                conn.execute(q.UPDATE_OBJECT, {**where, **values})
            if record.inline is not None:
                conn.execute(q.INSERT_DATA, {"bucket": record.bucket, "key": raw, "data": record.inline})
            if parts:
                conn.execute(
                    q.INSERT_PARTS,
                    [
                        {
                            "bucket": record.bucket,
                            "key": raw,
                            "part_number": p.number,
                            "start": p.start,
                            "size": p.size,
                            "blob_id": p.blob_id,
                            "etag": p.etag,
                            "checksum_value": p.checksum,
                        }
                        for p in parts
                    ],
                )
            return displaced

        for _ in range(_MAX_INSERT_RETRIES):
            try:
                return self.group.run(attempt)
            except sa.exc.IntegrityError:
                # Either the bucket went away (foreign key) or another writer inserted the same key first.
                if self.get_bucket(record.bucket) is None:
                    raise no_such_bucket(record.bucket) from None
        raise RuntimeError("could not store object")  # pragma: no cover - needs a pathological race

    def delete_object(self, bucket: str, key: str, precondition: Precondition | None = None) -> list[str]:
        raw = key_bytes(key)

        def attempt(conn: sa.Connection) -> list[str]:
            current = self._get_object(conn, bucket, raw, lock=True)
            if precondition is not None:
                precondition(current)
            if current is None:
                return []
            return self._delete(conn, current, raw)

        return self.group.run(attempt)

    def delete_objects(self, bucket: str, keys: Sequence[str]) -> list[str]:
        """Delete several keys in one transaction (absent keys are fine). Returns the blob ids freed."""
        freed: list[str] = []
        with write(self.engine) as conn:
            for key in keys:
                raw = key_bytes(key)
                current = self._get_object(conn, bucket, raw, lock=True)
                if current is not None:
                    freed += self._delete(conn, current, raw)
        return freed

    def _delete(self, conn: sa.Connection, current: ObjectRecord, raw: bytes) -> list[str]:
        blobs = self._blobs_of(conn, current)
        self._drop_bytes(conn, current, raw)
        conn.execute(q.DELETE_OBJECT, {"b_bucket": current.bucket, "b_key": raw})
        return blobs

    def set_tags(self, bucket: str, key: str, tags: Sequence[tuple[str, str]] | None) -> ObjectRecord | None:
        """Replace an object's tags; None when the object does not exist."""
        raw = key_bytes(key)
        with write(self.engine) as conn:
            current = self._get_object(conn, bucket, raw, lock=True)
            if current is None:
                return None
            conn.execute(q.UPDATE_TAGS, {"b_bucket": bucket, "b_key": raw, "b_tags": dump_tags(tags)})
            return current

    def list_objects(
        self, bucket: str, *, prefix: bytes, delimiter: bytes | None, cursor: Cursor | None, max_keys: int
    ) -> Page[ObjectRecord]:
        with read(self.engine) as conn:

            def fetch(at: Cursor | None, upper: bytes | None, limit: int) -> list[ObjectRecord]:
                args: dict[str, Any] = {"b_bucket": bucket, "b_limit": limit}
                if upper is not None:
                    args["b_upper"] = upper
                if at is None:
                    query = q.LIST_OBJECTS_FROM_START[upper is not None]
                else:
                    query = q.LIST_OBJECTS[(at.inclusive, upper is not None)]
                    args["b_after"] = at.key
                return [_object(r) for r in conn.execute(query, args)]

            return walk(fetch, prefix=prefix, delimiter=delimiter, cursor=cursor, max_keys=max_keys)

    # -- housekeeping --------------------------------------------------------------------------------

    def referenced_blobs(self, blob_ids: Sequence[str]) -> set[str]:
        """Which of these blob ids some object, object part or upload part still refers to."""
        found: set[str] = set()
        if not blob_ids:
            return found
        with read(self.engine) as conn:
            for table in (t.objects, t.object_parts, t.upload_parts):
                col = table.c.blob_id
                found.update(r[0] for r in conn.execute(sa.select(col).where(col.in_(list(blob_ids)))))
        return found
