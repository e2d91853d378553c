"""What IAM tells the rest of hutch at request time: whose key this is, and which policies govern them.

Both answers are cached until the next IAM write (``IamCore.on_change``), so a request costs no database
round trip once its principal has been seen, and a change — a deleted key, a detached policy — is in force
for the very next request.
"""

from __future__ import annotations

import threading
from typing import TypeVar

from hutch.auth.credentials import Credential
from hutch.auth.principal import Principal
from hutch.services.iam.core import IamCore
from hutch.services.iam.model import EntityPolicies, InlinePolicy
from hutch.services.iam.policies import ManagedPolicies
from hutch.services.iam.store import roles as role_store
from hutch.services.iam.store import users as user_store

MAX_CACHED = 50_000

K = TypeVar("K")
V = TypeVar("V")


class GenerationCache(dict[K, V]):
    """A plain dict emptied whenever IAM changes; bounded so unknown keys cannot grow it forever."""

    def __init__(self, core: IamCore) -> None:
        super().__init__()
        self._core = core
        self._lock = threading.Lock()
        core.on_change(self._drop)

    def _drop(self) -> None:
        with self._lock:
            self.clear()

    def put(self, key: K, value: V, generation: int) -> None:
        """Keep ``value`` if IAM has not changed since ``generation`` (when it was read).

        Checked under the lock the change listener also takes: a write either bumps the generation before
        this check (the value is not kept) or clears the cache after it (the value is dropped).
        """
        with self._lock:
            if self._core.generation != generation:
                return
            if len(self) >= MAX_CACHED:
                self.clear()
            self[key] = value


class PolicySets:
    """The identity-based policies, permissions boundary and tags of users and roles."""

    def __init__(self, core: IamCore, policies: ManagedPolicies) -> None:
        self.core = core
        self.policies = policies
        self._cache: GenerationCache[tuple[str, str], EntityPolicies | None] = GenerationCache(core)

    def for_role(self, role_id: str) -> EntityPolicies | None:
        """None when the role no longer exists (its sessions then have no permissions at all)."""
        return self._get("role", role_id)

    def for_user(self, user_id: str) -> EntityPolicies | None:
        return self._get("user", user_id)

    def _get(self, kind: str, entity_id: str) -> EntityPolicies | None:
        key = (kind, entity_id)
        try:
            return self._cache[key]
        except KeyError:
            pass
        generation = self.core.generation
        found = self._load(kind, entity_id)
        self._cache.put(key, found, generation)
        return found

    def _load(self, kind: str, entity_id: str) -> EntityPolicies | None:
        from hutch.services.iam.store import policies as policy_store

        account = self.core.account
        with self.core.reading() as conn:
            entity = (
                role_store.by_id(conn, entity_id, account)
                if kind == "role"
                else user_store.by_id(conn, entity_id, account)
            )
            if entity is None:
                return None
            inline: list[InlinePolicy] = (
                role_store.inline_policies(conn, entity_id)
                if kind == "role"
                else user_store.inline_policies(conn, entity_id)
            )
            arns = policy_store.attached(conn, kind, entity_id)
            wanted = [*arns, entity.boundary_arn] if entity.boundary_arn else arns
            documents = self.policies.default_documents(conn, wanted)
        boundary = None
        if entity.boundary_arn is not None:
            # A boundary whose policy is gone allows nothing (fail closed): keep it, with an empty document.
            boundary = (entity.boundary_arn, documents.get(entity.boundary_arn, ""))
        return EntityPolicies(
            inline=tuple(inline),
            managed=tuple((arn, documents[arn]) for arn in arns if arn in documents),
            boundary=boundary,
            tags=entity.tags,
        )


class AccessKeyCredentials:
    """IAM users' long-term access keys (AKIA...) as a credential source for SigV4."""

    def __init__(self, core: IamCore) -> None:
        self.core = core
        self._cache: GenerationCache[str, Credential | None] = GenerationCache(core)

    def cached_access_key(self, access_key_id: str) -> Credential | None:
        return self._cache.get(access_key_id)

    def lookup_access_key(self, access_key_id: str) -> Credential | None:
        if not access_key_id.startswith("AKIA"):
            return None
        try:
            return self._cache[access_key_id]
        except KeyError:
            pass
        generation = self.core.generation
        found = self._load(access_key_id)
        self._cache.put(access_key_id, found, generation)
        return found

    def _load(self, access_key_id: str) -> Credential | None:
        account = self.core.account
        with self.core.reading() as conn:
            key = user_store.access_key(conn, access_key_id)
            # An inactive key is refused exactly like an unknown one, as AWS does.
            if key is None or key.status != "Active":
                return None
            user = user_store.by_id(conn, key.user_id, account)
        if user is None:
            return None
        principal = Principal(
            kind="user",
            arn=user.arn,
            account=account,
            user_id=user.id,
            name=user.name,
            access_key_id=access_key_id,
            tags=dict(user.tags),
        )
        return Credential(access_key_id, key.secret_access_key, principal)
