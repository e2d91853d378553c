"""OpenID Connect identity providers: the issuers whose tokens AssumeRoleWithWebIdentity accepts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import sqlalchemy as sa

from hutch.services.iam import errors, validation
from hutch.services.iam.core import IamCore
from hutch.services.iam.model import OidcProvider, Tags, oidc_provider_arn, url_host_path
from hutch.services.iam.store import oidc as store

MAX_CLIENT_IDS = 100
MAX_THUMBPRINTS = 5


class OidcProviders:
    def __init__(self, core: IamCore) -> None:
        self.core = core

    def _check_url(self, url: str) -> None:
        # IAM insists on https. hutch's own issuers (its user pools) may be plain http when the server is, and
        # are verified in-process, never fetched.
        own = self.core.rt.config.base_url.rstrip("/")
        if url.startswith("https://") or (url.startswith("http://") and url.startswith(own + "/")):
            host = url_host_path(url)
            if host and not host.startswith("/"):
                return
        raise errors.validation_error("Invalid url: the provider URL must begin with https://")

    def create(self, url: str, *, client_ids: list[str], thumbprints: list[str], tags: Tags) -> OidcProvider:
        self._check_url(url)
        if len(client_ids) > MAX_CLIENT_IDS:
            raise errors.quota("ClientIdsPerOpenIdConnectProvider", MAX_CLIENT_IDS)
        if len(thumbprints) > MAX_THUMBPRINTS:
            raise errors.quota("ThumbprintsPerOpenIdConnectProvider", MAX_THUMBPRINTS)
        provider = OidcProvider(
            arn=oidc_provider_arn(self.core.account, url),
            url=url,
            client_ids=tuple(dict.fromkeys(client_ids)),
            thumbprints=tuple(dict.fromkeys(t.lower() for t in thumbprints)),
            tags=tags,
            created_at=self.core.now(),
        )
        already = errors.already_exists(f"Provider with url {url} already exists.")
        try:
            with self.core.writing() as conn:
                if store.by_arn(conn, provider.arn) is not None:
                    raise already
                store.insert(conn, provider)
        except sa.exc.IntegrityError:
            raise already from None
        return provider

    def find(self, arn: str) -> OidcProvider | None:
        with self.core.reading() as conn:
            return store.by_arn(conn, arn)

    def get(self, arn: str) -> OidcProvider:
        found = self.find(arn)
        if found is None:
            raise errors.no_such_oidc_provider(arn)
        return found

    def for_issuer(self, issuer: str) -> OidcProvider | None:
        """The provider registered for a token's ``iss`` (compared without scheme, as IAM names providers)."""
        return self.find(oidc_provider_arn(self.core.account, issuer))

    def listing(self) -> list[OidcProvider]:
        with self.core.reading() as conn:
            return store.listing(conn)

    def delete(self, arn: str) -> None:
        with self.core.writing() as conn:
            if not store.delete(conn, arn):
                raise errors.no_such_oidc_provider(arn)

    def _change(self, arn: str, change: Callable[[OidcProvider], OidcProvider]) -> None:
        """Read, change and write a provider in one transaction."""
        with self.core.writing() as conn:
            provider = store.by_arn(conn, arn)
            if provider is None:
                raise errors.no_such_oidc_provider(arn)
            updated = change(provider)
            if len(updated.client_ids) > MAX_CLIENT_IDS:
                raise errors.quota("ClientIdsPerOpenIdConnectProvider", MAX_CLIENT_IDS)
            store.update(conn, updated)

    def add_client_id(self, arn: str, client_id: str) -> None:
        self._change(arn, lambda p: replace(p, client_ids=tuple(dict.fromkeys((*p.client_ids, client_id)))))

    def remove_client_id(self, arn: str, client_id: str) -> None:
        self._change(arn, lambda p: replace(p, client_ids=tuple(c for c in p.client_ids if c != client_id)))

    def update_thumbprints(self, arn: str, thumbprints: list[str]) -> None:
        if len(thumbprints) > MAX_THUMBPRINTS:
            raise errors.quota("ThumbprintsPerOpenIdConnectProvider", MAX_THUMBPRINTS)
        self._change(
            arn, lambda p: replace(p, thumbprints=tuple(dict.fromkeys(t.lower() for t in thumbprints)))
        )

    def tag(self, arn: str, tags: Tags) -> None:
        self._change(arn, lambda p: replace(p, tags=validation.merge_tags(p.tags, tags)))

    def untag(self, arn: str, keys: list[str]) -> None:
        self._change(arn, lambda p: replace(p, tags=validation.remove_tags(p.tags, keys)))
