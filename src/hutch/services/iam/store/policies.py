"""Customer managed policies, their versions, and which users and roles they are attached to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hutch.services.iam import tables as t
from hutch.services.iam.model import ManagedPolicy, PolicyVersion, Tags
from hutch.services.iam.store.common import tags_from, tags_json, utc


def _policy(row: Any) -> ManagedPolicy:
    return ManagedPolicy(
        id=row.id,
        name=row.name,
        path=row.path,
        arn=row.arn,
        description=row.description,
        default_version=row.default_version,
        tags=tags_from(row.tags),
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
    )


def insert(conn: sa.Connection, policy: ManagedPolicy, document: str) -> None:
    conn.execute(
        t.policies.insert().values(
            id=policy.id,
            name=policy.name,
            name_key=policy.name.lower(),
            path=policy.path,
            arn=policy.arn,
            description=policy.description,
            default_version=1,
            next_version=2,
            tags=tags_json(policy.tags),
            created_at=policy.created_at,
            updated_at=policy.updated_at,
        )
    )
    conn.execute(
        t.policy_versions.insert().values(
            policy_id=policy.id, version=1, document=document, created_at=policy.created_at
        )
    )


def by_arn(conn: sa.Connection, arn: str) -> ManagedPolicy | None:
    row = conn.execute(sa.select(t.policies).where(t.policies.c.arn == arn)).first()
    return _policy(row) if row else None


def by_name(conn: sa.Connection, name: str) -> ManagedPolicy | None:
    row = conn.execute(sa.select(t.policies).where(t.policies.c.name_key == name.lower())).first()
    return _policy(row) if row else None


def listing(conn: sa.Connection, path_prefix: str = "/") -> list[ManagedPolicy]:
    query = sa.select(t.policies).order_by(t.policies.c.name_key)
    if path_prefix != "/":
        query = query.where(t.policies.c.path.startswith(path_prefix, autoescape=True))
    return [_policy(row) for row in conn.execute(query)]


def delete(conn: sa.Connection, policy_id: str) -> None:
    conn.execute(t.policy_versions.delete().where(t.policy_versions.c.policy_id == policy_id))
    conn.execute(t.policies.delete().where(t.policies.c.id == policy_id))


def set_tags(conn: sa.Connection, policy_id: str, tags: Tags) -> None:
    conn.execute(t.policies.update().where(t.policies.c.id == policy_id).values(tags=tags_json(tags)))


# ---- versions --------------------------------------------------------------------------------------------


def _version(row: Any, arn: str, default: int) -> PolicyVersion:
    return PolicyVersion(arn, row.version, row.document, row.version == default, utc(row.created_at))


def versions(conn: sa.Connection, policy: ManagedPolicy) -> list[PolicyVersion]:
    rows = conn.execute(
        sa.select(t.policy_versions)
        .where(t.policy_versions.c.policy_id == policy.id)
        .order_by(t.policy_versions.c.version.desc())
    )
    return [_version(row, policy.arn, policy.default_version) for row in rows]


def version(conn: sa.Connection, policy: ManagedPolicy, number: int) -> PolicyVersion | None:
    row = conn.execute(
        sa.select(t.policy_versions).where(
            t.policy_versions.c.policy_id == policy.id, t.policy_versions.c.version == number
        )
    ).first()
    return _version(row, policy.arn, policy.default_version) if row else None


def add_version(
    conn: sa.Connection, policy: ManagedPolicy, document: str, now: datetime, *, make_default: bool
) -> int:
    number = int(
        conn.execute(sa.select(t.policies.c.next_version).where(t.policies.c.id == policy.id)).scalar_one()
    )
    conn.execute(
        t.policy_versions.insert().values(
            policy_id=policy.id, version=number, document=document, created_at=now
        )
    )
    values: dict[str, Any] = {"next_version": number + 1, "updated_at": now}
    if make_default:
        values["default_version"] = number
    conn.execute(t.policies.update().where(t.policies.c.id == policy.id).values(**values))
    return number


def set_default_version(conn: sa.Connection, policy: ManagedPolicy, number: int, now: datetime) -> None:
    conn.execute(
        t.policies.update().where(t.policies.c.id == policy.id).values(default_version=number, updated_at=now)
    )


def delete_version(conn: sa.Connection, policy: ManagedPolicy, number: int) -> None:
    conn.execute(
        t.policy_versions.delete().where(
            t.policy_versions.c.policy_id == policy.id, t.policy_versions.c.version == number
        )
    )


def default_documents(conn: sa.Connection, arns: list[str]) -> dict[str, str]:
    """The default version's document of each customer managed policy in ``arns`` (missing ones left out)."""
    if not arns:
        return {}
    rows = conn.execute(
        sa.select(t.policies.c.arn, t.policy_versions.c.document)
        .join(t.policy_versions, t.policy_versions.c.policy_id == t.policies.c.id)
        .where(t.policies.c.arn.in_(arns), t.policy_versions.c.version == t.policies.c.default_version)
    )
    return {row.arn: row.document for row in rows}


# ---- attachments -----------------------------------------------------------------------------------------


def attached(conn: sa.Connection, kind: str, entity_id: str) -> list[str]:
    rows = conn.execute(
        sa.select(t.attachments.c.policy_arn)
        .where(t.attachments.c.entity_kind == kind, t.attachments.c.entity_id == entity_id)
        .order_by(t.attachments.c.attached_at, t.attachments.c.policy_arn)
    )
    return [row.policy_arn for row in rows]


def attach(conn: sa.Connection, kind: str, entity_id: str, arn: str, now: datetime) -> None:
    exists = conn.execute(
        sa.select(t.attachments.c.policy_arn).where(
            t.attachments.c.entity_kind == kind,
            t.attachments.c.entity_id == entity_id,
            t.attachments.c.policy_arn == arn,
        )
    ).first()
    if exists is None:
        conn.execute(
            t.attachments.insert().values(
                entity_kind=kind, entity_id=entity_id, policy_arn=arn, attached_at=now
            )
        )


def detach(conn: sa.Connection, kind: str, entity_id: str, arn: str) -> bool:
    done = conn.execute(
        t.attachments.delete().where(
            t.attachments.c.entity_kind == kind,
            t.attachments.c.entity_id == entity_id,
            t.attachments.c.policy_arn == arn,
        )
    )
    return bool(done.rowcount)


def attachment_counts(conn: sa.Connection) -> dict[str, int]:
    rows = conn.execute(
        sa.select(t.attachments.c.policy_arn, sa.func.count()).group_by(t.attachments.c.policy_arn)
    )
    return {row[0]: int(row[1]) for row in rows}


def entities_for(conn: sa.Connection, arn: str) -> list[tuple[str, str]]:
    """(kind, entity id) of every user and role ``arn`` is attached to."""
    rows = conn.execute(
        sa.select(t.attachments.c.entity_kind, t.attachments.c.entity_id).where(
            t.attachments.c.policy_arn == arn
        )
    )
    return [(row.entity_kind, row.entity_id) for row in rows]


def boundary_counts(conn: sa.Connection) -> dict[str, int]:
    """How many users and roles use each policy as their permissions boundary."""
    counts: dict[str, int] = {}
    for table in (t.roles, t.users):
        rows = conn.execute(
            sa.select(table.c.boundary_arn, sa.func.count())
            .where(table.c.boundary_arn.is_not(None))
            .group_by(table.c.boundary_arn)
        )
        for row in rows:
            counts[row[0]] = counts.get(row[0], 0) + int(row[1])
    return counts
