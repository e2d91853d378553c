"""The statements on S3's request path, built once.

Building a SQLAlchemy statement and its cache key costs more than running it on SQLite; the hot ones are
constructed here, with bind parameters, and reused by every request (store.py and upload_store.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from hutch.services.s3 import tables as t

B: sa.BindParameter[str] = sa.bindparam("b_bucket", type_=sa.String)
K: sa.BindParameter[bytes] = sa.bindparam("b_key", type_=t.KEY)

SELECT_BUCKET = sa.select(t.buckets).where(t.buckets.c.name == sa.bindparam("b_name"))

_OBJECT_HERE = sa.and_(t.objects.c.bucket == B, t.objects.c.key == K)

# An object with its inline bytes (NULL for blob-backed objects), in one round trip.
SELECT_OBJECT = (
    sa.select(t.objects, t.object_data.c.data)
    .select_from(
        t.objects.outerjoin(
            t.object_data,
            sa.and_(t.object_data.c.bucket == t.objects.c.bucket, t.object_data.c.key == t.objects.c.key),
        )
    )
    .where(_OBJECT_HERE)
)
# Writers lock the row (PostgreSQL; SQLite writers are serialized anyway) and need no bytes.
SELECT_OBJECT_FOR_UPDATE = sa.select(t.objects).where(_OBJECT_HERE).with_for_update()

SELECT_PARTS = (
    sa.select(t.object_parts)
    .where(t.object_parts.c.bucket == B, t.object_parts.c.key == K)
    .order_by(t.object_parts.c.part_number)
)

INSERT_OBJECT = t.objects.insert()
UPDATE_OBJECT = t.objects.update().where(_OBJECT_HERE)
DELETE_OBJECT = t.objects.delete().where(_OBJECT_HERE)
UPDATE_TAGS = t.objects.update().where(_OBJECT_HERE).values(tags=sa.bindparam("b_tags"))

INSERT_DATA = t.object_data.insert()
DELETE_DATA = t.object_data.delete().where(t.object_data.c.bucket == B, t.object_data.c.key == K)

INSERT_PARTS = t.object_parts.insert()
DELETE_PARTS = t.object_parts.delete().where(t.object_parts.c.bucket == B, t.object_parts.c.key == K)


def object_list_query(inclusive: bool, bounded: bool) -> sa.Select[tuple[object, ...]]:
    """Keyset page of a bucket's objects: key >(=) :b_after [and key < :b_upper], in key order."""
    after = sa.bindparam("b_after", type_=t.KEY)
    query = sa.select(t.objects).where(
        t.objects.c.bucket == B, t.objects.c.key >= after if inclusive else t.objects.c.key > after
    )
    if bounded:
        query = query.where(t.objects.c.key < sa.bindparam("b_upper", type_=t.KEY))
    return query.order_by(t.objects.c.key).limit(sa.bindparam("b_limit"))


def object_list_from_start(bounded: bool) -> sa.Select[tuple[object, ...]]:
    query = sa.select(t.objects).where(t.objects.c.bucket == B)
    if bounded:
        query = query.where(t.objects.c.key < sa.bindparam("b_upper", type_=t.KEY))
    return query.order_by(t.objects.c.key).limit(sa.bindparam("b_limit"))


# (inclusive, bounded) -> statement, and the two for walks that start at the very first key.
LIST_OBJECTS = {(inc, bnd): object_list_query(inc, bnd) for inc in (False, True) for bnd in (False, True)}
LIST_OBJECTS_FROM_START = {bnd: object_list_from_start(bnd) for bnd in (False, True)}
