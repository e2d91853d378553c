"""OpenID Connect identity providers registered in IAM."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hutch.services.iam import tables as t
from hutch.services.iam.model import OidcProvider
from hutch.services.iam.store.common import strings_from, strings_json, tags_from, tags_json, utc


def _provider(row: Any) -> OidcProvider:
    return OidcProvider(
        arn=row.arn,
        url=row.url,
        client_ids=strings_from(row.client_ids),
        thumbprints=strings_from(row.thumbprints),
        tags=tags_from(row.tags),
        created_at=utc(row.created_at),
    )


def insert(conn: sa.Connection, provider: OidcProvider) -> None:
    conn.execute(
        t.oidc_providers.insert().values(
            arn=provider.arn,
            url=provider.url,
            client_ids=strings_json(provider.client_ids),
            thumbprints=strings_json(provider.thumbprints),
            tags=tags_json(provider.tags),
            created_at=provider.created_at,
        )
    )


def by_arn(conn: sa.Connection, arn: str) -> OidcProvider | None:
    row = conn.execute(sa.select(t.oidc_providers).where(t.oidc_providers.c.arn == arn)).first()
    return _provider(row) if row else None


def listing(conn: sa.Connection) -> list[OidcProvider]:
    return [
        _provider(row) for row in conn.execute(sa.select(t.oidc_providers).order_by(t.oidc_providers.c.arn))
    ]


def update(conn: sa.Connection, provider: OidcProvider) -> None:
    conn.execute(
        t.oidc_providers.update()
        .where(t.oidc_providers.c.arn == provider.arn)
        .values(
            client_ids=strings_json(provider.client_ids),
            thumbprints=strings_json(provider.thumbprints),
            tags=tags_json(provider.tags),
        )
    )


def delete(conn: sa.Connection, arn: str) -> bool:
    return bool(conn.execute(t.oidc_providers.delete().where(t.oidc_providers.c.arn == arn)).rowcount)
